import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'undici';
import { decideTokenRetry, requestToken } from '../../src/core/token/requestToken.ts';
import { clientCredentialsGrant } from '../../src/core/token/clientCredentials.ts';
import { refreshTokenGrant } from '../../src/core/token/refreshTokenGrant.ts';
import { tokenExchangeGrant } from '../../src/core/token/tokenExchange.ts';
import { assertionSigner } from '../../src/core/token/assertionSigner.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';
import type { TokenProvider } from '../../src/core/token/tokenProvider.ts';
import { buildAuthorizeUrl, authorizeUrlNextTo } from '../../src/core/token/authorizeUrl.ts';
import { startLoopbackRedirect } from '../../src/core/token/loopbackRedirect.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { decodeJwtParts } from '../../src/core/jwt/decode.ts';
import type { RequestLogEntry } from '../../src/core/log/requestLogEntry.ts';

interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
}

async function tokenServer(
  reply: (seen: Seen, n: number, req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const s = { headers: req.headers, body };
      seen.push(s);
      reply(s, seen.length, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const noSleep = async (): Promise<void> => undefined;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const API_KEY = 'abcdEFGH1234567890ijklmnopqrWXYZ';

describe('requestToken against a local server', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  test('client credentials: exact form content type, fresh assertion, string values normalised', async () => {
    const s = await tokenServer((_s, _n, _q, res) =>
      json(res, 200, {
        access_token: 'AT-111122223333',
        expires_in: '599',
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      }),
    );
    closers.push(s.close);
    const entries: RequestLogEntry[] = [];
    const r = await clientCredentialsGrant({
      provider: nhsPlatformProvider(s.url),
      assertion: assertionSigner({ privateKeyPem: pem, kid: 'test-1', apiKey: API_KEY, tokenUrl: s.url }),
      apiKey: API_KEY,
      onLog: (e) => entries.push(e),
    });
    assert.equal(s.seen[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(s.seen[0]?.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const decoded = decodeJwtParts(form.get('client_assertion') ?? '');
    assert.deepEqual(
      { alg: decoded.header['alg'], typ: decoded.header['typ'], kid: decoded.header['kid'] },
      { alg: 'RS512', typ: 'JWT', kid: 'test-1' },
    );
    assert.equal(decoded.payload['aud'], s.url);
    assert.equal(r.token.expiresInSeconds, 599);
    assert.equal(r.token.accessToken, 'AT-111122223333');
    assert.equal(r.attempts, 1);
    assert.equal(entries.length, 1);
    const logged = JSON.stringify(entries);
    assert.ok(
      !logged.includes(API_KEY) &&
        !logged.includes(form.get('client_assertion') ?? '?') &&
        !logged.includes('AT-111122223333'),
    );
    assert.equal(entries[0]?.clientAssertion?.payload?.['iss'], 'abcd…WXYZ');
  });

  test('a 503 HTML page then success is retried with a new assertion (new jti)', async () => {
    const s = await tokenServer((_s, n, _q, res) => {
      if (n === 1) {
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '0' });
        res.end('<html>Service Unavailable</html>');
        return;
      }
      json(res, 200, { access_token: 'AT-2', expires_in: '599', token_type: 'Bearer' });
    });
    closers.push(s.close);
    const r = await clientCredentialsGrant({
      provider: nhsPlatformProvider(s.url),
      assertion: assertionSigner({ privateKeyPem: pem, kid: 'k', apiKey: API_KEY, tokenUrl: s.url }),
      sleep: noSleep,
    });
    assert.equal(r.attempts, 2);
    assert.equal(r.logEntries.length, 2);
    assert.equal(r.logEntries[0]?.status, 503);
    const jti = (b: string): unknown =>
      decodeJwtParts(new URLSearchParams(b).get('client_assertion') ?? '').payload['jti'];
    assert.notEqual(jti(s.seen[0]?.body ?? ''), jti(s.seen[1]?.body ?? ''));
  });

  test('429 waits for Retry-After before retrying', async () => {
    const s = await tokenServer((_s, n, _q, res) => {
      if (n === 1)
        return json(
          res,
          429,
          { message: 'Your application, X, has exceeded its quota' },
          { 'retry-after': '2' },
        );
      json(res, 200, { access_token: 'AT-3', expires_in: '599' });
    });
    closers.push(s.close);
    const slept: number[] = [];
    const r = await clientCredentialsGrant({
      provider: nhsPlatformProvider(s.url),
      assertion: async () => 'a.b.c',
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    assert.equal(r.attempts, 2);
    assert.ok(slept[0] !== undefined && slept[0] >= 2000);
  });

  test('platform refresh: a lost response is not retried and becomes ERR_REFRESH_OUTCOME_UNKNOWN', async () => {
    const s = await tokenServer((_s, _n, req) => req.socket.destroy());
    closers.push(s.close);
    await assert.rejects(
      refreshTokenGrant({
        provider: nhsPlatformProvider(s.url),
        refreshToken: 'RT-old-0000000000001',
        clientAuth: { method: 'client_secret_post', clientId: API_KEY, clientSecret: 'shh-secret-000001' },
        sleep: noSleep,
      }),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_REFRESH_OUTCOME_UNKNOWN' &&
        /sign in again/.test(e.message),
    );
    assert.equal(s.seen.length, 1);
  });

  test('platform refresh: a 503 is not retried either (the token may be burnt)', async () => {
    const s = await tokenServer((_s, _n, _q, res) => json(res, 503, { message: 'unavailable' }));
    closers.push(s.close);
    await assert.rejects(
      refreshTokenGrant({
        provider: nhsPlatformProvider(s.url),
        refreshToken: 'RT-x-00000000000001',
        clientAuth: { method: 'client_secret_post', clientId: 'id', clientSecret: 'secret' },
        sleep: noSleep,
      }),
    );
    assert.equal(s.seen.length, 1);
  });

  test('a provider whose refresh token survives until used retries a lost refresh', async () => {
    const s = await tokenServer((seen, n, req, res) => {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      const body = JSON.parse(seen.body) as Record<string, string>;
      json(res, 200, {
        oauth: {
          access_token: 'AT-new-0000000000001',
          token_type: 'Bearer',
          expires_in: 7200,
          refresh_token: `${body['refresh_token']}-next`,
          scope: 'catalog:read',
          created_at: '2021-06-16T14:57:21.000Z',
        },
      });
    });
    closers.push(s.close);
    const provider: TokenProvider = {
      name: 'Seed 003',
      tokenUrl: s.url,
      bodyFormat: 'json',
      responseWrapperKey: 'oauth',
      refreshTokenSurvivesUntilUsed: true,
      isNhsPlatform: false,
    };
    const r = await refreshTokenGrant({
      provider,
      refreshToken: 'RT-abc-0000000000001',
      redirectUri: '',
      clientAuth: { method: 'client_secret_post', clientId: 'cid', clientSecret: 'csecret-0001' },
      sleep: noSleep,
    });
    assert.equal(r.attempts, 2);
    assert.equal(s.seen[1]?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(s.seen[1]?.body ?? '{}'), {
      grant_type: 'refresh_token',
      refresh_token: 'RT-abc-0000000000001',
      redirect_uri: '',
      client_id: 'cid',
      client_secret: 'csecret-0001',
    });
    assert.equal(r.token.expiresInSeconds, 7200);
    assert.equal(r.token.serverIssuedAt, Date.parse('2021-06-16T14:57:21.000Z'));
    assert.equal(r.token.refreshToken, 'RT-abc-0000000000001-next');
  });

  test('client_secret_basic sends an RFC 6749 Basic header and no secret in the body', async () => {
    const s = await tokenServer((_s, _n, _q, res) =>
      json(res, 200, { access_token: 'AT-4', expires_in: 60 }),
    );
    closers.push(s.close);
    const provider: TokenProvider = {
      name: 'basic',
      tokenUrl: s.url,
      bodyFormat: 'form',
      refreshTokenSurvivesUntilUsed: false,
      isNhsPlatform: false,
    };
    await requestToken({
      provider,
      grant: 'client_credentials',
      params: { grant_type: 'client_credentials' },
      clientAuth: { method: 'client_secret_basic', clientId: 'my id', clientSecret: 'p@ss:word' },
    });
    assert.equal(
      s.seen[0]?.headers['authorization'],
      `Basic ${Buffer.from('my+id:p%40ss%3Aword').toString('base64')}`,
    );
    assert.ok(!(s.seen[0]?.body ?? '').includes('client_secret'));
  });

  test('token exchange sends the id_token type and subject token; extra params are added', async () => {
    const s = await tokenServer((_s, _n, _q, res) =>
      json(res, 200, {
        access_token: 'AT-5',
        expires_in: '599',
        refresh_token: 'RT-5',
        refresh_token_expires_in: '3599',
        refresh_count: '0',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
      }),
    );
    closers.push(s.close);
    const r = await tokenExchangeGrant({
      provider: nhsPlatformProvider(s.url),
      assertion: async () => 'h.p.s',
      subjectToken: 'id.token.jwt',
      extraParams: { _refresh_tokens_validity_ms: '5000' },
    });
    const form = new URLSearchParams(s.seen[0]?.body);
    assert.equal(form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:token-exchange');
    assert.equal(form.get('subject_token_type'), 'urn:ietf:params:oauth:token-type:id_token');
    assert.equal(form.get('subject_token'), 'id.token.jwt');
    assert.equal(form.get('_refresh_tokens_validity_ms'), '5000');
    assert.equal(r.token.refreshCount, 0);
    assert.equal(r.token.refreshTokenExpiresInSeconds, 3599);
  });

  test('error bodies become coded errors with the platform fields; HTML 200 and missing access_token are errors', async () => {
    const s = await tokenServer((seen, _n, _q, res) => {
      const g = new URLSearchParams(seen.body).get('grant_type');
      if (g === 'a')
        return json(res, 401, {
          error: 'invalid_grant',
          error_description: 'refresh_token is invalid',
          message_id: 'rrt-1',
        });
      if (g === 'b')
        return json(res, 500, {
          fault: {
            faultstring: 'Invalid client identifier {0}',
            detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' },
          },
        });
      if (g === 'c') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy</html>');
        return;
      }
      if (g === 'd') return json(res, 200, { token_type: 'Bearer' });
      json(res, 200, { access_token: 'x', expires_in: 'soon' });
    });
    closers.push(s.close);
    // A grant that is safe to repeat: for a single-use refresh the 2xx cases are "outcome unknown" (session-outcome.test.ts).
    const call = (g: string): Promise<unknown> =>
      requestToken({
        provider: nhsPlatformProvider(s.url),
        grant: 'client_credentials',
        params: { grant_type: g },
        clientAuth: { method: 'none' },
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 },
      });
    await assert.rejects(
      call('a'),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_OAUTH' &&
        e.details['error_description'] === 'refresh_token is invalid' &&
        e.details['message_id'] === 'rrt-1' &&
        e.details['status'] === 401,
    );
    await assert.rejects(
      call('b'),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_APIGEE_FAULT' &&
        e.details['errorcode'] === 'oauth.v2.InvalidClientIdentifier' &&
        e.details['status'] === 500,
    );
    await assert.rejects(
      call('c'),
      (e: unknown) =>
        e instanceof AuthExplorerError && e.code === 'ERR_HTTP_NOT_JSON' && e.details['status'] === 200,
    );
    await assert.rejects(
      call('d'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_TOKEN_RESPONSE_INVALID',
    );
    await assert.rejects(
      call('e'),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_TOKEN_RESPONSE_INVALID' &&
        e.details['field'] === 'expires_in',
    );
  });
});

describe('decideTokenRetry', () => {
  const platform = nhsPlatformProvider('https://int.api.service.nhs.uk/oauth2-mock/token');
  test('an Apigee 500 fault is not retried; an HTML 503 from a proxy is; a platform refresh never is after sending', () => {
    const fault = new AuthExplorerError('ERR_APIGEE_FAULT', 'x', {
      status: 500,
      errorcode: 'oauth.v2.InvalidClientIdentifier',
    });
    assert.deepEqual(decideTokenRetry(fault, 'client_credentials', platform), { retry: false });
    const html = new AuthExplorerError('ERR_HTTP_NOT_JSON', 'x', { status: 503 });
    assert.equal(decideTokenRetry(html, 'client_credentials', platform).retry, true);
    assert.equal(decideTokenRetry(html, 'refresh_token', platform).retry, false);
    const refused = new AuthExplorerError('ERR_HTTP_CONNECT', 'x', {});
    assert.equal(decideTokenRetry(refused, 'refresh_token', platform).retry, true, 'nothing was sent');
  });
});

describe('authorize URL and loopback redirect', () => {
  test('builds the authorize URL with a random state', () => {
    assert.equal(
      authorizeUrlNextTo('https://int.api.service.nhs.uk/oauth2-mock/token'),
      'https://int.api.service.nhs.uk/oauth2-mock/authorize',
    );
    const a = buildAuthorizeUrl({
      authorizeUrl: 'https://x.test/oauth2/authorize',
      clientId: 'key',
      redirectUri: 'http://127.0.0.1:1/callback',
      scope: 'nhs-login',
    });
    const b = buildAuthorizeUrl({
      authorizeUrl: 'https://x.test/oauth2/authorize',
      clientId: 'key',
      redirectUri: 'http://127.0.0.1:1/callback',
    });
    const u = new URL(a.url);
    assert.equal(u.searchParams.get('response_type'), 'code');
    assert.equal(u.searchParams.get('state'), a.state);
    assert.equal(u.searchParams.get('scope'), 'nhs-login');
    assert.notEqual(a.state, b.state);
    assert.ok(a.state.length >= 32);
    assert.throws(
      () => authorizeUrlNextTo('https://x.test/oauth2/other'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_URL_INVALID',
    );
  });

  test('returns the code when state matches', async () => {
    const l = await startLoopbackRedirect({ expectedState: 'st-1', timeoutMs: 5000 });
    const res = await request(`${l.redirectUri}?code=C0DE&state=st-1`);
    assert.equal(res.statusCode, 200);
    await res.body.text();
    assert.deepEqual(await l.result, { code: 'C0DE', state: 'st-1' });
    await l.close();
  });

  test('rejects a wrong state and reports authorize errors', async () => {
    const l = await startLoopbackRedirect({ expectedState: 'st-2', timeoutMs: 5000 });
    const res = await request(`${l.redirectUri}?code=C&state=forged`);
    assert.equal(res.statusCode, 400);
    await res.body.text();
    await assert.rejects(
      l.result,
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_OAUTH_STATE',
    );
    await l.close();
    const l2 = await startLoopbackRedirect({ expectedState: 'st-3', timeoutMs: 5000 });
    const r2 = await request(
      `${l2.redirectUri}?error=unsupported_response_type&error_description=response_type%20is%20invalid&state=st-3`,
    );
    await r2.body.text();
    await assert.rejects(
      l2.result,
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_OAUTH' &&
        e.details['error_description'] === 'response_type is invalid',
    );
    await l2.close();
    const l3 = await startLoopbackRedirect({ expectedState: 'st-4', timeoutMs: 50 });
    await assert.rejects(
      l3.result,
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_CANCELLED',
    );
    await l3.close();
    await assert.rejects(
      startLoopbackRedirect({ expectedState: 'x', redirectUri: 'https://example.com/cb' }),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_URL_INVALID',
    );
  });
});
