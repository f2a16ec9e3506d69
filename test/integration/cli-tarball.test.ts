// The CLI's own npm package (scripts/packCli.mjs, `npm run pack:cli`): packed, installed globally into a
// temporary prefix with npm, offline, and run from outside the repository by a Node 20 found on PATH
// (the system's), with nothing of the repository on its PATH or module path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** A directory on PATH holding a Node 20 (not the Node 24 the tests run on). */
function node20Dir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const bin = join(dir, 'node');
    if (!dir || !existsSync(bin)) continue;
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v.startsWith('v20.') && existsSync(join(dir, 'npm'))) return dir;
  }
  return undefined;
}

let dir: string;
let tgz: string;
const nodeDir = node20Dir();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nhs-auth-tgz-'));
  const { packCli } = (await import(join(root, 'scripts', 'packCli.mjs'))) as {
    packCli: (o: { root: string; outDir: string }) => Promise<string>;
  };
  tgz = await packCli({ root, outDir: join(dir, 'pack') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  'npm install -g of the CLI tarball into a temporary prefix runs nhs-auth on the system Node 20',
  { skip: nodeDir ? false : 'no Node 20 with npm on PATH' },
  () => {
    assert.match(tgz, /nhs-auth-\d+\.\d+\.\d+\.tgz$/);
    const prefix = join(dir, 'prefix');
    const env = {
      PATH: `${join(prefix, 'bin')}${delimiter}${nodeDir!}`,
      HOME: dir,
      npm_config_cache: join(dir, 'npm-cache'),
    };
    const install = spawnSync(
      join(nodeDir!, 'npm'),
      ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz],
      { cwd: dir, env, encoding: 'utf8' },
    );
    assert.equal(install.status, 0, install.stderr);
    const bin = join(prefix, 'bin', 'nhs-auth');
    assert.ok(existsSync(bin), 'bin/nhs-auth was linked');
    const version = spawnSync('nhs-auth', ['--version'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const help = spawnSync('nhs-auth', ['--help'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^nhs-auth \d/);
    // A real key pair made by the installed CLI alone (its bundled jose and node crypto).
    const keys = spawnSync('nhs-auth', ['keys', 'generate', '--kid', 'test-1', '--out', join(dir, 'keys')], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    assert.equal(keys.status, 0, keys.stderr);
    assert.ok(existsSync(join(dir, 'keys', 'test-1.json')));
    assert.equal(
      dirname(spawnSync('sh', ['-c', 'command -v node'], { env, encoding: 'utf8' }).stdout.trim()),
      nodeDir,
    );
  },
);
