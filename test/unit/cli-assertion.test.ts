import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { main } from '../../src/cli/main.ts';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import { buildJwks } from '../../src/core/keys/jwks.ts';
import { signClientAssertion } from '../../src/core/assertion/signClientAssertion.ts';

const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';
const INT_MOCK = 'https://int.api.service.nhs.uk/oauth2-mock/token';
let dir: string;
let keyFile: string;
let jwksFile: string;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('nhs-auth assertion and lint', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhs-auth-assert-'));
    const pair = await generateKeyPair();
    keyFile = join(dir, 'test-1.pem');
    jwksFile = join(dir, 'test-1.json');
    await writeFile(keyFile, pair.privateKeyPem, { mode: 0o600 });
    await writeFile(
      jwksFile,
      JSON.stringify(await buildJwks([{ kid: 'test-1', publicKeyPem: pair.publicKeyPem }])),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('assertion --env int-mock prints a JWT that lints clean with the JWKS', async () => {
    const r = await run(
      'assertion',
      '--key',
      keyFile,
      '--kid',
      'test-1',
      '--api-key',
      API_KEY,
      '--env',
      'int-mock',
      '--lifetime',
      '120',
    );
    assert.equal(r.code, 0, r.err);
    const jwt = r.out.trim();
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    const claims = decodeJwt(jwt);
    assert.equal(claims.aud, INT_MOCK);
    assert.ok(Math.abs(Number(claims.exp) - Date.now() / 1000 - 120) < 5);
    const lint = await run('lint', jwt, '--env', 'int-mock', '--api-key', API_KEY, '--jwks', jwksFile);
    assert.equal(lint.code, 0, lint.out);
    assert.match(lint.out, /^OK: the platform should accept this assertion\.$/m);
  });

  test('assertion: local needs --token-url; conflicting or bad options are rejected', async () => {
    assert.match(
      (await run('assertion', '--key', keyFile, '--kid', 'test-1', '--api-key', API_KEY, '--env', 'local'))
        .err,
      /ERR_ARGUMENT.*--token-url/,
    );
    const local = await run(
      'assertion',
      '--key',
      keyFile,
      '--kid',
      'test-1',
      '--api-key',
      API_KEY,
      '--env',
      'local',
      '--token-url',
      'http://127.0.0.1:4010/oauth2/token',
    );
    assert.equal(decodeJwt(local.out).aud, 'http://127.0.0.1:4010/oauth2/token');
    assert.match(
      (
        await run(
          'assertion',
          '--key',
          keyFile,
          '--kid',
          'test-1',
          '--api-key',
          API_KEY,
          '--env',
          'prod',
          '--token-url',
          INT_MOCK,
        )
      ).err,
      /ERR_ARGUMENT/,
    );
    assert.match(
      (await run('assertion', '--key', keyFile, '--kid', 'test-1', '--api-key', API_KEY, '--env', 'staging'))
        .err,
      /ERR_ARGUMENT.*int-mock/,
    );
    assert.match(
      (
        await run(
          'assertion',
          '--key',
          keyFile,
          '--kid',
          'test-1',
          '--api-key',
          API_KEY,
          '--env',
          'int',
          '--lifetime',
          '600',
        )
      ).err,
      /ERR_ARGUMENT/,
    );
    assert.match(
      (await run('assertion', '--key', keyFile, '--kid', 'test-1', '--api-key', API_KEY)).err,
      /ERR_ARGUMENT.*--env/,
    );
    assert.match(
      (
        await run(
          'assertion',
          '--key',
          keyFile,
          '--kid',
          'test-1',
          '--api-key',
          API_KEY,
          '--token-url',
          'nope',
        )
      ).err,
      /ERR_URL_INVALID/,
    );
  });

  test('lint prints each finding with the platform error and fix, exit 1', async () => {
    const privateKeyPem = await readFile(keyFile, 'utf8');
    const jwt = await signClientAssertion({
      privateKeyPem,
      kid: 'test-9',
      apiKey: API_KEY,
      tokenUrl: 'https://api.service.nhs.uk/oauth2/token',
    });
    const r = await run('lint', jwt, '--env', 'int-mock', '--jwks', jwksFile);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /^error +\[aud-environment\] aud is the Production token URL but this profile targets Integration \(oauth2-mock\)\.$/m,
    );
    assert.match(
      r.out,
      /platform: HTTP 401 \{"error":"invalid_request","error_description":"Missing or invalid 'aud' claim in client_assertion JWT"\}/,
    );
    assert.match(r.out, /\[kid-not-in-jwks\]/);
    assert.match(r.out, /fix: Set aud to exactly "https:\/\/int\.api\.service\.nhs\.uk\/oauth2-mock\/token"/);
    assert.ok(r.out.indexOf('aud-environment') < r.out.indexOf('kid-not-in-jwks'));
    const json = await run('lint', 'garbage', '--token-url', INT_MOCK, '--json');
    assert.equal(json.code, 1);
    assert.equal(
      JSON.parse(json.out)[0].platformError.error_description,
      'Malformed JWT in client_assertion',
    );
  });

  test('lint warnings alone exit 0; bad JWKS file is a clear error', async () => {
    const privateKeyPem = await readFile(keyFile, 'utf8');
    const jwt = await signClientAssertion({
      privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: INT_MOCK,
      lifetimeSeconds: 10,
    });
    const r = await run('lint', jwt, '--token-url', INT_MOCK);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /warning \[lifetime-short\]/);
    await writeFile(join(dir, 'bad.json'), '<html>oops</html>');
    assert.match(
      (await run('lint', jwt, '--token-url', INT_MOCK, '--jwks', join(dir, 'bad.json'))).err,
      /ERR_JWKS_INVALID.*HTML/,
    );
    assert.match((await run('lint', '--token-url', INT_MOCK)).err, /ERR_ARGUMENT/);
  });

  test('lint - reads the JWT from stdin (real process)', async () => {
    const privateKeyPem = await readFile(keyFile, 'utf8');
    const jwt = await signClientAssertion({
      privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: INT_MOCK,
    });
    const runTs = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
    const child = spawn(process.execPath, [runTs, 'lint', '-', '--env', 'int-mock', '--jwks', jwksFile], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NHS_AUTH_API_KEY: '' },
    });
    child.stdin.end(`${jwt}\n`);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out + err);
    assert.match(out, /OK: the platform should accept this assertion/);
  });
});
