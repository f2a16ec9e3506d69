// Layer 3: the extension-host mocha suite (out/test/extension/index.js, exporting run()) inside a real
// VS Code 1.139 server, driven by headless Chromium. The same suite runs under @vscode/test-electron
// (scripts/electronTests.mjs) where VS Code desktop can be had.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import {
  startServer,
  launchBrowser,
  newWorkbenchPage,
  workbenchUrl,
  remoteUri,
  onExitCleanup,
} from './vscodeServer.mjs';

const ANSI = /\u001b\[[0-9;]*m/g;

// Workbench chatter relayed with the test output; hidden unless NHS_AUTH_TEST_VERBOSE=1 (the full
// transcript is always written to out/extension-host.log).
const NOISE = [
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|RemoteAgentHostProtocol|reconnection-grace-time|AccountPolicyGate|Service Worker)\]/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions/,
  /spdlog\.node|Could not locate the bindings file|build\/Release\/watchdog/,
  /ENOTFOUND open-vsx\.org/,
  /^Canceled/,
  /^Timed out waiting for authentication provider 'github'/,
];

/** Removes run folders left by runs that were killed (their pid is gone). */
function removeStaleRunDirs(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const pid = Number(name.match(/^ext-test-(\d+)-/)?.[1]);
    if (!pid || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** Counts from mocha's reporter output ("N passing", "N failing"). */
export function parseMochaCounts(text) {
  const plain = text.replace(ANSI, '');
  const last = (re) => {
    const all = [...plain.matchAll(re)];
    return all.length ? Number(all.at(-1)[1]) : 0;
  };
  return { passed: last(/^\s*(\d+) passing\b/gm), failed: last(/^\s*(\d+) failing\b/gm) };
}

/**
 * Runs the suite; never throws. ok is true only when the host exits 0, at least one test passed and none failed.
 * Options: testsPath (default <root>/out/test/extension), timeoutMs (default 10 min),
 * screenshot (a PNG path taken when the run ends, for diagnosis), env (extra extension-host env),
 * server ('current': VS Code 1.139; 'floor': VS Code 1.96 on Node 20.18.1, see VSCODE_SERVERS),
 * grep (only the tests whose full title matches this regular expression).
 */
export async function runExtensionTests({
  root,
  server: which = 'current',
  grep,
  testsPath = join(root, 'out', 'test', 'extension'),
  testsEntry = 'index.js',
  screenshot,
  timeoutMs = 10 * 60_000,
  env = {},
  verbose = process.env.NHS_AUTH_TEST_VERBOSE === '1',
  log = (line) => console.log(line),
}) {
  if (!existsSync(join(testsPath, testsEntry))) {
    return {
      ok: false,
      passed: 0,
      failed: 1,
      note: `no suite at ${join(testsPath, testsEntry)} (build with: node esbuild.mjs --tests)`,
    };
  }
  removeStaleRunDirs(join(root, '.cache'));
  const runDir = join(root, '.cache', `ext-test-${process.pid}-${Date.now()}`);
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let server;
  let browser;
  let transcript = '';
  let timer;
  let unregisterRm = () => {};
  const t0 = Date.now();
  try {
    const hostEnv = { NHS_AUTH_TEST: '1', ...(grep ? { NHS_AUTH_TEST_GREP: grep } : {}), ...env };
    // Also in the server's own environment, which the extension host inherits: VS Code 1.96 has no
    // extensionEnvironment payload.
    server = await startServer({ dataDir: runDir, smokeTestDriver: true, server: which, env: hostEnv });
    // On Ctrl-C the finally below never runs; this runs after the server's group is killed.
    unregisterRm = onExitCleanup(() => rmSync(runDir, { recursive: true, force: true }));
    const tServer = Date.now();
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser);
    let finish;
    const exited = new Promise((resolve) => {
      finish = resolve;
    });
    timer = setTimeout(() => finish('timeout'), timeoutMs);
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    let nativeNoted = false;
    let activationMs;
    await page.exposeFunction('codeAutomationLog', (type, message) => {
      // The extension host hands over console.log's arguments; format them as Node would (mocha
      // prints with '%s' templates).
      const text = Array.isArray(message) ? format(...message) : String(message ?? '');
      transcript += `[${type}] ${text}\n`;
      activationMs ??= text.match(/activation-ms:\s*(\d+(?:\.\d+)?)/)?.[1];
      if (!verbose && NOISE.some((re) => re.test(text))) {
        // The light install leaves VS Code's native logger/watchdog unbuilt: say so once, not as stacks.
        if (!nativeNoted && /spdlog|watchdog/.test(text))
          log('[ext] (VS Code native modules spdlog/watchdog not built: host file logging off; harmless)');
        nativeNoted ||= /spdlog|watchdog/.test(text);
        return;
      }
      for (const line of text.replace(/\n$/, '').split('\n')) log(type === 'error' ? `  ! ${line}` : line);
    });
    page.on('pageerror', (err) => log(`[browser] page error: ${err.message}`));
    const url = workbenchUrl({
      port: server.port,
      token: server.token,
      folder: workspace,
      payload: [
        ['extensionDevelopmentPath', remoteUri(server.port, root)],
        // The module file, not its folder: package.json says "type": "module", so VS Code import()s
        // the suite as ESM, and ESM cannot import a directory.
        ['extensionTestsPath', remoteUri(server.port, join(testsPath, testsEntry))],
        ['extensionEnvironment', JSON.stringify(hostEnv)],
      ],
    });
    await page.goto(url);
    const code = await exited;
    if (screenshot) await page.screenshot({ path: screenshot }).catch(() => {});
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(
      join(root, 'out', which === 'current' ? 'extension-host.log' : `extension-host-${which}.log`),
      transcript,
    );
    const { passed, failed } = parseMochaCounts(transcript.replace(/^\[\w+\] /gm, ''));
    const secs = `server ${((tServer - t0) / 1000).toFixed(1)} s, suite ${((Date.now() - tServer) / 1000).toFixed(1)} s`;
    log(
      `[ext] ${passed} passing, ${failed} failing, exit ${code}; ${secs}${activationMs ? `; extension activation ${activationMs} ms` : ''}`,
    );
    if (code === 'timeout') {
      return {
        ok: false,
        passed,
        failed: Math.max(failed, 1),
        note: `timed out after ${timeoutMs / 1000} s`,
      };
    }
    const ok = code === 0 && passed > 0 && failed === 0;
    const note =
      passed === 0 && failed === 0
        ? `no test results reported (exit ${code}; see out/extension-host.log)`
        : `exit ${code}; ${secs}`;
    return { ok, passed, failed: ok ? failed : Math.max(failed, 1), note };
  } catch (err) {
    log(`[ext] ${err instanceof Error ? err.message : String(err)}`);
    return { ok: false, passed: 0, failed: 1, note: 'the test host did not run' };
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    server?.stop();
    unregisterRm();
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
