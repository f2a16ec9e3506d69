// A real VS Code 1.139 server (shipped inside the npm package code-server) plus Debian's Chromium,
// driven by playwright-core: how the extension is run and tested on machines that reach only the
// npm registry and Debian's packages (no VS Code desktop download). See docs in test-host.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, renameSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

// Flags that keep a headless Chromium off the network and quiet on a container without a GPU.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function cacheRoot() {
  return process.env.NHS_AUTH_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nhs-auth-explorer');
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/**
 * Returns the path of lib/vscode of code-server@4.139.1, installing it once per machine into the cache.
 * The install happens in a scratch folder that is renamed into place, and a marker is written last,
 * so an interrupted install is never mistaken for a finished one.
 */
export function ensureVscodeServer({ log = console.log } = {}) {
  const dir = join(cacheRoot(), `vscode-server-${CODE_SERVER_VERSION}`);
  const lib = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const marker = join(dir, '.install-complete');
  if (existsSync(marker) && existsSync(join(lib, 'out', 'server-main.js'))) return lib;

  const t0 = Date.now();
  log(`[vscode] installing the VS Code server (code-server@${CODE_SERVER_VERSION} from the npm registry) into ${dir}; once per machine, about a minute…`);
  mkdirSync(cacheRoot(), { recursive: true });
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'package.json'), '{ "private": true }\n');
  const quiet = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const fail = (what) => {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`[vscode] ${what} failed: check that the npm registry is reachable (npm config get registry), then re-run.`);
  };
  if (run('npm', ['install', ...quiet, `code-server@${CODE_SERVER_VERSION}`], scratch) !== 0) fail(`npm install code-server@${CODE_SERVER_VERSION}`);
  const scratchLib = join(scratch, 'node_modules', 'code-server', 'lib', 'vscode');
  // code-server's own postinstall (skipped: it compiles native modules) would install VS Code's
  // runtime dependencies; the server needs only their JavaScript.
  if (run('npm', ['install', '--omit=dev', ...quiet], scratchLib) !== 0) fail('npm install inside lib/vscode');
  if (!existsSync(join(scratchLib, 'out', 'server-main.js'))) fail('the install (no out/server-main.js)');
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  log(`[vscode] installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return lib;
}

/** Returns a Chromium executable: $CHROMIUM_PATH, Debian's, or installs Debian's when running as root. */
export function ensureChromium({ log = console.log } = {}) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = () => candidates.find((p) => existsSync(p));
  if (found()) return found();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is needed to drive the VS Code server headlessly and was not found. Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH to a Chromium/Chrome binary), then re-run.');
  }
  log('[chromium] installing Debian\'s chromium package (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (r.status !== 0 || !found()) throw new Error('apt-get install chromium failed; install Chromium yourself (`sudo apt-get install chromium`) and re-run.');
  return found();
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Every live server group, so an exit or a signal never leaves one behind.
const live = new Set();
let handlersInstalled = false;
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => { for (const stop of live) stop(); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      for (const stop of live) stop();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig]));
    });
  }
}

/** Registers a cleanup run on process exit or signal; returns a function that unregisters it. */
export function onExitCleanup(fn) {
  installExitHandlers();
  live.add(fn);
  return () => live.delete(fn);
}

/**
 * Starts the VS Code server on 127.0.0.1. All its state (settings, extensions, logs, temp files)
 * goes under dataDir. Resolves once it listens; stop() kills its whole process group.
 */
export async function startServer({ port, dataDir, extraArgs = [], env = {}, smokeTestDriver = true, log = () => {}, timeoutMs = 60_000 }) {
  const lib = ensureVscodeServer();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw new Error(`the VS Code server needs Node >= 22 (this is ${process.version}); run through npm scripts, which use Node 24.`);
  const p = port ?? await freePort();
  const d = (name) => { const x = join(dataDir, name); mkdirSync(x, { recursive: true }); return x; };
  const args = [
    join(lib, 'out', 'server-main.js'),
    '--host', '127.0.0.1', '--port', String(p), '--without-connection-token', '--accept-server-license-terms',
    '--server-data-dir', d('server-data'), '--user-data-dir', d('user-data'), '--extensions-dir', d('extensions'),
    '--logsPath', d('logs'), '--disable-telemetry', '--disable-workspace-trust', '--disable-update-check',
    ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd: dataDir,
    detached: true, // its own process group: stop() kills the extension host and watchers with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMPDIR: d('tmp'), XDG_CACHE_HOME: d('cache'), XDG_CONFIG_HOME: d('config'),
      VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined,
      ...env,
    },
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unregister();
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  const unregister = onExitCleanup(stop);
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the VS Code server did not start within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (output.includes(`Extension host agent listening on ${p}`)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`the VS Code server exited early (${signal ?? code}):\n${output.slice(-3000)}`)); });
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
  try {
    await ready;
  } catch (err) {
    stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${p}`, port: p, pid: child.pid, stop, output: () => output };
}

/** The workbench URL: opens folder and passes dev/test options (each a [name, value] pair) as the payload. */
export function workbenchUrl({ port, folder, payload = [] }) {
  const q = new URLSearchParams();
  if (folder) q.set('folder', folder);
  q.set('payload', JSON.stringify([['skipWelcome', 'true'], ['skipReleaseNotes', 'true'], ...payload]));
  return `http://127.0.0.1:${port}/?${q}`;
}

/** A path on the server as the workbench must see it (vscode-remote:// with the page's own host). */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath}`;
}

/** Headless Chromium via playwright-core, closed on process exit or signal. */
export async function launchBrowser({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: ensureChromium(), headless, args: CHROMIUM_ARGS });
  const unregister = onExitCleanup(() => {
    // On exit there is no event loop left for a polite close: kill the browser process directly.
    try { browser.process?.()?.kill('SIGKILL'); } catch { /* gone */ }
  });
  browser.once('disconnected', unregister);
  return browser;
}

/**
 * A page ready for the workbench: it answers POST /mint-key (the workbench seals SecretStorage in
 * localStorage with a key half fetched from there; the bare server lacks the route).
 */
export async function newWorkbenchPage(browser, { viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.route(/\/mint-key$/, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: randomBytes(32) }));
  return context.newPage();
}

/** Reads the lib/vscode version installed, for messages. */
export function vscodeVersion(lib) {
  try { return JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8')).version; } catch { return 'unknown'; }
}
