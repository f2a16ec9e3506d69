// A real VS Code 1.139 server (shipped inside the npm package code-server) plus Debian's Chromium,
// driven by playwright-core: how the extension is run and tested on machines that reach only the
// npm registry and Debian's packages (no VS Code desktop download). See docs/testing.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, renameSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';

/**
 * The VS Code servers the tests run on: the current one, on the Node 24 that runs the tasks, and the
 * floor that package.json's engines.vscode promises (VS Code 1.96 runs extensions on Node 20.18.1),
 * on that Node from the npm registry. code-server@4.96.4's lock file pins @vscode/proxy-agent to a
 * GitHub commit, so its runtime dependencies are resolved from the registry instead (^0.27.0).
 */
export const VSCODE_SERVERS = {
  current: { codeServer: CODE_SERVER_VERSION, vscode: '1.139' },
  floor: { codeServer: '4.96.4', vscode: '1.96', node: '20.18.1', resolveFromRegistry: true },
};

// Flags that keep a headless Chromium off the network and quiet on a container without a GPU.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function cacheRoot() {
  return (
    process.env.NHS_AUTH_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nhs-auth-explorer')
  );
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/**
 * Returns the path of lib/vscode of the chosen code-server (VSCODE_SERVERS), installing it once per machine into the cache.
 * The install happens in a scratch folder that is renamed into place, and a marker is written last,
 * so an interrupted install is never mistaken for a finished one.
 */
export function ensureVscodeServer({ log = console.log, server = 'current' } = {}) {
  const spec = VSCODE_SERVERS[server];
  const version = spec.codeServer;
  const nodeBin = spec.node ? ensureNode(spec.node, { log }) : process.execPath;
  const dir = join(cacheRoot(), `vscode-server-${version}`);
  const lib = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const marker = join(dir, '.install-complete');
  if (existsSync(marker) && existsSync(join(lib, 'out', 'server-main.js')))
    return ensureNativeModules(lib, { log, nodeBin });

  const t0 = Date.now();
  log(
    `[vscode] installing the VS Code server (code-server@${version} from the npm registry) into ${dir}; once per machine, about a minute…`,
  );
  mkdirSync(cacheRoot(), { recursive: true });
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'package.json'), '{ "private": true }\n');
  const quiet = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const fail = (what) => {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `[vscode] ${what} failed: check that the npm registry is reachable (npm config get registry), then re-run.`,
    );
  };
  if (run('npm', ['install', ...quiet, `code-server@${version}`], scratch) !== 0)
    fail(`npm install code-server@${version}`);
  const scratchLib = join(scratch, 'node_modules', 'code-server', 'lib', 'vscode');
  // code-server's own postinstall (skipped: it compiles native modules) would install VS Code's
  // runtime dependencies; the server needs only their JavaScript.
  const lockless = spec.resolveFromRegistry ? ['--package-lock=false'] : [];
  if (run('npm', ['install', '--omit=dev', ...quiet, ...lockless], scratchLib) !== 0)
    fail('npm install inside lib/vscode');
  if (!existsSync(join(scratchLib, 'out', 'server-main.js'))) fail('the install (no out/server-main.js)');
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  log(`[vscode] installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ensureNativeModules(lib, { log, nodeBin });
}

/** A Node of the given version from the npm registry's node package, cached; its binary's path. */
export function ensureNode(version, { log = console.log } = {}) {
  if (process.versions.node === version) return process.execPath;
  const dir = join(cacheRoot(), `node-${version}`);
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(bin)) return bin;
  log(`[node] fetching Node ${version} from the npm registry into ${dir} (once per machine)…`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  if (
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`], dir) !== 0 ||
    !existsSync(bin)
  ) {
    throw new Error(`[node] could not install node@${version} from the npm registry.`);
  }
  return bin;
}

/** Node's C headers for a Node binary: beside the node npm package's binary, or the system's. */
function nodeHeadersDir(nodeBin) {
  const candidates = [
    join(dirname(nodeBin), '..', 'node_modules', `node-${process.platform}-${process.arch}`),
    join(dirname(nodeBin), '..'),
    ...(nodeBin === process.execPath ? ['/usr'] : []),
  ];
  return candidates.find((c) => existsSync(join(c, 'include', 'node', 'node_api.h')));
}

// VS Code's native modules that the light install leaves unbuilt: without spdlog every
// LogOutputChannel (the extension's request log among them) stays blank.
const NATIVE_MODULES = ['@vscode/spdlog', '@vscode/native-watchdog'];

/**
 * Builds spdlog and native-watchdog for the running Node (about 30 s, once per machine) with
 * node-gyp against the headers the node@24 npm package ships: nothing is downloaded.
 */
export function ensureNativeModules(lib, { log = console.log, nodeBin = process.execPath } = {}) {
  const abi =
    nodeBin === process.execPath
      ? process.versions.modules
      : spawnSync(nodeBin, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
  const version =
    nodeBin === process.execPath
      ? process.version
      : spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const marker = join(lib, '..', '..', '..', '..', `.native-modules-${abi}`);
  if (existsSync(marker)) return lib;
  const headers = nodeHeadersDir(nodeBin);
  if (!headers) {
    log(`[vscode] no Node headers found for ${version}: VS Code's log files and output channels stay blank.`);
    return lib;
  }
  const t0 = Date.now();
  log(
    `[vscode] building VS Code's native log and watchdog modules for Node ${version} (once per machine, about 30 s)…`,
  );
  const r = spawnSync(
    'npm',
    ['rebuild', ...NATIVE_MODULES, `--nodedir=${headers}`, '--no-audit', '--no-fund', '--loglevel=error'],
    {
      cwd: lib,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PATH: `${dirname(nodeBin)}:${process.env.PATH}` },
    },
  );
  if (
    r.status !== 0 ||
    !existsSync(join(lib, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'))
  ) {
    log(
      '[vscode] building @vscode/spdlog failed (needs g++, make and python3): output channels stay blank until it is built.',
    );
    return lib;
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  log(`[vscode] native modules built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return lib;
}

/** Returns a Chromium executable: $CHROMIUM_PATH, Debian's, or installs Debian's when running as root. */
export function ensureChromium({ log = console.log } = {}) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  );
  const found = () => candidates.find((p) => existsSync(p));
  if (found()) return found();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'Chromium is needed to drive the VS Code server headlessly and was not found. Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH to a Chromium/Chrome binary), then re-run.',
    );
  }
  log("[chromium] installing Debian's chromium package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0 || !found())
    throw new Error(
      'apt-get install chromium failed; install Chromium yourself (`sudo apt-get install chromium`) and re-run.',
    );
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
  process.on('exit', () => {
    for (const stop of live) stop();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      for (const stop of live) stop();
      process.exit(128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig]);
    });
  }
}

/** Registers a cleanup run on process exit or signal; returns a function that unregisters it. */
export function onExitCleanup(fn) {
  installExitHandlers();
  live.add(fn);
  return () => live.delete(fn);
}

/** Creates dir (and parents) readable by this user only. */
function privateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Reads a secret file, creating it (0600, random) on first use; the same value on every later run. */
function stableSecret(file, make) {
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return readFileSync(file);
}

/**
 * Lists the extension at extensionPath in the server's extensions folder as an installed extension
 * (extensions.json, the file VS Code keeps for `--install-extension`), at its own location: the
 * workbench loads it like any installed extension, so notifications, progress and dialogs behave as
 * in VS Code desktop, and a rebuild plus "Developer: Reload Window" picks up changes.
 */
function linkExtension(extensionsDir, extensionPath) {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const entry = {
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: extensionPath, scheme: 'file' },
    metadata: {
      installedTimestamp: Date.now(),
      pinned: true,
      source: 'resource',
      isApplicationScoped: false,
      isMachineScoped: false,
      isBuiltin: false,
      updated: false,
    },
  };
  const file = join(extensionsDir, 'extensions.json');
  let list = [];
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* first run */
  }
  list = [...list.filter((e) => e?.identifier?.id?.toLowerCase() !== id.toLowerCase()), entry];
  writeFileSync(file, JSON.stringify(list, null, 2));
  return id;
}

/** The workbench settings a person's run and the tests share: quiet, offline, nothing to dismiss. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'remote.autoForwardPorts': false,
};

function writeSettings(userDataDir, settings) {
  for (const dir of [join(userDataDir, 'User'), join(userDataDir, 'data', 'User')]) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'settings.json');
    let current = {};
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      /* first run */
    }
    writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
  }
}

/**
 * Starts the VS Code server on 127.0.0.1 behind the fence of scripts/workbenchServer.mjs (connection
 * token, Host and Origin checks, a persistent /mint-key). All its state (settings, extensions, logs,
 * the token, the SecretStorage key half, temp files) stays under dataDir, which only this user can
 * read; reuse the same dataDir and port and the browser keeps its secrets and profiles.
 * Options: extensionPath (listed as an installed extension), env (the extension host inherits it),
 * smokeTestDriver (the extension-host suite only: lets the workbench take extensionTestsPath).
 * Resolves once it listens; url carries the token; stop() kills its whole process group.
 */
export async function startServer({
  port,
  dataDir,
  extensionPath,
  env = {},
  smokeTestDriver = false,
  settings = {},
  log = () => {},
  timeoutMs = 60_000,
  server = 'current',
}) {
  const lib = ensureVscodeServer({ server });
  const spec = VSCODE_SERVERS[server];
  // The floor's server runs on its own Node; the current one on the Node 24 of the tasks.
  const nodeBin = spec.node ? ensureNode(spec.node) : process.execPath;
  const major = Number(process.versions.node.split('.')[0]);
  if (!spec.node && major < 22)
    throw new Error(
      `the VS Code server needs Node >= 22 (this is ${process.version}); run through npm scripts, which use Node 24.`,
    );
  const p = port ?? (await freePort());
  privateDir(dataDir);
  const d = (name) => privateDir(join(dataDir, name));
  const secrets = d('secrets');
  const tokenFile = join(secrets, 'connection-token');
  const keyHalfFile = join(secrets, 'mint-key');
  const token = stableSecret(tokenFile, () => randomBytes(24).toString('base64url'))
    .toString('utf8')
    .trim();
  stableSecret(keyHalfFile, () => randomBytes(32));
  for (const name of ['server-data', 'user-data', 'extensions', 'logs', 'tmp', 'cache', 'config']) d(name);
  writeSettings(join(dataDir, 'user-data'), { ...WORKBENCH_SETTINGS, ...settings });
  writeSettings(join(dataDir, 'server-data'), { ...WORKBENCH_SETTINGS, ...settings });
  if (extensionPath) linkExtension(join(dataDir, 'extensions'), extensionPath);
  const configFile = join(secrets, 'server.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      lib,
      port: p,
      dataDir,
      tokenFile,
      keyHalfFile,
      extraArgs: smokeTestDriver ? { 'enable-smoke-test-driver': true } : {},
    }),
    { mode: 0o600 },
  );
  const child = spawn(
    nodeBin,
    [fileURLToPath(new URL('./workbenchServer.mjs', import.meta.url)), configFile],
    {
      cwd: dataDir,
      detached: true, // its own process group: stop() kills the extension host and watchers with it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TMPDIR: join(dataDir, 'tmp'),
        XDG_CACHE_HOME: join(dataDir, 'cache'),
        XDG_CONFIG_HOME: join(dataDir, 'config'),
        VSCODE_CLI: undefined,
        ELECTRON_RUN_AS_NODE: undefined,
        // No extension gallery: nothing to look up on a machine that reaches only the npm registry.
        EXTENSIONS_GALLERY: '{}',
        ...env,
      },
    },
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unregister();
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const unregister = onExitCleanup(stop);
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the VS Code server did not start within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`),
        ),
      timeoutMs,
    );
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (output.includes(`workbench server listening on ${p}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const inUse = /EADDRINUSE/.test(output)
        ? `port ${p} on 127.0.0.1 is in use (another npm start?); choose another with --port. `
        : '';
      reject(
        new Error(`${inUse}the VS Code server exited early (${signal ?? code}):\n${output.slice(-3000)}`),
      );
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  try {
    await ready;
  } catch (err) {
    stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${p}`, port: p, token, pid: child.pid, stop, output: () => output };
}

/**
 * The workbench URL: opens folder, carries the connection token (the server turns it into a cookie),
 * and passes dev/test options (each a [name, value] pair) as the payload.
 */
export function workbenchUrl({ port, folder, token, payload = [] }) {
  const q = new URLSearchParams();
  if (token) q.set('tkn', token);
  if (folder) q.set('folder', folder);
  if (payload.length)
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
    try {
      browser.process?.()?.kill('SIGKILL');
    } catch {
      /* gone */
    }
  });
  browser.once('disconnected', unregister);
  return browser;
}

/** A fresh browser context and page sized for the workbench; nothing in it is stubbed. */
export async function newWorkbenchPage(browser, { viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

/** Reads the lib/vscode version installed, for messages. */
export function vscodeVersion(lib) {
  try {
    return JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
