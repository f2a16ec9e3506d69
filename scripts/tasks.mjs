// The project's tasks, run under Node 24 by scripts/bootstrap.mjs (npm start / npm test / …).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function step(name, fn) {
  const t0 = Date.now();
  console.log(`\n━━ ${name}`);
  const result = fn();
  console.log(`━━ ${name}: ${result.ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

export function build({ tests = false, production = false } = {}) {
  const args = ['esbuild.mjs'];
  if (tests) args.push('--tests');
  if (production) args.push('--production');
  return sh(process.execPath, args) === 0;
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
}

/** Runs node's test runner on a folder; returns counts parsed from its TAP copy. */
function nodeTests(layer) {
  const dir = `test/${layer}`;
  if (!hasTests(join(root, dir))) return { ok: false, passed: 0, failed: 1, note: `no tests in ${dir}` };
  mkdirSync(join(root, 'out'), { recursive: true });
  const tap = join(root, 'out', `${layer}.tap`);
  const status = sh(process.execPath, [
    '--test', '--test-concurrency=2', '--test-timeout=120000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    `${dir}/**/*.test.ts`,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail');
  return { ok: status === 0 && passed > 0, passed, failed: status === 0 ? failed : Math.max(failed, 1) };
}

async function extensionTests(server = 'current') {
  const { runExtensionTests } = await import('./extensionTests.mjs');
  return runExtensionTests({ root, server });
}

const tasks = {
  build: async () => (build() ? 0 : 1),
  lint: async () => sh(join(root, 'node_modules/.bin/eslint'), ['.']),
  typecheck: async () => sh(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.']),
  unit: async () => (nodeTests('unit').ok ? 0 : 1),
  integration: async () => (nodeTests('integration').ok ? 0 : 1),
  extension: async () => {
    if (!build({ tests: true })) return 1;
    return (await extensionTests()).ok ? 0 : 1;
  },
  // The same suite on the floor of engines.vscode: VS Code 1.96's server on Node 20.18.1.
  floor: async () => {
    if (!build({ tests: true })) return 1;
    const { runFloorCli } = await import('./floorCli.mjs');
    const cli = await runFloorCli({ root });
    return (await extensionTests('floor')).ok && cli.ok ? 0 : 1;
  },
  person: async () => {
    if (!build()) return 1;
    const { runPersonTests } = await import('./personTests.mjs');
    return (await runPersonTests({ root })).ok ? 0 : 1;
  },
  electron: async () => {
    if (!build({ tests: true })) return 1;
    const { runElectronTests } = await import('./electronTests.mjs');
    return runElectronTests({ root });
  },
  package: async () => {
    const { packageVsix } = await import('./packageVsix.mjs');
    return (await packageVsix({ root })) ? 0 : 1;
  },
  start: async () => {
    const { start } = await import('./start.mjs');
    return start({ root, args: process.argv.slice(3) });
  },
  bench: async () => {
    const which = process.argv[3];
    const files = readdirSync(join(root, 'bench')).filter((f) => /\.bench\.(ts|mjs)$/.test(f) && (!which || f.startsWith(which)));
    let status = 0;
    for (const f of files) status ||= sh(process.execPath, [join('bench', f), ...process.argv.slice(4)]);
    return status;
  },
  test: async () => {
    const t0 = Date.now();
    const results = [];
    results.push({ name: 'lint', ...step('lint (eslint)', () => ({ ok: sh(join(root, 'node_modules/.bin/eslint'), ['.']) === 0 })) });
    results.push({ name: 'typecheck', ...step('typecheck (tsc --noEmit)', () => ({ ok: sh(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.']) === 0 })) });
    results.push({ name: 'build', ...step('build (esbuild)', () => ({ ok: build({ tests: true }) })) });
    results.push({ name: 'unit', layer: true, ...step('layer 1: core unit tests (plain Node)', () => nodeTests('unit')) });
    results.push({ name: 'integration', layer: true, ...step('layer 2: integration tests (loopback HTTP)', () => nodeTests('integration')) });
    console.log('\n━━ layer 3: extension-host tests (VS Code server + headless Chromium)');
    const t3 = Date.now();
    const ext = await extensionTests();
    // The inspector in the real workbench, driven like a person (scripts/workbenchInspectorTest.mjs).
    const { runWorkbenchInspectorTest } = await import('./workbenchInspectorTest.mjs');
    console.log('workbench: token inspector in the browser');
    const wb = await runWorkbenchInspectorTest({ root });
    console.log(`━━ layer 3: ${ext.ok && wb.ok ? 'ok' : 'FAILED'} (${((Date.now() - t3) / 1000).toFixed(1)} s)`);
    results.push({ name: 'extension', layer: true, ...ext });
    results.push({ name: 'workbench', layer: true, ...wb });
    // The floor of engines.vscode: the same suite in VS Code 1.96's server, on Node 20.18.1.
    console.log('\n━━ layer 3 on the floor: extension-host tests in VS Code 1.96 (Node 20.18.1)');
    const tf = Date.now();
    const floor = await extensionTests('floor');
    console.log(`━━ layer 3 on the floor: ${floor.ok ? 'ok' : 'FAILED'} (${((Date.now() - tf) / 1000).toFixed(1)} s)`);
    results.push({ name: 'extension (VS Code 1.96)', layer: true, ...floor });
    console.log('cli: the built nhs-auth on Node 20.18.1');
    const { runFloorCli } = await import('./floorCli.mjs');
    results.push({ name: 'cli (Node 20.18.1)', layer: true, ...(await runFloorCli({ root })) });
    // Layer 4: the workbench of `npm start` itself, as a person uses it (scripts/personTests.mjs).
    const { runPersonTests } = await import('./personTests.mjs');
    console.log('\n━━ layer 4: the npm start workbench, clicked and typed in like a person');
    const t4 = Date.now();
    const person = await runPersonTests({ root });
    console.log(`━━ layer 4: ${person.ok ? 'ok' : 'FAILED'} (${((Date.now() - t4) / 1000).toFixed(1)} s)`);
    results.push({ name: 'person', layer: true, ...person });
    const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
    const failed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
    console.log('\nSummary');
    for (const r of results) {
      const counts = r.layer ? ` ${r.passed ?? 0} passed, ${r.failed ?? 0} failed` : '';
      console.log(`  ${r.ok ? '✔' : '✖'} ${r.name}${counts}${r.note ? ` (${r.note})` : ''}`);
    }
    console.log(`  total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const ok = results.every((r) => r.ok);
    console.log(`tests: ${passed} passed, ${ok ? failed : Math.max(failed, 1)} failed`);
    return ok ? 0 : 1;
  },
};

const name = process.argv[2];
if (!tasks[name]) {
  console.error(`unknown task ${name}; one of: ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
process.exit(await tasks[name]());
