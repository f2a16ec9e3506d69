// The token client, sessions, refresh manager and explainer against the real emulator over loopback HTTP.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator, DemoApp } from '../../src/core/emulator/server.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { explainError } from '../../src/core/explain/explainError.ts';
import type { RequestLogEntry } from '../../src/core/log/requestLogEntry.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { platformRefresher } from '../../src/core/session/platformRefresher.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import { snapshotFromToken } from '../../src/core/session/snapshotFromToken.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { assertionSigner } from '../../src/core/token/assertionSigner.ts';
import { authorizationCodeGrant } from '../../src/core/token/authorizationCodeGrant.ts';
import { authorizeUrlNextTo, buildAuthorizeUrl, newState } from '../../src/core/token/authorizeUrl.ts';
import { clientCredentialsGrant } from '../../src/core/token/clientCredentials.ts';
import { startLoopbackRedirect } from '../../src/core/token/loopbackRedirect.ts';
import { refreshTokenGrant } from '../../src/core/token/refreshTokenGrant.ts';
import type { TokenResult } from '../../src/core/token/requestToken.ts';
import { tokenExchangeGrant } from '../../src/core/token/tokenExchange.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';

let emu: RunningEmulator;
let demo: DemoApp;
let tokenUrl: string;

async function fault(body: Record<string, unknown>): Promise<void> {
  const r = await request(`${emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${emu.controlToken}` },
    body: JSON.stringify(body),
  });
  assert.equal(r.statusCode < 300, true, await r.body.text());
  await r.body.dump();
}

async function clearFaults(): Promise<void> {
  const r = await request(`${emu.url}/_emulator/faults`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${emu.controlToken}` },
  });
  await r.body.dump();
}

function signer(): () => Promise<string> {
  return assertionSigner({
    privateKeyPem: demo.privateKeyPem,
    kid: demo.kid,
    apiKey: demo.app.apiKey,
    tokenUrl,
  });
}

const secretAuth = (): { method: 'client_secret_post'; clientId: string; clientSecret: string } => ({
  method: 'client_secret_post',
  clientId: demo.app.apiKey,
  clientSecret: demo.app.clientSecret ?? '',
});

async function exchange(extraParams?: Record<string, string>): Promise<TokenResult> {
  // Separate authentication: the app signs the user in at the mock NHS login with its own key and secret.
  const idToken = await mockSignIn(emu.url, {
    provider: 'nhs-login',
    username: '9912003071',
    clientId: demo.app.apiKey,
    clientSecret: demo.app.clientSecret ?? '',
    redirectUri: demo.app.redirectUri!,
  });
  return tokenExchangeGrant({
    provider: nhsPlatformProvider(tokenUrl),
    assertion: signer(),
    subjectToken: idToken,
    apiKey: demo.app.apiKey,
    extraParams,
  });
}

function sessionFrom(profileId: string, r: TokenResult): SessionSnapshot {
  return snapshotFromToken({
    profileId,
    grant: 'token_exchange',
    identityProvider: 'nhs-login',
    tokenUrl,
    result: r,
  });
}

before(async () => {
  emu = await startEmulator({ demoApp: true });
  assert.ok(emu.demo, 'the emulator has a demo app');
  demo = emu.demo;
  tokenUrl = emu.tokenUrl('oauth2');
});
after(async () => {
  await emu.close();
});

describe('token client against the emulator', () => {
  test('client credentials', async () => {
    const logs: RequestLogEntry[] = [];
    const r = await clientCredentialsGrant({
      provider: nhsPlatformProvider(tokenUrl),
      assertion: signer(),
      apiKey: demo.app.apiKey,
      onLog: (e) => logs.push(e),
    });
    assert.equal(r.status, 200);
    assert.equal(r.token.tokenType, 'Bearer');
    assert.equal(r.token.expiresInSeconds, 599);
    assert.equal(r.token.refreshToken, undefined);
    assert.equal((r.body as Record<string, unknown>)['expires_in'], '599');
    const s = snapshotFromToken({
      profileId: 'cc',
      grant: 'client_credentials',
      identityProvider: 'none',
      tokenUrl,
      result: r,
    });
    assert.ok(s.accessTokenExpiresAt - s.issuedAt === 599_000);
    const hello = await request(`${emu.url}/hello-world/hello/application`, {
      headers: { authorization: `Bearer ${r.token.accessToken}` },
    });
    assert.equal(hello.statusCode, 200);
    await hello.body.dump();
    assert.ok(!JSON.stringify(logs).includes(r.token.accessToken));
  });

  test('mock NHS login sign-in, then token exchange, then two refreshes (refresh_count 1 then 2)', async () => {
    const r0 = await exchange();
    assert.equal(r0.token.refreshCount, 0);
    assert.equal(r0.token.refreshTokenExpiresInSeconds, 3599);
    assert.equal(r0.token.issuedTokenType, 'urn:ietf:params:oauth:token-type:access_token');
    const store = new InMemorySessionStore();
    await store.save(sessionFrom('nhsl', r0));
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider: nhsPlatformProvider(tokenUrl),
        clientId: demo.app.apiKey,
        clientSecret: demo.app.clientSecret ?? '',
      }),
    });
    const s1 = await m.refresh('nhsl');
    assert.equal(s1.refreshCount, 1);
    const s2 = await m.refresh('nhsl');
    assert.equal(s2.refreshCount, 2);
    assert.notEqual(s2.refreshToken, s1.refreshToken);
    assert.equal(s2.refreshPeriodEndsAt, sessionFrom('x', r0).refreshPeriodEndsAt);
    assert.equal(s2.grant, 'token_exchange');
    assert.equal((await store.load('nhsl'))?.refreshToken, s2.refreshToken);
    m.dispose();
  });

  test('reusing an old refresh token is rejected and explained as single-use', async () => {
    const r0 = await exchange();
    const old = r0.token.refreshToken ?? '';
    const r1 = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: old,
      clientAuth: secretAuth(),
    });
    const session = snapshotFromToken({
      profileId: 'p',
      grant: 'refresh_token',
      identityProvider: 'nhs-login',
      tokenUrl,
      result: r1,
      previous: sessionFrom('p', r0),
    });
    const err = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: old,
      clientAuth: secretAuth(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AuthExplorerError);
    assert.equal(err.code, 'ERR_OAUTH');
    assert.equal(err.details['status'], 401);
    assert.equal(err.details['error'], 'invalid_grant');
    assert.equal(err.details['error_description'], 'refresh_token is invalid');
    assert.equal(typeof err.details['message_id'], 'string');
    const x = explainError(err, { session, sentRefreshToken: old, tokenUrl });
    assert.equal(x.id, 'refresh-token-invalid');
    assert.match(x.causes[0] ?? '', /single-use.*not the latest/s);
    assert.equal(x.platform?.message_id, err.details['message_id']);
  });

  test('the refresh period ends (shortened with the emulator\u2019s test params): refused and explained', async () => {
    // Only the refresh grant reads the validity override, as on the platform.
    const first = await exchange();
    const r0 = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: first.token.refreshToken ?? '',
      clientAuth: secretAuth(),
      extraParams: { _refresh_tokens_validity_ms: '1000' },
    });
    assert.ok((r0.token.refreshTokenExpiresInSeconds ?? 99) <= 1);
    await new Promise((r) => setTimeout(r, 1300));
    const err = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: r0.token.refreshToken ?? '',
      clientAuth: secretAuth(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AuthExplorerError && err.code === 'ERR_OAUTH');
    assert.equal(err.details['error_description'], 'refresh token refresh period has expired');
    assert.equal(explainError(err).id, 'refresh-period-expired');
    // The manager knows the period is over and does not even send.
    const store = new InMemorySessionStore();
    await store.save(sessionFrom('short', r0));
    const logs: RequestLogEntry[] = [];
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider: nhsPlatformProvider(tokenUrl),
        clientId: demo.app.apiKey,
        clientSecret: demo.app.clientSecret ?? '',
        onLog: (e) => logs.push(e),
      }),
    });
    await assert.rejects(
      m.refresh('short'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_REFRESH_PERIOD_OVER',
    );
    assert.equal(logs.length, 0);
    assert.equal((await store.load('short'))?.needsSignIn, true);
  });

  test('authorization code through the browser flow and the loopback listener', async () => {
    const state = newState();
    const listener = await startLoopbackRedirect({ expectedState: state, timeoutMs: 20_000 });
    const app = {
      name: 'Loopback app',
      apiKey: randomBytes(16).toString('hex'),
      clientSecret: randomBytes(16).toString('hex'),
      jwks: demo.app.jwks,
      redirectUri: listener.redirectUri,
      products: demo.app.products,
    };
    emu.addApp(app);
    const { url } = buildAuthorizeUrl({
      authorizeUrl: authorizeUrlNextTo(tokenUrl),
      clientId: app.apiKey,
      redirectUri: listener.redirectUri,
      state,
      scope: 'nhs-login',
    });
    // The "browser": follow redirects by hand and submit the IdP form.
    const toIdp = await request(url);
    await toIdp.body.dump();
    assert.equal(toIdp.statusCode, 302);
    const idpUrl = String(toIdp.headers['location']);
    const form = await request(idpUrl);
    assert.match(await form.body.text(), /kc-form-login/);
    const posted = await request(idpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=9912003071',
    });
    await posted.body.dump();
    assert.equal(posted.statusCode, 302);
    const callback = await request(String(posted.headers['location']));
    await callback.body.dump();
    assert.equal(callback.statusCode, 302);
    const toApp = String(callback.headers['location']);
    assert.ok(toApp.startsWith(listener.redirectUri));
    const landing = await request(toApp);
    assert.equal(landing.statusCode, 200);
    await landing.body.dump();
    const { code } = await listener.result;
    await listener.close();
    const r = await authorizationCodeGrant({
      provider: nhsPlatformProvider(tokenUrl),
      code,
      redirectUri: listener.redirectUri,
      clientAuth: { method: 'client_secret_post', clientId: app.apiKey, clientSecret: app.clientSecret },
    });
    assert.equal(r.token.refreshCount, 0);
    assert.equal(r.token.refreshTokenExpiresInSeconds, 3599);
    // A code works once; the second exchange is not retried and is explained.
    const again = await authorizationCodeGrant({
      provider: nhsPlatformProvider(tokenUrl),
      code,
      redirectUri: listener.redirectUri,
      clientAuth: { method: 'client_secret_post', clientId: app.apiKey, clientSecret: app.clientSecret },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(again instanceof AuthExplorerError);
    assert.equal(explainError(again).id, 'code-invalid');
  });

  test('a token endpoint answering after 8 s succeeds with the default timeout', async () => {
    await fault({ path: '/oauth2/token', count: 1, latencyMs: 8000 });
    try {
      const r = await clientCredentialsGrant({
        provider: nhsPlatformProvider(tokenUrl),
        assertion: signer(),
      });
      assert.equal(r.attempts, 1);
      assert.ok(r.durationMs >= 7500, String(r.durationMs));
    } finally {
      await clearFaults();
    }
  });

  test('a 503 HTML page, then success, is retried', async () => {
    // Faults serve only JSON or plain text (never a page on the emulator's origin); a proxy's page as text still is not JSON.
    await fault({
      path: '/oauth2/token',
      count: 1,
      status: 503,
      body: '<html><body>Service Unavailable</body></html>',
      contentType: 'text/plain',
      headers: { 'Retry-After': '1' },
    });
    try {
      const logs: RequestLogEntry[] = [];
      const r = await clientCredentialsGrant({
        provider: nhsPlatformProvider(tokenUrl),
        assertion: signer(),
        onLog: (e) => logs.push(e),
      });
      assert.equal(r.attempts, 2);
      assert.deepEqual(
        logs.map((l) => l.status),
        [503, 200],
      );
      assert.equal(logs[0]?.error?.code, 'ERR_HTTP_NOT_JSON');
    } finally {
      await clearFaults();
    }
  });

  test('a refresh whose response is lost after processing is not retried, is explained, and the old token is indeed burnt', async () => {
    const r0 = await exchange();
    const store = new InMemorySessionStore();
    await store.save(sessionFrom('lost', r0));
    const logs: RequestLogEntry[] = [];
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider: nhsPlatformProvider(tokenUrl),
        clientId: demo.app.apiKey,
        clientSecret: demo.app.clientSecret ?? '',
        onLog: (e) => logs.push(e),
      }),
    });
    await fault({ path: '/oauth2/token', count: 1, reset: 'after' });
    let err: unknown;
    try {
      err = await m.refresh('lost').then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      await clearFaults();
    }
    assert.ok(err instanceof AuthExplorerError);
    assert.equal(err.code, 'ERR_REFRESH_OUTCOME_UNKNOWN');
    assert.equal(logs.length, 1);
    const x = explainError(err);
    assert.equal(x.id, 'refresh-outcome-unknown');
    assert.match(x.fix, /Sign in again/);
    assert.equal((await store.load('lost'))?.needsSignIn, true);
    const retry = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: r0.token.refreshToken ?? '',
      clientAuth: secretAuth(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(
      retry instanceof AuthExplorerError && retry.details['error_description'] === 'refresh_token is invalid',
    );
  });

  test('two concurrent refreshes send one request', async () => {
    const r0 = await exchange();
    const store = new InMemorySessionStore();
    await store.save(sessionFrom('conc', r0));
    const logs: RequestLogEntry[] = [];
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider: nhsPlatformProvider(tokenUrl),
        clientId: demo.app.apiKey,
        clientSecret: demo.app.clientSecret ?? '',
        onLog: (e) => logs.push(e),
      }),
    });
    const [a, b] = await Promise.all([m.refresh('conc'), m.refresh('conc')]);
    assert.equal(logs.length, 1);
    assert.equal(a.accessToken, b.accessToken);
    assert.equal(a.refreshCount, 1);
  });
});
