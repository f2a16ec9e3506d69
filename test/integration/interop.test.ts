// Interop with the tools the platform's docs use: the openssl JWKS recipe, openssl dgst, and PyJWT.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import { buildJwks, publicJwk } from '../../src/core/keys/jwks.ts';
import { importPkcs12, importPrivateKeyPem } from '../../src/core/keys/importKey.ts';
import { signClientAssertion } from '../../src/core/assertion/signClientAssertion.ts';
import { lintAssertion } from '../../src/core/assertion/lintAssertion.ts';

const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2-mock/token';
const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';

let dir: string;
let ours: KeyPairPem;
let opensslPem: string;

function sh(script: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** The docs' modulus recipe, byte for byte apart from an xxd fallback. */
function recipeModulus(pubFile: string): string {
  const unhex =
    spawnSync('bash', ['-c', 'command -v xxd']).status === 0
      ? 'xxd -r -p'
      : 'perl -ne \'chomp; print pack("H*", $_)\'';
  return sh(
    `openssl rsa -pubin -in "$PUB" -noout -modulus | cut -d '=' -f2 | ${unhex} | openssl base64 -A | sed 's|+|-|g; s|/|_|g; s|=||g'`,
    { PUB: pubFile },
  ).trim();
}

/** A python3 that can import PyJWT (Debian's python3-jwt lives under /usr/bin/python3). */
function pythonWithJwt(): string {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import jwt, cryptography'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return assert.fail(
    'PyJWT is not importable: install python3-jwt (apt-get install -y python3-jwt python3-cryptography). This interop test does not skip.',
  );
}

function python(code: string, env: Record<string, string>): string {
  const r = spawnSync(pythonWithJwt(), ['-c', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return r.stdout.trim();
}

describe('interop with openssl and PyJWT', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhs-auth-interop-'));
    ours = await generateKeyPair();
    await writeFile(join(dir, 'ours.pem'), ours.privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'ours.pem.pub'), ours.publicKeyPem);
    // The docs' own two commands.
    sh(
      'openssl genrsa -out theirs.pem 4096 2>/dev/null && openssl rsa -in theirs.pem -pubout -outform PEM -out theirs.pem.pub 2>/dev/null',
    );
    opensslPem = await readFile(join(dir, 'theirs.pem'), 'utf8');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('JWKS n and e equal the openssl recipe for our key and for an openssl-generated key', async () => {
    for (const name of ['ours', 'theirs']) {
      const pub = await readFile(join(dir, `${name}.pem.pub`), 'utf8');
      const jwk = await publicJwk(pub, 'test-1');
      assert.equal(jwk.n, recipeModulus(`${name}.pem.pub`), name);
      assert.equal(jwk.e, 'AQAB');
    }
    // openssl derives the same public PEM from our private key.
    assert.equal(sh('openssl rsa -in ours.pem -pubout 2>/dev/null'), ours.publicKeyPem);
  });

  test('an openssl genrsa key imports and matches its openssl public key', async () => {
    const imported = importPrivateKeyPem(opensslPem);
    assert.equal(imported.publicKeyPem, await readFile(join(dir, 'theirs.pem.pub'), 'utf8'));
    const pkcs1 = sh('openssl rsa -in theirs.pem -traditional 2>/dev/null');
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    assert.equal(importPrivateKeyPem(pkcs1).privateKeyPem, imported.privateKeyPem);
  });

  test('openssl-made PKCS#12 files (modern, legacy, with certificate, EC) import or fail clearly', () => {
    sh(`openssl pkcs12 -export -nocerts -inkey theirs.pem -out modern.p12 -passout pass:s3cret 2>/dev/null
        openssl pkcs12 -export -legacy -nocerts -inkey theirs.pem -out legacy.p12 -passout pass:s3cret 2>/dev/null
        openssl req -x509 -new -key theirs.pem -subj /CN=nhs-auth-test -days 2 -out cert.pem 2>/dev/null
        openssl pkcs12 -export -inkey theirs.pem -in cert.pem -out withcert.p12 -passout pass:s3cret 2>/dev/null
        openssl pkcs12 -export -nokeys -in cert.pem -out certonly.p12 -passout pass:s3cret 2>/dev/null
        openssl ecparam -genkey -name prime256v1 -noout -out ec.pem
        openssl pkcs12 -export -nocerts -inkey ec.pem -out ec.p12 -passout pass:s3cret 2>/dev/null`);
    const expected = importPrivateKeyPem(opensslPem).privateKeyPem;
    for (const f of ['modern', 'legacy', 'withcert']) {
      const data = readFileSync(join(dir, `${f}.p12`));
      assert.equal(importPkcs12(data, 's3cret').privateKeyPem, expected, f);
      assert.throws(() => importPkcs12(data, 'wrong'), { code: 'ERR_PKCS12_PASSPHRASE' }, f);
    }
    assert.throws(() => importPkcs12(readFileSync(join(dir, 'ec.p12')), 's3cret'), { code: 'ERR_KEY_TYPE' });
    assert.throws(() => importPkcs12(readFileSync(join(dir, 'certonly.p12')), 's3cret'), {
      code: 'ERR_PKCS12_INVALID',
    });
  });

  test('our assertion verifies with PyJWT (RS512, audience) and with openssl dgst -sha512', async () => {
    const jwt = await signClientAssertion({
      privateKeyPem: ours.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: TOKEN_URL,
    });
    const out = python(
      `import jwt, json, os
pub = open(os.environ['PUB']).read()
tok = os.environ['TOK']
claims = jwt.decode(tok, pub, algorithms=['RS512'], audience=os.environ['AUD'], issuer=os.environ['ISS'])
print(json.dumps({'header': jwt.get_unverified_header(tok), 'claims': claims}))`,
      { PUB: join(dir, 'ours.pem.pub'), TOK: jwt, AUD: TOKEN_URL, ISS: API_KEY },
    );
    const parsed = JSON.parse(out) as { header: Record<string, unknown>; claims: Record<string, unknown> };
    assert.deepEqual(parsed.header, { alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    assert.equal(parsed.claims.sub, API_KEY);
    // PyJWT rejects a different audience, proving it checked.
    const wrongAud = spawnSync(
      pythonWithJwt(),
      [
        '-c',
        "import jwt, os; jwt.decode(os.environ['TOK'], open(os.environ['PUB']).read(), algorithms=['RS512'], audience='https://api.service.nhs.uk/oauth2/token')",
      ],
      { env: { ...process.env, TOK: jwt, PUB: join(dir, 'ours.pem.pub') }, encoding: 'utf8' },
    );
    assert.notEqual(wrongAud.status, 0);
    assert.match(wrongAud.stderr, /InvalidAudienceError/);

    const [h, p, s] = jwt.split('.');
    await writeFile(join(dir, 'input.txt'), `${h}.${p}`);
    await writeFile(join(dir, 'sig.bin'), Buffer.from(s!, 'base64url'));
    assert.match(sh('openssl dgst -sha512 -verify ours.pem.pub -signature sig.bin input.txt'), /Verified OK/);
    await writeFile(join(dir, 'input.txt'), `${h}.${p}x`);
    assert.throws(() =>
      sh('openssl dgst -sha512 -verify ours.pem.pub -signature sig.bin input.txt 2>/dev/null'),
    );
  });

  test("assertions made by PyJWT (the docs' Python example) and by openssl lint clean", async () => {
    const jwks = await buildJwks([
      { kid: 'test-1', publicKeyPem: await readFile(join(dir, 'theirs.pem.pub'), 'utf8') },
    ]);
    const pyJwt = python(
      `import jwt, uuid, os
from time import time
claims = {'sub': os.environ['KEY'], 'iss': os.environ['KEY'], 'jti': str(uuid.uuid4()), 'aud': os.environ['AUD'], 'exp': int(time()) + 300}
print(jwt.encode(claims, open(os.environ['PRIV']).read(), algorithm='RS512', headers={'kid': 'test-1'}))`,
      { KEY: API_KEY, AUD: TOKEN_URL, PRIV: join(dir, 'theirs.pem') },
    );
    assert.deepEqual(await lintAssertion(pyJwt, { tokenUrl: TOKEN_URL, apiKey: API_KEY, jwks }), []);

    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ alg: 'RS512', typ: 'JWT', kid: 'test-1' })}.${b64({ iss: API_KEY, sub: API_KEY, aud: TOKEN_URL, jti: 'a-guid', exp: Math.floor(Date.now() / 1000) + 200 })}`;
    await writeFile(join(dir, 'input2.txt'), input);
    const sig = execFileSync('openssl', [
      'dgst',
      '-sha512',
      '-sign',
      join(dir, 'theirs.pem'),
      join(dir, 'input2.txt'),
    ]);
    const opensslJwt = `${input}.${sig.toString('base64url')}`;
    assert.deepEqual(await lintAssertion(opensslJwt, { tokenUrl: TOKEN_URL, apiKey: API_KEY, jwks }), []);
    // Published under the wrong key, the same token fails the signature rule.
    const wrongJwks = await buildJwks([{ kid: 'test-1', publicKeyPem: ours.publicKeyPem }]);
    assert.deepEqual(
      (await lintAssertion(opensslJwt, { tokenUrl: TOKEN_URL, apiKey: API_KEY, jwks: wrongJwks })).map(
        (f) => f.rule,
      ),
      ['signature'],
    );
  });
});
