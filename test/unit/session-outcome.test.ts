// Rotation-safe outcome rules for single-use refresh tokens, against a real loopback token server:
// after the request may have reached the server, only a definite OAuth answer is an ordinary error.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { explainError } from '../../src/core/explain/explainError.ts';
import { platformRefresher } from '../../src/core/session/platformRefresher.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { refreshTokenGrant } from '../../src/core/token/refreshTokenGrant.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';
import type { TokenProvider } from '../../src/core/token/tokenProvider.ts';

type Reply = (res: ServerResponse) => void;

/** A token server whose every answer is chosen by the test; it counts the requests that reached it. */
async function server(): Promise<{
  url: string;
  next: (r: Reply) => void;
  hits: () => number;
  close: () => Promise<void>;
}> {
  let reply: Reply = (res) => res.end();
  let hits = 0;
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      reply(res);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    next: (r) => {
      reply = r;
    },
    hits: () => hits,
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

const json =
  (status: number, body: unknown): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const raw =
  (status: number, contentType: string, body: string): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };

const srv = await server();
after(() => srv.close());
const platform = nhsPlatformProvider(srv.url);
const auth = { method: 'client_secret_post' as const, clientId: 'app-key', clientSecret: 'app-secret' };
const refresh = (provider: TokenProvider = platform, timeoutMs = 5000): Promise<unknown> =>
  refreshTokenGrant({
    provider,
    refreshToken: 'RT-old-000000000001',
    clientAuth: auth,
    timeoutMs,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 5000 },
  });

function unknownOutcome(reason: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof AuthExplorerError, String(e));
    assert.equal(e.code, 'ERR_REFRESH_OUTCOME_UNKNOWN', e.message);
    assert.match(String(e.details['reason']), reason);
    assert.match(
      explainError(e, { grant: 'refresh_token' }).causes[0] ?? '',
      reason,
      'the explanation says what came back',
    );
    return true;
  };
}

async function sentOnce(p: Promise<unknown>, check: (e: unknown) => boolean): Promise<void> {
  const before = srv.hits();
  await assert.rejects(p, check);
  assert.equal(srv.hits() - before, 1, 'sent once, never retried');
}

describe('refresh outcome rules (single-use refresh tokens)', () => {
  test('a garbled 200 (an HTML page, truncated JSON) is "outcome unknown"', async () => {
    srv.next(raw(200, 'text/html', '<html><body>Proxy says hello</body></html>'));
    await sentOnce(refresh(), unknownOutcome(/HTTP 200 with an HTML page/));
    srv.next(raw(200, 'application/json', '{"access_token":"AT-new","refresh_tok'));
    await sentOnce(refresh(), unknownOutcome(/HTTP 200 with a body that is not JSON/));
  });

  test('a 200 over the 1 MiB cap is "outcome unknown"', async () => {
    srv.next(
      raw(
        200,
        'application/json',
        JSON.stringify({ access_token: 'AT', padding: 'x'.repeat(1024 * 1024 + 10) }),
      ),
    );
    await sentOnce(refresh(), unknownOutcome(/over the 1048576-byte limit/));
  });

  test('a 200 that is JSON but no token response is "outcome unknown"', async () => {
    srv.next(json(200, { token_type: 'Bearer' }));
    await sentOnce(refresh(), unknownOutcome(/token response that cannot be used/));
  });

  test('a 5xx (a proxy 502 page, an OAuth server_error, an empty 503) is "outcome unknown"', async () => {
    srv.next(raw(502, 'text/html', '<html>Bad Gateway</html>'));
    await sentOnce(refresh(), unknownOutcome(/HTTP 502/));
    srv.next(json(500, { error: 'server_error', error_description: 'backend failed' }));
    await sentOnce(refresh(), unknownOutcome(/HTTP 500/));
    srv.next(raw(503, 'text/plain', ''));
    await sentOnce(refresh(), unknownOutcome(/HTTP 503/));
    srv.next(
      json(502, {
        fault: {
          faultstring: 'Unexpected EOF at target',
          detail: { errorcode: 'messaging.adaptors.http.flow.UnexpectedEOFAtTarget' },
        },
      }),
    );
    await sentOnce(refresh(), unknownOutcome(/HTTP 502 without an OAuth error/));
  });

  test('a reset after the request arrived is "outcome unknown"', async () => {
    srv.next((res) => res.socket?.destroy());
    await sentOnce(refresh(), unknownOutcome(/connection was closed/));
  });

  test('a timeout is "outcome unknown"', async () => {
    srv.next(() => undefined); // never answers
    await sentOnce(refresh(platform, 300), unknownOutcome(/timeout/));
  });

  test("definite answers stay what they are: invalid_grant, and the gateway's own fault", async () => {
    srv.next(
      json(401, { error: 'invalid_grant', error_description: 'refresh_token is invalid', message_id: 'm-1' }),
    );
    await sentOnce(
      refresh(),
      (e) =>
        e instanceof AuthExplorerError && e.code === 'ERR_OAUTH' && e.details['error'] === 'invalid_grant',
    );
    srv.next(
      json(500, {
        fault: {
          faultstring: 'Invalid client identifier {0}',
          detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' },
        },
      }),
    );
    await sentOnce(refresh(), (e) => e instanceof AuthExplorerError && e.code === 'ERR_APIGEE_FAULT');
  });

  test('a provider whose old token survives until the new one is used keeps its own rule: a timeout is retried', async () => {
    const lenient: TokenProvider = { ...platform, name: 'Custom', refreshTokenSurvivesUntilUsed: true };
    let n = 0;
    srv.next((res) => {
      n++;
      if (n === 1) return;
      json(200, { access_token: 'AT-2', expires_in: 60, token_type: 'Bearer' })(res);
    });
    const before = srv.hits();
    const r = (await refresh(lenient, 300)) as { token: { accessToken: string } };
    assert.equal(r.token.accessToken, 'AT-2');
    assert.equal(srv.hits() - before, 2, 'the lost attempt was retried');
  });
});

function seed(tokenUrl: string): SessionSnapshot {
  const now = Date.now();
  return {
    profileId: 'p',
    grant: 'token_exchange',
    identityProvider: 'nhs-login',
    tokenUrl,
    accessToken: 'AT-old',
    tokenType: 'Bearer',
    issuedAt: now - 590_000,
    accessTokenExpiresAt: now + 10_000,
    refreshToken: 'RT-old-000000000001',
    refreshTokenExpiresAt: now + 3_000_000,
    refreshPeriodEndsAt: now + 3_000_000,
    refreshCount: 0,
    clockSkewMs: 0,
    responseKeys: [],
    autoRefresh: true,
  };
}

describe('the refresh manager applies the rules to the stored session', () => {
  test('after a garbled 200 the session is flagged "sign in again" and auto-refresh stops', async () => {
    const store = new InMemorySessionStore();
    await store.save(seed(srv.url));
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider: platform,
        clientId: 'app-key',
        clientSecret: 'app-secret',
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 },
      }),
    });
    await m.enableAutoRefresh('p');
    srv.next(raw(200, 'text/html', '<html>captive portal</html>'));
    await assert.rejects(
      m.refresh('p'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_REFRESH_OUTCOME_UNKNOWN',
    );
    assert.equal((await store.load('p'))?.needsSignIn, true);
    assert.equal(m.isAutoRefreshing('p'), false);
    m.dispose();
  });

  test('a platform 200 without refresh_token is an error: the new access token is kept, the burnt refresh token is not', async () => {
    const store = new InMemorySessionStore();
    await store.save(seed(srv.url));
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({ provider: platform, clientId: 'app-key', clientSecret: 'app-secret' }),
    });
    srv.next(
      json(200, { access_token: 'AT-new', expires_in: '599', token_type: 'Bearer', refresh_count: '1' }),
    );
    await assert.rejects(
      m.refresh('p'),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_REFRESH_NOT_ROTATED' &&
        /sign in again/.test(e.message),
    );
    const s = (await store.load('p'))!;
    assert.equal(s.accessToken, 'AT-new');
    assert.equal(s.refreshToken, undefined, 'the old, burnt refresh token is not kept');
    assert.equal(s.needsSignIn, true);
    assert.equal(
      explainError(new AuthExplorerError('ERR_REFRESH_NOT_ROTATED', 'x'), {}).id,
      'refresh-not-rotated',
    );
  });

  test('a provider that does not rotate may leave refresh_token out: the old one is kept', async () => {
    const store = new InMemorySessionStore();
    await store.save(seed(srv.url));
    const lenient: TokenProvider = { ...platform, name: 'Custom', refreshTokenSurvivesUntilUsed: true };
    const m = new RefreshManager({
      store,
      singleUse: () => false,
      refresh: platformRefresher({ provider: lenient, clientId: 'app-key', clientSecret: 'app-secret' }),
    });
    srv.next(json(200, { access_token: 'AT-new', expires_in: 60, token_type: 'Bearer' }));
    const s = await m.refresh('p');
    assert.equal(s.accessToken, 'AT-new');
    assert.equal(s.refreshToken, 'RT-old-000000000001');
    assert.equal(s.needsSignIn, false);
  });

  test('invalid_grant after someone else stored a new token: that token is used, nothing is flagged (compare-and-set)', async () => {
    const store = new InMemorySessionStore();
    const old = seed(srv.url);
    await store.save(old);
    const m = new RefreshManager({
      store,
      refresh: async (s) => {
        // Another process rotated the token while our request was on its way.
        await store.save({
          ...old,
          accessToken: 'AT-theirs',
          refreshToken: 'RT-theirs-00000001',
          refreshCount: 1,
        });
        return platformRefresher({ provider: platform, clientId: 'app-key', clientSecret: 'app-secret' })(s);
      },
    });
    srv.next(json(401, { error: 'invalid_grant', error_description: 'refresh_token is invalid' }));
    const s = await m.refresh('p');
    assert.equal(s.refreshToken, 'RT-theirs-00000001');
    assert.notEqual((await store.load('p'))?.needsSignIn, true);
  });
});
