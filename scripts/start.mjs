// `npm start`: builds the extension, starts the offline emulator, and serves a full VS Code (1.139
// server, in a browser tab) with the extension loaded from this folder. Needs no VS Code desktop.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { startServer, workbenchUrl, freePort, onExitCleanup, cacheRoot } from './vscodeServer.mjs';

export const DEFAULT_PORT = 8717;

const USAGE = `Usage: npm start -- [--port P] [--no-emulator] [--folder DIR] [--state-dir DIR]

  --port P         port of VS Code on 127.0.0.1 (default ${DEFAULT_PORT}: the same port keeps the
                   browser's state, profiles and secrets, from one run to the next)
  --no-emulator    do not start the local emulator
  --folder DIR     folder to open in VS Code (default: a scratch workspace outside this clone)
  --state-dir DIR  where VS Code keeps its settings, extensions list, logs, connection token and
                   SecretStorage key (default: under ~/.cache/nhs-auth-explorer, private to you)`;

/** The default state folder of this clone's workbench: one per clone, outside the work tree. */
export function defaultStateDir(root) {
  return join(cacheRoot(), 'workbench', createHash('sha256').update(root).digest('hex').slice(0, 12));
}

/** Builds the bundles (dist/extension.cjs, dist/cli.cjs, dist/webview). */
export function buildBundles(root, { production = false } = {}) {
  const args = [join(root, 'esbuild.mjs'), ...(production ? ['--production'] : [])];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

function portOpen(port) {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

/**
 * Starts `nhs-auth emulator` from dist/cli.cjs on a free loopback port, if the CLI has that command.
 * Returns { url, stop } or { note } when it is unavailable.
 */
export async function startEmulator(root, { log = console.log } = {}) {
  const cli = join(root, 'dist', 'cli.cjs');
  const probe = spawnSync(process.execPath, [cli, 'emulator', '--help'], { cwd: root, encoding: 'utf8' });
  if (probe.status !== 0) return { note: "this build's CLI has no 'emulator' command" };
  const port = await freePort();
  // The control token goes by environment, never on a command line (ps shows those to every user).
  const controlToken = randomBytes(32).toString('base64url');
  const child = spawn(process.execPath, [cli, 'emulator', '--port', String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NHS_AUTH_EMULATOR_CONTROL_TOKEN: controlToken },
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unregister();
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  const unregister = onExitCleanup(stop);
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
    for (const l of String(d).split('\n')) if (l.trim()) log(`[emulator] ${l}`);
  });
  child.stderr.on('data', (d) => {
    output += d;
    for (const l of String(d).split('\n')) if (l.trim()) log(`[emulator] ${l}`);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 100 && !exited; i++) {
    if (await portOpen(port)) return { url: `http://127.0.0.1:${port}`, controlToken, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  return { note: `the emulator did not start: ${output.trim().split('\n').at(-1) ?? 'no output'}` };
}

async function askYesNo(question) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}

function waitForSignal() {
  return new Promise((res) => {
    // Runs before vscodeServer.mjs's own handler, which stops every server/emulator group and exits.
    for (const sig of ['SIGINT', 'SIGTERM'])
      process.prependOnceListener(sig, () => {
        console.log(`\n[start] ${sig}: stopping.`);
        res(sig);
      });
  });
}

/** Returns a process exit code once the user stops it (Ctrl-C / SIGTERM). */
export async function start({ root, args = [] }) {
  let opts;
  try {
    opts = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'no-emulator': { type: 'boolean' },
        folder: { type: 'string' },
        'state-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port must be a TCP port number (1-65535), not '${opts.port}'`);
    return 2;
  }

  console.log('[start] building…');
  if (!buildBundles(root)) return 1;

  const env = {};
  let emulator;
  if (!opts['no-emulator']) {
    emulator = await startEmulator(root);
    if (emulator.url) {
      env.NHS_AUTH_EMULATOR_URL = emulator.url;
      env.NHS_AUTH_EMULATOR_CONTROL_TOKEN = emulator.controlToken;
      console.log(`[start] emulator listening on ${emulator.url}`);
    } else {
      console.log(
        `[start] emulator skipped: ${emulator.note}; the extension starts its own when the Local environment is used.`,
      );
    }
  }

  if (
    onPath('code') &&
    process.stdin.isTTY &&
    (await askYesNo(
      'VS Code desktop (`code`) is installed. Open the extension there instead of in a browser? [y/N] ',
    ))
  ) {
    const r = spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${root}`], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) console.error('[start] `code` failed; falling back to the browser.');
    else if (!emulator?.url) return 0;
    else {
      console.log('[start] VS Code desktop opened. The emulator keeps running; Ctrl-C stops it.');
      await waitForSignal();
      emulator.stop();
      return 0;
    }
  }

  const dataDir = resolve(opts['state-dir'] ?? defaultStateDir(root));
  const folder = resolve(opts.folder ?? join(dataDir, 'workspace'));
  mkdirSync(folder, { recursive: true });
  console.log('[start] starting the VS Code server…');
  let server;
  try {
    server = await startServer({
      port,
      dataDir,
      extensionPath: root,
      env: { ...env, NHS_AUTH_REVEAL_VIEW: '1' },
    });
  } catch (err) {
    console.error(`[start] ${err.message}`);
    emulator?.stop?.();
    return 1;
  }
  const url = workbenchUrl({ port: server.port, folder, token: server.token });
  console.log('\n  NHS Auth Explorer is running in VS Code (browser). Open:\n');
  console.log(`  ${url}\n`);
  console.log("  The link carries this workbench's access token: keep it to yourself.");
  console.log(
    '  The extension loads from this folder: after `npm run build`, run "Developer: Reload Window".',
  );
  console.log('  Ctrl-C stops the server and the emulator.\n');
  await waitForSignal();
  server.stop();
  emulator?.stop?.();
  return 0;
}
