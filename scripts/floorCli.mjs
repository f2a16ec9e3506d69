// The CLI on the floor's Node (20.18.1, the lowest package.json engines.node allows): the built
// bin/nhs-auth.cjs runs in that Node itself, with no re-launch. It starts `nhs-auth emulator` and gets
// a client-credentials token from it with `nhs-auth token`, both on that Node, as a person would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureNode, VSCODE_SERVERS, onExitCleanup } from './vscodeServer.mjs';
import { packCli } from './packCli.mjs';

export async function runFloorCli({ root, log = console.log }) {
  const node = ensureNode(VSCODE_SERVERS.floor.node, { log });
  const cli = join(root, 'bin', 'nhs-auth.cjs');
  const results = [];
  const check = (name, ok, detail = '') => {
    results.push(ok);
    log(`  ${ok ? '✔' : '✖'} ${name}${ok ? '' : `: ${detail}`}`);
  };
  const env = { ...process.env, NHS_AUTH_EMULATOR_CONTROL_TOKEN: '' };
  const version = spawnSync(node, [cli, '--version'], { encoding: 'utf8', env });
  check(`nhs-auth --version on Node ${VSCODE_SERVERS.floor.node}`, version.status === 0 && /^\d+\.\d+\.\d+/.test(version.stdout), version.stderr);

  // A reader that stops after the first line closes the pipe; the CLI ends quietly with 0.
  const head = spawnSync('sh', ['-c', `"${node}" "${cli}" --help | head -n 1`], { encoding: 'utf8', env });
  check('nhs-auth --help | head -n 1 ends without an EPIPE error', head.status === 0 && !/EPIPE|Unhandled/.test(head.stderr) && /^nhs-auth /.test(head.stdout), head.stderr);

  // The CLI's own package, installed globally into an empty prefix with no network, then run by name
  // on that Node: what `npm install -g ./nhs-auth-<version>.tgz` gives a person outside this clone.
  const tmp = mkdtempSync(join(tmpdir(), 'nhs-auth-pack-'));
  try {
    const tgz = await packCli({ root, outDir: tmp, stage: join(tmp, 'stage') });
    const prefix = join(tmp, 'prefix');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz], { encoding: 'utf8', env });
    const path = `${join(prefix, 'bin')}:${dirname(node)}:${process.env.PATH ?? ''}`;
    const installed = spawnSync('nhs-auth', ['--version'], { encoding: 'utf8', env: { ...env, PATH: path } });
    check(`npm install -g nhs-auth-*.tgz, then nhs-auth --version on Node ${VSCODE_SERVERS.floor.node}`,
      install.status === 0 && installed.status === 0 && /^\d+\.\d+\.\d+/.test(installed.stdout), `${install.stderr}${installed.stderr ?? ''}${installed.error?.message ?? ''}`);
  } catch (e) {
    check('npm run pack:cli', false, e instanceof Error ? e.message : String(e));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const emulator = spawn(node, [cli, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const stop = () => { try { process.kill(-emulator.pid, 'SIGTERM'); } catch { /* gone */ } };
  const unregister = onExitCleanup(stop);
  try {
    let out = '';
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      emulator.stdout.on('data', (c) => {
        out += c.toString();
        if (out.includes('Press Ctrl+C')) { clearTimeout(timer); resolve(true); }
      });
      emulator.once('exit', () => { clearTimeout(timer); resolve(false); });
    });
    const field = (label) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1];
    const tokenUrl = field('Token URL');
    check(`nhs-auth emulator on Node ${VSCODE_SERVERS.floor.node}`, ready && !!tokenUrl, 'did not start');
    if (ready && tokenUrl) {
      const token = spawnSync(node, [cli, 'token', 'client-credentials', '--token-url', tokenUrl, '--api-key', field('API key'), '--key', field('Private key'), '--kid', field('kid')], { encoding: 'utf8', env, timeout: 60_000 });
      check(`nhs-auth token client-credentials on Node ${VSCODE_SERVERS.floor.node}`, token.status === 0 && /token_type:\s+Bearer/.test(token.stdout), token.stderr);
    } else {
      results.push(false);
    }
  } finally {
    stop();
    unregister();
  }
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  return { ok: failed === 0 && passed > 0, passed, failed };
}
