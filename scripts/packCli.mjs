// `npm run pack:cli`: the `nhs-auth` command line as an npm package of its own, out/nhs-auth-<version>.tgz.
// One minified CommonJS bundle (jose, undici and node-forge inside it), a package.json with `bin` and
// no dependencies, so `npm install -g ./nhs-auth-<version>.tgz` needs nothing else and no network.
// The bundle is built here from its own esbuild entry, in a staging folder: dist/ is left as it is.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const NODE_FLOOR = '20.18.1'; // undici 7's floor, as package.json engines.node says

// Runs before any bundled module: an older Node gets one clear line, not a stack from inside undici.
const VERSION_CHECK = `#!/usr/bin/env node
{const[a,b,c]=process.versions.node.split('.').map(Number);if(a<20||(a===20&&(b<18||(b===18&&c<1)))){console.error('nhs-auth: needs Node >= ${NODE_FLOOR} (this is '+process.version+').');process.exit(1)}}`;

/** Builds and packs the CLI; returns the path of the .tgz. */
export async function packCli({ root, outDir = join(root, 'out'), stage = join(outDir, 'cli-package') }) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'cli', 'run.ts')],
    outfile: join(stage, 'nhs-auth.cjs'),
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, sourcemap: false,
    legalComments: 'none', logLevel: 'warning',
    banner: { js: VERSION_CHECK },
    define: { __VERSION__: JSON.stringify(pkg.version) },
  });
  const manifest = {
    name: 'nhs-auth',
    version: pkg.version,
    description: 'NHS England API Platform auth from the command line: keys, JWKS, client assertions, tokens, an offline emulator.',
    license: pkg.license,
    repository: pkg.repository,
    bin: { 'nhs-auth': 'nhs-auth.cjs' },
    files: ['nhs-auth.cjs'],
    engines: { node: `>=${NODE_FLOOR}` },
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  writeFileSync(join(stage, 'README.md'), `# nhs-auth\n\nThe command line of NHS Auth Explorer: \`nhs-auth --help\` lists its commands. Needs Node >= ${NODE_FLOOR}.\n`);
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync('npm', ['pack', '--pack-destination', outDir, '--json', '--offline', '--ignore-scripts'], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr || r.error?.message}`);
  const [{ filename }] = JSON.parse(r.stdout);
  return join(outDir, filename);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const i = process.argv.indexOf('--out');
  const outDir = i > 0 ? resolve(process.argv[i + 1]) : undefined;
  const tgz = await packCli({ root, ...(outDir ? { outDir } : {}) });
  console.log(tgz);
}
