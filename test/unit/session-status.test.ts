import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sessionStatus } from '../../src/core/session/sessionStatus.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import { normaliseTokenResponse } from '../../src/core/token/normaliseTokenResponse.ts';
import type { TokenResult } from '../../src/core/token/requestToken.ts';

const T0 = Date.parse('2026-03-01T09:00:00.000Z');

function user(over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    profileId: 'p',
    grant: 'token_exchange',
    identityProvider: 'nhs-login',
    tokenUrl: 'u',
    accessToken: 'AT',
    tokenType: 'Bearer',
    issuedAt: T0,
    accessTokenExpiresAt: T0 + 599_000,
    refreshToken: 'RT',
    refreshTokenExpiresAt: T0 + 3_599_000,
    refreshPeriodEndsAt: T0 + 3_599_000,
    refreshCount: 0,
    clockSkewMs: 0,
    responseKeys: [],
    ...over,
  };
}
const app = (over: Partial<SessionSnapshot> = {}): SessionSnapshot =>
  user({
    grant: 'client_credentials',
    identityProvider: 'none',
    refreshToken: undefined,
    refreshTokenExpiresAt: undefined,
    refreshPeriodEndsAt: undefined,
    refreshCount: undefined,
    ...over,
  });

describe('sessionStatus', () => {
  test('user-restricted: valid, expiring, expired but refreshable, sign in once the period or the refresh token ends', () => {
    assert.equal(sessionStatus(user(), T0).state, 'valid');
    assert.equal(sessionStatus(user(), T0 + 560_000).state, 'expiring');
    assert.equal(sessionStatus(user({ autoRefresh: true }), T0 + 560_000).state, 'renewing');
    const expired = sessionStatus(user(), T0 + 600_000);
    assert.deepEqual([expired.state, expired.canRefresh, expired.usable], ['expired', true, false]);
    assert.equal(sessionStatus(user(), T0 + 3_600_000).state, 'signin');
    // The inspector used to miss this one: an expired refresh token inside the period.
    const rtGone = sessionStatus(user({ refreshTokenExpiresAt: T0 + 700_000 }), T0 + 800_000);
    assert.deepEqual([rtGone.state, rtGone.refreshTokenExpired, rtGone.canRefresh], ['signin', true, false]);
    assert.match(rtGone.text, /refresh token has expired/);
    assert.equal(sessionStatus(user({ needsSignIn: true }), T0).state, 'signin');
  });

  test('application-restricted: expired is "get a new token", never "sign in"; with auto-refresh it is renewing', () => {
    const s = sessionStatus(app(), T0 + 600_000);
    assert.deepEqual([s.state, s.canRenew, s.canRefresh], ['expired', true, false]);
    assert.equal(sessionStatus(app({ autoRefresh: true }), T0 + 600_000).state, 'renewing');
    assert.equal(sessionStatus(app({ autoRefresh: true }), T0 + 560_000).state, 'renewing');
    assert.equal(sessionStatus(app({ autoRefresh: true }), T0).state, 'valid');
  });
});

function ccResult(n: number, at: number): TokenResult {
  const body = { access_token: `CC-${n}`, expires_in: '599', token_type: 'Bearer' };
  return {
    token: normaliseTokenResponse(body, {}),
    body,
    status: 200,
    headers: {},
    startedAt: at,
    receivedAt: at,
    durationMs: 1,
    clockSkewMs: 0,
    attempts: 1,
    logEntries: [],
    clientAssertion: `assertion-${n}`,
  };
}

describe('client-credentials renewal', () => {
  test('auto-refresh re-issues a fresh token (a new assertion each time) a margin before expiry', async () => {
    let now = T0;
    const store = new InMemorySessionStore();
    await store.save({ ...app({ autoRefresh: true }), lastClientAssertion: 'assertion-0' });
    const fired: { fn: () => void; ms: number }[] = [];
    let n = 0;
    const m = new RefreshManager({
      store,
      now: () => now,
      timers: {
        setTimeout: (fn, ms) => {
          fired.push({ fn, ms });
          return fired.length;
        },
        clearTimeout: () => undefined,
      },
      refresh: () => Promise.reject(new Error('no refresh token to send')),
      renew: async () => ccResult(++n, now),
    });
    await m.enableAutoRefresh('p');
    assert.equal(fired.at(-1)?.ms, 539_000);
    now = T0 + 539_000;
    fired.at(-1)!.fn();
    await new Promise((r) => setTimeout(r, 10));
    const s = (await store.load('p'))!;
    assert.equal(s.accessToken, 'CC-1');
    assert.equal(s.lastClientAssertion, 'assertion-1');
    assert.equal(s.autoRefresh, true, 'auto-refresh stays on');
    assert.equal(s.grant, 'client_credentials');
    assert.equal(fired.at(-1)?.ms, 539_000, 'the next renewal is scheduled');
    assert.equal(await m.getAccessToken('p'), 'CC-1');
    m.dispose();
  });
});

describe('the inspector uses the same status', () => {
  test('an expired refresh token with a live access token is a warning; a client-credentials session with auto-refresh is renewing', async () => {
    const { buildInspectorModel } = await import('../../src/core/inspector/inspectorModel.ts');
    const m = buildInspectorModel(user({ refreshTokenExpiresAt: T0 + 100_000 }), { now: T0 + 200_000 });
    assert.equal(m.notice?.level, 'warning');
    assert.match(m.notice?.text ?? '', /refresh token has expired/);
    assert.ok(!m.actions.includes('refresh'));
    const cc = buildInspectorModel(app({ autoRefresh: true }), { now: T0 + 600_000 });
    assert.equal(cc.notice?.level, 'info');
    assert.match(cc.notice?.text ?? '', /re-issuing/);
  });
});
