// Browser-level test of the token inspector in the real workbench (the offline VS Code 1.139 server +
// headless Chromium). The host-side driver (test/workbench/driver.ts, bundled to out/test/workbench/driver.js)
// stages a Local-emulator session and opens the inspector; this side then behaves like a person: it reads
// the webview's visible text, watches the access-token countdown tick, clicks "Refresh now" and sees
// refresh_count go from 0 to 1. Part of layer 3 of `npm test`; also runnable directly:
//   node scripts/workbenchInspectorTest.mjs [--screenshot media/inspector.png]
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { spawnSync } from 'node:child_process';
import {
  startServer,
  launchBrowser,
  newWorkbenchPage,
  workbenchUrl,
  remoteUri,
  onExitCleanup,
} from './vscodeServer.mjs';
import { hideSecondarySideBar, openNhsAuthView } from './screenshot.mjs';

const MARKER = 'NHS_AUTH_DRIVER';

/**
 * Starts the server and the browser with the extension from root as a development extension and the
 * driver as its test module, in the driver mode given ('inspector' or 'bench'). Returns the page, a way to
 * await the driver's announcements, to signal it, and close() (always call it: it kills everything).
 */
export async function startWorkbenchDriver({
  root,
  mode = 'inspector',
  env = {},
  viewport = { width: 1400, height: 900 },
  log = () => {},
}) {
  const driver = join(root, 'out', 'test', 'workbench', 'driver.js');
  if (!existsSync(driver)) throw new Error(`no driver at ${driver} (build with: node esbuild.mjs --tests)`);
  // Named like the extension-test run folders so a killed run's folder is swept by the next test run.
  const runDir = join(root, '.cache', `ext-test-${process.pid}-workbench-${Date.now()}`);
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const unregisterRm = onExitCleanup(() => rmSync(runDir, { recursive: true, force: true }));
  let server;
  let browser;
  let transcript = '';
  const events = [];
  const waiters = new Set();
  let exitCode;
  let onExit;
  const exited = new Promise((r) => {
    onExit = r;
  });
  const close = async () => {
    await browser?.close().catch(() => {});
    server?.stop();
    unregisterRm();
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    server = await startServer({ dataDir: runDir, smokeTestDriver: true });
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser, { viewport });
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
      onExit(exitCode);
      for (const w of waiters) w();
    });
    await page.exposeFunction('codeAutomationLog', (type, message) => {
      const text = Array.isArray(message) ? format(...message) : String(message ?? '');
      transcript += `[${type}] ${text}\n`;
      for (const line of text.split('\n')) {
        const m = line.match(new RegExp(`^${MARKER} (\\w+) ?(.*)$`));
        if (!m) continue;
        let data = {};
        try {
          data = m[2] ? JSON.parse(m[2]) : {};
        } catch {
          /* keep {} */
        }
        events.push({ event: m[1], data });
        log(`[driver] ${m[1]} ${m[2] ?? ''}`);
        for (const w of waiters) w();
      }
    });
    page.on('pageerror', (err) => {
      transcript += `[pageerror] ${err.message}\n`;
    });
    await page.goto(
      workbenchUrl({
        port: server.port,
        token: server.token,
        folder: workspace,
        payload: [
          ['extensionDevelopmentPath', remoteUri(server.port, root)],
          ['extensionTestsPath', remoteUri(server.port, driver)],
          [
            'extensionEnvironment',
            JSON.stringify({ NHS_AUTH_TEST: '1', NHS_AUTH_DRIVER_MODE: mode, ...env }),
          ],
        ],
      }),
    );
    /** Resolves with the data of the driver's `event`; rejects on FAIL, early exit or timeout. */
    const waitForEvent = (event, timeoutMs) =>
      new Promise((resolvePromise, reject) => {
        const check = () => {
          const hit = events.find((e) => e.event === event);
          const fail = events.find((e) => e.event === 'FAIL');
          if (hit) done(() => resolvePromise(hit.data));
          else if (fail) done(() => reject(new Error(`the host-side driver failed: ${fail.data.message}`)));
          else if (exitCode !== undefined)
            done(() =>
              reject(new Error(`the extension host exited (${exitCode}) before the driver said ${event}`)),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(
                  `no ${event} from the host-side driver within ${timeoutMs / 1000} s (see out/workbench-host.log)`,
                ),
              ),
            ),
          timeoutMs,
        );
        const done = (fn) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    /** Tells the driver to go on (it listens on the loopback port it announced). */
    const signal = async (name) => {
      const port = [...events].reverse().find((e) => e.data?.port)?.data.port;
      if (!port) throw new Error('the driver announced no control port');
      const res = await fetch(`http://127.0.0.1:${port}/${name}`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`the driver answered ${res.status} to ${name}`);
    };
    const waitForExit = (timeoutMs) =>
      Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    const saveTranscript = () => {
      mkdirSync(join(root, 'out'), { recursive: true });
      writeFileSync(join(root, 'out', 'workbench-host.log'), transcript);
    };
    return { page, browser, server, waitForEvent, signal, waitForExit, saveTranscript, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The inspector webview's inner frame (outer iframe.webview → #active-frame), once it shows a session. */
export async function findInspectorFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame
        .evaluate(
          () =>
            document.querySelector('main#app[aria-label="Token inspector"]')?.getAttribute('data-mode') ??
            null,
        )
        .catch(() => null);
      if (found === 'session') return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no inspector webview showing a session appeared within ${timeoutMs / 1000} s`);
}

/** Seconds in a countdown label as the page shows it: '9m 58s', '42s', '1h 05m'. */
export function parseCountdown(label) {
  const m = String(label)
    .trim()
    .match(/^(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+)s)?$/);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The access-token countdown and refresh_count as a person sees them (innerText of visible elements). */
async function readVisible(frame) {
  const text = await frame.locator('#app').innerText({ timeout: 5000 });
  const access = text.match(/Access token\s*\n\s*((?:\d+h\s*)?(?:\d+m\s*)?(?:\d+s)?|expired)\s*\n/);
  const rc = text.match(/refresh_count\s*\n\s*(\d+)/);
  return {
    text,
    accessLabel: access?.[1],
    accessSeconds: access ? parseCountdown(access[1]) : undefined,
    refreshCount: rc ? Number(rc[1]) : undefined,
  };
}

async function waitForVisibleRefreshCount(frame, want, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await readVisible(frame).catch(() => last);
    if (last?.refreshCount === want) return last;
    await frame.page().waitForTimeout(200);
  }
  throw new Error(
    `the inspector did not show refresh_count ${want} within ${timeoutMs / 1000} s (it shows ${last?.refreshCount ?? 'nothing'})`,
  );
}

/**
 * Runs the browser-level test; never throws. ok is true only when every check passed.
 * Options: screenshot (PNG path; default out/workbench-inspector.png), timeoutMs (whole run), log.
 */
export async function runWorkbenchInspectorTest({
  root,
  screenshot = join(root, 'out', 'workbench-inspector.png'),
  timeoutMs = 5 * 60_000,
  log = (line) => console.log(line),
}) {
  const checks = [
    'the driver staged an NHS login session and opened the inspector',
    'the inspector webview shows the session with refresh_count 0',
    'the access-token countdown ticks down (two reads 2.2 s apart)',
    'clicking "Refresh now" in the webview shows refresh_count 1',
    'the host saw the refresh come from the webview and the driver exited 0',
  ];
  const t0 = Date.now();
  let passed = 0;
  let session;
  let overall;
  const run = async () => {
    session = await startWorkbenchDriver({
      root,
      log: process.env.NHS_AUTH_TEST_VERBOSE === '1' ? log : () => {},
    });
    const { page } = session;
    const pass = (detail) => {
      log(`    ✔ ${checks[passed]}${detail ? ` (${detail})` : ''}`);
      passed++;
    };

    const ready = await session.waitForEvent('READY', 120_000);
    pass(`first paint ${ready.openToRenderMs} ms after the command`);

    // For the picture only: the NHS Auth tree beside the inspector, no chat side bar. Best effort.
    await hideSecondarySideBar(page).catch(() => {});
    await openNhsAuthView(page).catch((err) =>
      log(`    (could not open the NHS Auth view for the screenshot: ${err.message.split('\n')[0]})`),
    );
    const frame = await findInspectorFrame(page);
    const first = await readVisible(frame);
    if (first.refreshCount !== 0)
      throw new Error(`refresh_count shows ${first.refreshCount ?? 'nothing'}, expected 0`);
    if (first.accessSeconds === undefined)
      throw new Error(`no access-token countdown in the visible text:\n${first.text.slice(0, 400)}`);
    if (!(await frame.getByRole('button', { name: 'Refresh now' }).isVisible()))
      throw new Error('no visible "Refresh now" button');
    pass(`access token ${first.accessLabel}`);

    await page.waitForTimeout(2200);
    const second = await readVisible(frame);
    const dropped = first.accessSeconds - (second.accessSeconds ?? Infinity);
    // 2.2 s apart: the label drops by 2 or 3 whole seconds; allow 1..5 for a busy machine.
    if (!(dropped >= 1 && dropped <= 5))
      throw new Error(
        `the countdown went from ${first.accessLabel} to ${second.accessLabel ?? 'nothing'} in 2.2 s`,
      );
    pass(`${first.accessLabel} → ${second.accessLabel}`);

    await frame.getByRole('button', { name: 'Refresh now' }).click({ timeout: 10_000 });
    const after = await waitForVisibleRefreshCount(frame, 1, 30_000);
    pass(`access token ${after.accessLabel}`);

    await page.mouse.move(700, 895); // no hover tooltip in the picture
    await page.waitForTimeout(400);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });

    await session.waitForEvent('REFRESHED', 30_000);
    await session.signal('done');
    const code = await session.waitForExit(30_000);
    if (code !== 0) throw new Error(`the extension host exited with ${code} (see out/workbench-host.log)`);
    pass();
  };
  try {
    overall = await Promise.race([
      run().then(() => undefined),
      new Promise((r) =>
        setTimeout(() => r(new Error(`the run took longer than ${timeoutMs / 1000} s`)), timeoutMs),
      ),
    ]);
  } catch (err) {
    overall = err;
  } finally {
    session?.saveTranscript();
    await session?.close();
  }
  const failed = checks.length - passed;
  if (overall)
    log(`    ✖ ${checks[passed]}: ${overall instanceof Error ? overall.message : String(overall)}`);
  const secs = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  log(`[workbench] ${passed} passing, ${failed} failing; ${secs}`);
  return {
    ok: failed === 0,
    passed,
    failed,
    note: failed === 0 ? `screenshot ${screenshot}; ${secs}` : 'see out/workbench-host.log',
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const i = process.argv.indexOf('--screenshot');
  const screenshot = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : undefined;
  const built = spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--tests'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(1);
  console.log('workbench: token inspector in the browser');
  const result = await runWorkbenchInspectorTest({ root, ...(screenshot ? { screenshot } : {}) });
  process.exit(result.ok ? 0 : 1);
}
