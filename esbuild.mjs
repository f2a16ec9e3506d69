// Bundles the extension, the CLI, the webview UI and the extension-host test suite.
// The extension and CLI are single CommonJS files (jose is ESM-only; VS Code loads CommonJS),
// targeting Node 20, the runtime of VS Code 1.96's extension host (the floor in package.json engines).
import { build, context } from 'esbuild';
import { mkdirSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  define: { __VERSION__: JSON.stringify(pkg.version) },
};

function testEntries(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testEntries(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const configs = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.cjs' },
  { ...node, entryPoints: ['src/cli/run.ts'], outfile: 'dist/cli.cjs' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: false,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['src/webview/inspector/main.ts'],
    outfile: 'dist/webview/inspector.js',
  },
];
if (withTests) {
  // One file per test module so the mocha index can discover them without a shared list.
  configs.push({
    ...node,
    sourcemap: 'inline',
    entryPoints: testEntries('test/extension'),
    outdir: 'out/test/extension',
    // mocha is bundled in: mocha 12 is ESM that needs require(esm), which VS Code 1.96's Node 20.18 lacks.
    outbase: 'test/extension',
    external: ['vscode'],
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's parallel mode, unused
  });
  // The host-side driver of the browser-level inspector test and benchmark (scripts/workbenchInspectorTest.mjs).
  configs.push({
    ...node,
    sourcemap: 'inline',
    entryPoints: ['test/workbench/driver.ts'],
    outfile: 'out/test/workbench/driver.js',
  });
}

mkdirSync('out', { recursive: true });
writeFileSync('out/package.json', '{ "type": "commonjs" }\n');

if (watch) {
  for (const c of configs) await (await context(c)).watch();
} else {
  await Promise.all(configs.map((c) => build(c)));
}
