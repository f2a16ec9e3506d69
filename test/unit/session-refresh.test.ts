import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { snapshotFromToken, localIssueInstant } from '../../src/core/session/snapshotFromToken.ts';
import { RefreshManager, refreshPeriodOver } from '../../src/core/session/refreshManager.ts';
import type { RefreshTimers } from '../../src/core/session/refreshManager.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import type { TokenResult } from '../../src/core/token/requestToken.ts';
import { normaliseTokenResponse } from '../../src/core/token/normaliseTokenResponse.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';

const T0 = Date.parse('2026-03-01T09:00:00.000Z');

function result(body: Record<string, unknown>, at: number, skew = 0): TokenResult {
  return {
    token: normaliseTokenResponse(body, {}),
    body,
    status: 200,
    headers: {},
    startedAt: at,
    receivedAt: at + 100,
    durationMs: 100,
    clockSkewMs: skew,
    attempts: 1,
    logEntries: [],
  };
}

function exchangeBody(n: number): Record<string, unknown> {
  return {
    access_token: `AT-${n}`,
    expires_in: '599',
    token_type: 'Bearer',
    refresh_token: `RT-${n}`,
    refresh_token_expires_in: String(3599 - n * 600),
    refresh_count: String(n),
  };
}

describe('snapshotFromToken', () => {
  test('string lifetimes become absolute expiries; refresh period = first issue + first refresh lifetime', () => {
    const s = snapshotFromToken({
      profileId: 'p',
      grant: 'token_exchange',
      identityProvider: 'nhs-login',
      tokenUrl: 'http://x/oauth2/token',
      result: result(exchangeBody(0), T0),
    });
    assert.equal(s.issuedAt, T0);
    assert.equal(s.accessTokenExpiresAt, T0 + 599_000);
    assert.equal(s.refreshTokenExpiresAt, T0 + 3_599_000);
    assert.equal(s.refreshPeriodEndsAt, T0 + 3_599_000);
    assert.equal(s.refreshCount, 0);
    assert.deepEqual(s.responseKeys, Object.keys(exchangeBody(0)));
    const r1 = snapshotFromToken({
      profileId: 'p',
      grant: 'refresh_token',
      identityProvider: 'nhs-login',
      tokenUrl: s.tokenUrl,
      result: result(exchangeBody(1), T0 + 600_000),
      previous: s,
    });
    assert.equal(r1.grant, 'token_exchange');
    assert.equal(r1.refreshCount, 1);
    assert.equal(r1.refreshToken, 'RT-1');
    assert.equal(r1.refreshPeriodEndsAt, T0 + 3_599_000);
    assert.equal(r1.refreshTokenExpiresAt, T0 + 600_000 + 2_999_000);
  });

  test('a server issued_at on a skewed clock is moved onto the local clock', () => {
    const skew = 5 * 60_000; // server 5 minutes ahead
    const body = { access_token: 'A', expires_in: '599', issued_at: String(T0 + 50 + skew) };
    const s = snapshotFromToken({
      profileId: 'p',
      grant: 'client_credentials',
      identityProvider: 'none',
      tokenUrl: 'u',
      result: result(body, T0, skew),
    });
    assert.equal(s.issuedAt, T0 + 50);
    assert.equal(s.accessTokenExpiresAt, T0 + 50 + 599_000);
    assert.equal(s.clockSkewMs, skew);
    assert.equal(s.refreshToken, undefined);
    assert.equal(s.refreshPeriodEndsAt, undefined);
    // Without correction the token would look valid 5 minutes too long; an absurd server time is clamped.
    assert.equal(localIssueInstant(T0 + 10 * 3600_000, 0, T0, T0 + 100), T0 + 100);
    assert.equal(localIssueInstant(T0 - 10 * 3600_000, 0, T0, T0 + 100), T0);
  });

  test('refreshPeriodOver', () => {
    const s = { refreshPeriodEndsAt: T0 + 1000, refreshTokenExpiresAt: T0 + 500 } as SessionSnapshot;
    assert.equal(refreshPeriodOver(s, T0), false);
    assert.equal(refreshPeriodOver(s, T0 + 500), true);
  });
});

class FakeTimers implements RefreshTimers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  fireAll(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const t of all) t.fn();
  }
}

class RecordingStore extends InMemorySessionStore {
  events: string[] = [];
  override async save(s: SessionSnapshot): Promise<void> {
    this.events.push(`save:${s.refreshToken ?? '-'}:${s.needsSignIn ? 'signin' : 'ok'}`);
    await super.save(s);
  }
}

async function seeded(now: number): Promise<{ store: RecordingStore; first: SessionSnapshot }> {
  const store = new RecordingStore();
  const first = snapshotFromToken({
    profileId: 'p',
    grant: 'token_exchange',
    identityProvider: 'cis2',
    tokenUrl: 'http://x/oauth2/token',
    result: result(exchangeBody(0), now),
  });
  await store.save(first);
  store.events = [];
  return { store, first };
}

describe('RefreshManager', () => {
  test('concurrent callers share one refresh; the new refresh token is saved before the access token is returned', async () => {
    let now = T0 + 590_000;
    const { store } = await seeded(T0);
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const m = new RefreshManager({
      store,
      now: () => now,
      timers: new FakeTimers(),
      refresh: async (s) => {
        calls++;
        store.events.push(`send:${s.refreshToken}`);
        await gate;
        return result(exchangeBody(1), now);
      },
    });
    const a = m.refresh('p');
    const b = m.refresh('p');
    const c = m.getAccessToken('p');
    assert.equal(m.isRefreshing('p'), true);
    release();
    const [sa, sb, token] = await Promise.all([a, b, c]);
    assert.equal(calls, 1);
    assert.equal(sa, sb);
    assert.equal(token, 'AT-1');
    assert.deepEqual(store.events, ['send:RT-0', 'save:RT-1:ok']);
    assert.equal((await store.load('p'))?.refreshCount, 1);
    now += 1;
    m.dispose();
  });

  test('a store failure after a refresh is reported and the new access token is not handed out', async () => {
    const { store } = await seeded(T0);
    store.save = async () => {
      throw new Error('keychain locked');
    };
    const m = new RefreshManager({
      store,
      now: () => T0 + 60_000,
      refresh: async () => result(exchangeBody(1), T0 + 60_000),
    });
    await assert.rejects(
      m.refresh('p'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_SESSION_STORE',
    );
  });

  test('refuses without sending once the refresh period is over and marks the session', async () => {
    const { store } = await seeded(T0);
    let calls = 0;
    const m = new RefreshManager({
      store,
      now: () => T0 + 3_600_000,
      refresh: async () => {
        calls++;
        return result(exchangeBody(1), T0);
      },
    });
    await assert.rejects(
      m.refresh('p'),
      (e: unknown) =>
        e instanceof AuthExplorerError &&
        e.code === 'ERR_REFRESH_PERIOD_OVER' &&
        /sign in again/.test(e.message),
    );
    assert.equal(calls, 0);
    assert.equal((await store.load('p'))?.needsSignIn, true);
  });

  test('invalid_grant and an unknown outcome mark the session as needing sign-in', async () => {
    const { store } = await seeded(T0);
    const m = new RefreshManager({
      store,
      now: () => T0 + 1000,
      refresh: async () => {
        throw new AuthExplorerError('ERR_REFRESH_OUTCOME_UNKNOWN', 'lost');
      },
    });
    await assert.rejects(
      m.refresh('p'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_REFRESH_OUTCOME_UNKNOWN',
    );
    assert.equal((await store.load('p'))?.needsSignIn, true);
  });

  test('missing session and missing refresh token are coded errors', async () => {
    const store = new InMemorySessionStore();
    const m = new RefreshManager({
      store,
      refresh: async () => {
        throw new Error('never');
      },
    });
    await assert.rejects(
      m.refresh('nope'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_SESSION_MISSING',
    );
    const cc = snapshotFromToken({
      profileId: 'cc',
      grant: 'client_credentials',
      identityProvider: 'none',
      tokenUrl: 'u',
      result: result({ access_token: 'A', expires_in: '599' }, T0),
    });
    await store.save(cc);
    await assert.rejects(
      m.refresh('cc'),
      (e: unknown) => e instanceof AuthExplorerError && e.code === 'ERR_NO_REFRESH_TOKEN',
    );
  });

  test('getAccessToken returns the stored token while it is outside the margin', async () => {
    const { store } = await seeded(T0);
    let calls = 0;
    const m = new RefreshManager({
      store,
      now: () => T0 + 100_000,
      marginMs: 60_000,
      refresh: async () => {
        calls++;
        return result(exchangeBody(1), T0);
      },
    });
    assert.equal(await m.getAccessToken('p'), 'AT-0');
    assert.equal(calls, 0);
  });

  test('auto-refresh fires a margin before expiry, reschedules, and stops on dispose', async () => {
    let now = T0;
    const { store } = await seeded(T0);
    const timers = new FakeTimers();
    const refreshed: number[] = [];
    const m = new RefreshManager({
      store,
      timers,
      now: () => now,
      marginMs: 60_000,
      refresh: async (s) => result(exchangeBody((s.refreshCount ?? 0) + 1), now),
      onRefreshed: (s) => refreshed.push(s.refreshCount ?? -1),
    });
    await m.enableAutoRefresh('p');
    assert.deepEqual(
      [...timers.pending.values()].map((t) => t.ms),
      [599_000 - 60_000],
    );
    now = T0 + 539_000;
    timers.fireAll();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(refreshed, [1]);
    assert.deepEqual(
      [...timers.pending.values()].map((t) => t.ms),
      [539_000],
    );
    assert.equal(m.isAutoRefreshing('p'), true);
    m.dispose();
    assert.equal(timers.pending.size, 0);
    assert.equal(m.isAutoRefreshing('p'), false);
  });
});
