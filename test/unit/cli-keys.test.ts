import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { main } from '../../src/cli/main.ts';
import { jwkThumbprint, parseJwks, publicJwk } from '../../src/core/keys/jwks.ts';

let dir: string;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('nhs-auth keys', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhs-auth-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('generate writes KID.pem (0600), KID.pem.pub and KID.json, prints no secret, refuses to overwrite', async () => {
    const out = join(dir, 'keys');
    const r = await run('keys', 'generate', '--kid', 'test-1', '--out', out);
    assert.equal(r.code, 0, r.err);
    const pem = await readFile(join(out, 'test-1.pem'), 'utf8');
    const pub = await readFile(join(out, 'test-1.pem.pub'), 'utf8');
    const jwks = parseJwks(await readFile(join(out, 'test-1.json'), 'utf8'));
    assert.equal((await stat(join(out, 'test-1.pem'))).mode & 0o777, 0o600);
    assert.equal(createPrivateKey(pem).asymmetricKeyDetails?.modulusLength, 4096);
    assert.ok(createPublicKey(pem).equals(createPublicKey(pub)));
    assert.deepEqual(jwks.keys[0], await publicJwk(pub, 'test-1'));
    const thumb = await jwkThumbprint(await publicJwk(pub, 'test-1'));
    assert.match(r.out, new RegExp(`thumbprint:\\s+${thumb}`));
    assert.match(r.out, /test-1\.pem\.pub/);
    assert.ok(!r.out.includes('PRIVATE KEY') && !r.err.includes('PRIVATE KEY'));
    const again = await run('keys', 'generate', '--kid', 'test-1', '--out', out);
    assert.equal(again.code, 1);
    assert.match(again.err, /ERR_KID_EXISTS.*refusing to overwrite/);
    assert.equal(await readFile(join(out, 'test-1.pem'), 'utf8'), pem);
  });

  test('a planted symlink is refused before anything is written, and a retry then works', async () => {
    const out = join(dir, 'planted');
    await mkdir(out, { recursive: true });
    const target = join(dir, 'attacker-chosen-target.json');
    await symlink(target, join(out, 'test-9.json'));
    const r = await run(
      'keys',
      'import',
      '--pem',
      join(dir, 'keys', 'test-1.pem'),
      '--kid',
      'test-9',
      '--out',
      out,
    );
    assert.equal(r.code, 1);
    assert.match(r.err, /ERR_KID_EXISTS.*test-9\.json already exists \(a file or a symlink\)/);
    assert.deepEqual(
      (await readdir(out)).sort(),
      ['test-9.json'],
      'no private key, no temporary file left behind',
    );
    await assert.rejects(lstat(target), /ENOENT/, 'nothing written through the link');
    await rm(join(out, 'test-9.json'));
    const retry = await run(
      'keys',
      'import',
      '--pem',
      join(dir, 'keys', 'test-1.pem'),
      '--kid',
      'test-9',
      '--out',
      out,
    );
    assert.equal(retry.code, 0, retry.err);
    assert.deepEqual((await readdir(out)).sort(), ['test-9.json', 'test-9.pem', 'test-9.pem.pub']);
    assert.equal((await stat(join(out, 'test-9.pem'))).mode & 0o777, 0o600);
  });

  test('jwks prints a JWKS; --merge appends and refuses a clashing KID', async () => {
    const pem = join(dir, 'keys', 'test-1.pem');
    const r = await run('keys', 'jwks', '--key', pem, '--kid', 'test-1');
    assert.equal(r.code, 0, r.err);
    const jwks = parseJwks(r.out);
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      ['test-1'],
    );
    assert.ok(!('d' in jwks.keys[0]!));
    const merged = await run(
      'keys',
      'jwks',
      '--key',
      join(dir, 'keys', 'test-1.pem.pub'),
      '--kid',
      'test-2',
      '--merge',
      join(dir, 'keys', 'test-1.json'),
    );
    assert.equal(merged.code, 0, merged.err);
    assert.deepEqual(
      parseJwks(merged.out).keys.map((k) => k.kid),
      ['test-1', 'test-2'],
    );
    const clash = await run(
      'keys',
      'jwks',
      '--key',
      pem,
      '--kid',
      'test-1',
      '--merge',
      join(dir, 'keys', 'test-1.json'),
    );
    assert.match(clash.err, /ERR_KID_EXISTS/);
  });

  test('thumbprint and import --pem', async () => {
    const pem = join(dir, 'keys', 'test-1.pem');
    const t = await run('keys', 'thumbprint', '--key', pem);
    assert.equal(t.code, 0);
    assert.match(t.out, /^[A-Za-z0-9_-]{43}$/);
    const pkcs1 = createPrivateKey(await readFile(pem, 'utf8'))
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    await writeFile(join(dir, 'legacy.pem'), pkcs1);
    const r = await run(
      'keys',
      'import',
      '--pem',
      join(dir, 'legacy.pem'),
      '--kid',
      'test-5',
      '--out',
      join(dir, 'imported'),
    );
    assert.equal(r.code, 0, r.err);
    assert.match(await readFile(join(dir, 'imported', 'test-5.pem'), 'utf8'), /BEGIN PRIVATE KEY/);
    assert.match(r.out, new RegExp(t.out));
  });

  test('bad usage gives clear errors and non-zero exits', async () => {
    assert.equal((await run('keys')).code, 2);
    assert.equal((await run('keys', 'frobnicate')).code, 2);
    const noKid = await run('keys', 'generate', '--out', dir);
    assert.match(noKid.err, /ERR_ARGUMENT.*--kid/);
    const traversal = await run('keys', 'generate', '--kid', '../x', '--out', dir);
    assert.match(traversal.err, /ERR_ARGUMENT/);
    const unknownOpt = await run('keys', 'jwks', '--bogus');
    assert.match(unknownOpt.err, /ERR_ARGUMENT/);
    const missing = await run('keys', 'jwks', '--key', join(dir, 'nope.pem'), '--kid', 'k');
    assert.match(missing.err, /ERR_ARGUMENT.*no such file/);
    const pub = await run(
      'keys',
      'import',
      '--pem',
      join(dir, 'keys', 'test-1.pem.pub'),
      '--kid',
      'k',
      '--out',
      dir,
    );
    assert.match(pub.err, /ERR_KEY_TYPE/);
    assert.match((await run('keys', '--help')).out, /keys generate --kid KID --out DIR/);
  });
});
