// Sessions against the real emulator over loopback HTTP: client-credentials renewal with a short
// _access_token_expiry_ms, and two refresh managers ("two windows") sharing one store and one lease folder.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator } from '../../src/core/emulator/server.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import { decodeJwtParts } from '../../src/core/jwt/decode.ts';
import { FileRefreshLease } from '../../src/core/session/fileRefreshLease.ts';
import { platformRefresher } from '../../src/core/session/platformRefresher.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { sessionStatus } from '../../src/core/session/sessionStatus.ts';
import { snapshotFromToken } from '../../src/core/session/snapshotFromToken.ts';
import { assertionSigner } from '../../src/core/token/assertionSigner.ts';
import { clientCredentialsGrant } from '../../src/core/token/clientCredentials.ts';
import { tokenExchangeGrant } from '../../src/core/token/tokenExchange.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';

let emu: RunningEmulator;
let dir: string;
before(async () => {
  emu = await startEmulator({ demoApp: true });
  dir = await mkdtemp(join(tmpdir(), 'nhs-auth-sessions-'));
});
after(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

function issueClientCredentials(
  expiryMs: number,
  sent: string[],
): () => ReturnType<typeof clientCredentialsGrant> {
  const d = emu.demo!;
  const tokenUrl = emu.tokenUrl();
  return () =>
    clientCredentialsGrant({
      provider: nhsPlatformProvider(tokenUrl),
      apiKey: d.app.apiKey,
      assertion: assertionSigner({
        privateKeyPem: d.privateKeyPem,
        kid: d.kid,
        apiKey: d.app.apiKey,
        tokenUrl,
      }),
      extraParams: { _access_token_expiry_ms: String(expiryMs) },
      onAssertionSent: (a) => sent.push(String(decodeJwtParts(a).payload.jti)),
    });
}

describe('client-credentials renewal', () => {
  test('auto-refresh re-issues the token shortly before expiry, with a new assertion and jti each time; it is "renewing", never "sign in"', async () => {
    const sent: string[] = [];
    const issue = issueClientCredentials(4000, sent); // expires_in "3": renewed 2 s in, 1 s before expiry
    const store = new InMemorySessionStore();
    const first = await issue();
    await store.save({
      ...snapshotFromToken({
        profileId: 'app',
        grant: 'client_credentials',
        identityProvider: 'none',
        tokenUrl: emu.tokenUrl(),
        result: first,
      }),
      autoRefresh: true,
    });
    const renewed: SessionSnapshot[] = [];
    const m = new RefreshManager({
      store,
      marginMs: 1000,
      refresh: () => Promise.reject(new Error('no refresh token')),
      renew: () => issue(),
      onRefreshed: (s) => renewed.push(s),
    });
    try {
      await m.enableAutoRefresh('app');
      const deadline = Date.now() + 15_000;
      while (renewed.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(renewed.length >= 2, `renewed ${renewed.length} times`);
      for (const s of renewed)
        assert.ok(s.issuedAt >= first.receivedAt + 1500, 'each renewal waited for the margin before expiry');
      const tokens = new Set([first.token.accessToken, ...renewed.map((s) => s.accessToken)]);
      assert.equal(tokens.size, renewed.length + 1, 'every renewal is a new access token');
      assert.equal(new Set(sent).size, sent.length, 'every assertion had a new jti');
      const latest = (await store.load('app'))!;
      assert.equal(latest.autoRefresh, true);
      assert.notEqual(sessionStatus(latest, latest.accessTokenExpiresAt + 1).state, 'signin');
      assert.equal(sessionStatus(latest, latest.accessTokenExpiresAt + 1).state, 'renewing');
      const hello = await request(`${emu.url}/hello-world/hello/application`, {
        headers: { authorization: `Bearer ${latest.accessToken}` },
      });
      assert.equal(hello.statusCode, 200, 'the renewed token works');
      await hello.body.dump();
    } finally {
      m.dispose();
    }
  });
});

describe('two windows on one store against the emulator', () => {
  test("concurrent refreshes from two managers: one request, both see the winner's token, and the chain goes on", async () => {
    const d = emu.demo!;
    const tokenUrl = emu.tokenUrl();
    const idToken = await mockSignIn(emu.url, {
      provider: 'nhs-login',
      username: '9912003071',
      clientId: d.app.apiKey,
      clientSecret: d.app.clientSecret ?? '',
      redirectUri: d.app.redirectUri!,
    });
    const r0 = await tokenExchangeGrant({
      provider: nhsPlatformProvider(tokenUrl),
      apiKey: d.app.apiKey,
      subjectToken: idToken,
      assertion: assertionSigner({
        privateKeyPem: d.privateKeyPem,
        kid: d.kid,
        apiKey: d.app.apiKey,
        tokenUrl,
      }),
    });
    const store = new InMemorySessionStore();
    await store.save(
      snapshotFromToken({
        profileId: 'u',
        grant: 'token_exchange',
        identityProvider: 'nhs-login',
        tokenUrl,
        result: r0,
      }),
    );
    let sent = 0;
    const refresher = platformRefresher({
      provider: nhsPlatformProvider(tokenUrl),
      clientId: d.app.apiKey,
      clientSecret: d.app.clientSecret ?? '',
      onLog: () => {
        sent++;
      },
    });
    const leaseDir = join(dir, 'locks');
    const windows = [1, 2].map(
      () =>
        new RefreshManager({
          store,
          refresh: refresher,
          lease: new FileRefreshLease({ dir: leaseDir, pollMs: 5 }),
        }),
    );
    for (let round = 1; round <= 3; round++) {
      const before = sent;
      const [a, b] = await Promise.all(windows.map((w) => w.refresh('u')));
      assert.equal(sent - before, 1, `round ${round}: one refresh request`);
      assert.equal(a!.refreshToken, b!.refreshToken);
      assert.equal((await store.load('u'))?.refreshCount, round);
    }
    const hello = await request(`${emu.url}/hello-world/hello/user`, {
      headers: { authorization: `Bearer ${(await store.load('u'))!.accessToken}` },
    });
    assert.equal(hello.statusCode, 200);
    await hello.body.dump();
  });
});
