// Entry point of every npm script. Runs on any Node >= 18 with no dependencies: it makes sure
// node_modules and a Node 24 exist (VS Code 1.139 runs extensions on Node 24, and the tests run their
// TypeScript directly with its type stripping), then runs the task under Node 24. The built extension
// and CLI need only Node >= 20.18.1.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.9.0';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nhs-auth-explorer');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[bootstrap] installing npm dependencies (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.error('[bootstrap] npm ci failed: check that the npm registry is reachable.');
    process.exit(1);
  }
}

function ensureNode24() {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  const dir = join(cacheRoot, `node-${NODE_VERSION}`);
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(bin)) return bin;
  console.log(`[bootstrap] fetching Node ${NODE_VERSION} from the npm registry into ${dir}…`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  // Its own folder: installing other packages beside it would prune its platform package.
  if (
    run('npm', ['install', '--no-audit', '--no-fund', `node@${NODE_VERSION}`], { cwd: dir }) !== 0 ||
    !existsSync(bin)
  ) {
    console.error(`[bootstrap] could not install node@${NODE_VERSION}; install Node 24 yourself and re-run.`);
    process.exit(1);
  }
  return bin;
}

const [task = 'test', ...rest] = process.argv.slice(2);
ensureDependencies();
const node24 = ensureNode24();
const env = {
  ...process.env,
  PATH: `${dirname(node24)}:${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  NHS_AUTH_CACHE: cacheRoot,
};
process.exit(run(node24, [join(root, 'scripts', 'tasks.mjs'), task, ...rest], { env }));
