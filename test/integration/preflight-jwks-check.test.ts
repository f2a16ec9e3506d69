// The JWKS URL check against local servers that serve each defect, fetched as the platform fetches
// (User-Agent APIM, no redirects, a deadline), through the core and through `nhs-auth jwks check`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJwksUrl } from '../../src/core/preflight/checkJwksUrl.ts';
import type { JwksCheckReport } from '../../src/core/preflight/checkJwksUrl.ts';
import { hasPreflightErrors } from '../../src/core/preflight/findings.ts';
import { CLIENT_ASSERTION_ERRORS } from '../../src/core/assertion/platformErrors.ts';
import { main } from '../../src/cli/main.ts';
import { capture } from '../cliIo.ts';

type Jwk = Record<string, unknown> & { n: string; e: string };
const mine = generateKeyPairSync('rsa', { modulusLength: 4096 });
const theirs = generateKeyPairSync('rsa', { modulusLength: 4096 });
const jwkOf = (k: typeof mine, kid: string): Jwk => ({
  ...(k.publicKey.export({ format: 'jwk' }) as Jwk),
  kid,
  use: 'sig',
  alg: 'RS512',
});
const local = (kid?: string): { kid?: string; n: string; e: string } => ({
  kid,
  n: jwkOf(mine, 'x').n,
  e: jwkOf(mine, 'x').e,
});

let server: Server;
let base: string;
let closedPortUrl: string;
let dir: string;
let keyFile: string;
const userAgents: string[] = [];
const pending = new Set<ServerResponse>();

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

before(async () => {
  server = createServer((req, res) => {
    userAgents.push(String(req.headers['user-agent']));
    switch (req.url) {
      case '/good.json':
        return send(res, 200, 'application/json', JSON.stringify({ keys: [jwkOf(mine, 'test-1')] }));
      case '/other-modulus.json':
        return send(res, 200, 'application/json', JSON.stringify({ keys: [jwkOf(theirs, 'test-1')] }));
      case '/missing-kid.json':
        return send(res, 200, 'application/json', JSON.stringify({ keys: [jwkOf(mine, 'test-2')] }));
      case '/login':
        return send(
          res,
          200,
          'text/html',
          '<!doctype html><html><body><form action="/session"><input name="password" type="password"></form>Sign in</body></html>',
        );
      case '/redirect':
        return send(res, 302, 'text/plain', '', { location: `${base}/login?next=/jwks.json` });
      case '/slow':
        pending.add(res);
        return undefined;
      default:
        return send(res, 404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedPortUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`;
  await new Promise<void>((r) => closed.close(() => r()));
  dir = await mkdtemp(join(tmpdir(), 'nhs-auth-jwks-check-'));
  keyFile = join(dir, 'test-1.pem');
  await writeFile(keyFile, mine.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, {
    mode: 0o600,
  });
});

after(async () => {
  for (const res of pending) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

const errors = (r: JwksCheckReport): string[] =>
  r.findings.filter((f) => f.severity === 'error').map((f) => f.rule);

describe('JWKS URL check against local servers', () => {
  test('a good JWKS with the KID and your modulus: accepted, fetched with User-Agent APIM', async () => {
    const before = userAgents.length;
    const r = await checkJwksUrl(`${base}/good.json`, { kid: 'test-1', localKeys: [local('test-1')] });
    assert.deepEqual(errors(r), []);
    assert.equal(hasPreflightErrors(r.findings), false);
    assert.equal(r.response?.status, 200);
    assert.equal(r.response?.keyCount, 1);
    assert.deepEqual(userAgents.slice(before), ['APIM']);
    assert.ok(r.findings.some((f) => f.rule === 'jwks-cache' && /3600 s/.test(f.message)));
  });

  test('a URL with no path is refused without a request', async () => {
    const before = userAgents.length;
    const r = await checkJwksUrl(base, { kid: 'test-1' });
    assert.deepEqual(errors(r), ['jwks-url-no-path']);
    assert.equal(userAgents.length, before);
  });

  test('an HTML sign-in page served with 200', async () => {
    const r = await checkJwksUrl(`${base}/login`, { kid: 'test-1' });
    assert.deepEqual(errors(r), ['jwks-html']);
    const f = r.findings.find((x) => x.rule === 'jwks-html')!;
    assert.match(f.message, /sign-in page/);
    assert.equal(f.inferred, true);
  });

  test('a redirect to a sign-in page is not followed', async () => {
    const r = await checkJwksUrl(`${base}/redirect`, { kid: 'test-1' });
    assert.deepEqual(errors(r), ['jwks-redirect']);
    assert.equal(r.response?.status, 302);
    assert.match(r.findings[1]!.message, /302.*\/login\?next.*sign-in page/);
    assert.equal(r.findings[1]!.platformError, CLIENT_ASSERTION_ERRORS.jwksUnreachable);
  });

  test('a 404', async () => {
    const r = await checkJwksUrl(`${base}/nothing-here.json`, { kid: 'test-1' });
    assert.deepEqual(errors(r), ['jwks-status']);
    assert.match(r.findings.find((f) => f.rule === 'jwks-status')!.message, /HTTP 404 \(not found/);
  });

  test('a wrong modulus under the right KID', async () => {
    const r = await checkJwksUrl(`${base}/other-modulus.json`, {
      kid: 'test-1',
      localKeys: [local('test-1')],
    });
    assert.deepEqual(errors(r), ['jwks-modulus-mismatch']);
    assert.equal(
      r.findings.find((f) => f.rule === 'jwks-modulus-mismatch')!.platformError,
      CLIENT_ASSERTION_ERRORS.signature,
    );
  });

  test('a missing KID (your key published under another one)', async () => {
    const r = await checkJwksUrl(`${base}/missing-kid.json`, { kid: 'test-1', localKeys: [local('test-1')] });
    assert.deepEqual(errors(r), ['jwks-kid-missing']);
    assert.match(r.findings.find((f) => f.rule === 'jwks-kid-missing')!.message, /under kid 'test-2'/);
  });

  test('a slow server hits the deadline; a refused connection says which failure it is', async () => {
    const slow = await checkJwksUrl(`${base}/slow`, { kid: 'test-1', timeoutMs: 300 });
    assert.deepEqual(errors(slow), ['jwks-unreachable-timeout']);
    const refused = await checkJwksUrl(closedPortUrl, { kid: 'test-1' });
    assert.deepEqual(errors(refused), ['jwks-unreachable-connect']);
    assert.match(refused.findings.find((f) => f.severity === 'error')!.message, /ECONNREFUSED/);
  });
});

describe('nhs-auth jwks check', () => {
  test('exit 0 for a good JWKS with --kid and --key; the private key never reaches the output', async () => {
    const io = capture();
    assert.equal(
      await main(['jwks', 'check', `${base}/good.json`, '--kid', 'test-1', '--key', keyFile], io),
      0,
      io.stdout.join('\n'),
    );
    const out = io.stdout.join('\n');
    assert.match(out, /fetched: {2}HTTP 200 in \d+ ms, 1 key\(s\)/);
    assert.match(out, /^OK: the platform can fetch this JWKS and find kid 'test-1'/m);
    assert.ok(!out.includes('PRIVATE KEY'));
  });

  test('exit 1 with the platform error and fix for a wrong modulus; --json says accepted false', async () => {
    const io = capture();
    assert.equal(
      await main(['jwks', 'check', `${base}/other-modulus.json`, '--kid', 'test-1', '--key', keyFile], io),
      1,
    );
    const out = io.stdout.join('\n');
    assert.match(out, /error {3}\[jwks-modulus-mismatch\]/);
    assert.match(
      out,
      /platform: HTTP 401 \{"error":"public_key error","error_description":"JWT signature verification failed"\}/,
    );
    assert.match(out, /^REFUSED: 1 error/m);
    const json = capture();
    assert.equal(
      await main(
        ['jwks', 'check', `${base}/other-modulus.json`, '--kid', 'test-1', '--key', keyFile, '--json'],
        json,
      ),
      1,
    );
    assert.equal((JSON.parse(json.stdout.join('\n')) as { accepted: boolean }).accepted, false);
  });

  test('bad arguments are clear errors', async () => {
    const io = capture();
    assert.equal(await main(['jwks', 'check'], io), 1);
    assert.match(io.stderr.join('\n'), /ERR_ARGUMENT: jwks check needs exactly one URL/);
    const t = capture();
    assert.equal(await main(['jwks', 'check', `${base}/good.json`, '--timeout', 'soon'], t), 1);
    assert.match(t.stderr.join('\n'), /--timeout must be a number of seconds/);
  });
});
