// The cross-window refresh lease (a 0600 O_EXCL lock file with expiry) and two refresh managers on one
// shared store, as two VS Code windows share one SecretStorage, against a single-use token server.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { singleUseTokenServer } from '../singleUseTokenServer.ts';
import { mkdtempSync, readFileSync, statSync, writeFileSync, utimesSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefreshLease } from '../../src/core/session/fileRefreshLease.ts';
import { platformRefresher } from '../../src/core/session/platformRefresher.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { processLocalLease } from '../../src/core/session/refreshLease.ts';
import type { RefreshLease } from '../../src/core/session/refreshLease.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';

const dirs: string[] = [];
function leaseDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nhs-auth-lease-'));
  dirs.push(d);
  return join(d, 'locks');
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('FileRefreshLease', () => {
  test('one holder at a time; the next one waits, then is told it waited; the lock file is 0600 and names no secret', async () => {
    const dir = leaseDir();
    const a = new FileRefreshLease({ dir, pollMs: 10 });
    const b = new FileRefreshLease({ dir, pollMs: 10 });
    const held = await a.acquire('profile-1');
    assert.equal(held.waited, false);
    const path = a.pathFor('profile-1');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object).sort(), [
      'createdAt',
      'owner',
    ]);
    let bHeld = false;
    const pending = b.acquire('profile-1').then((h) => {
      bHeld = true;
      return h;
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(bHeld, false, 'the second holder waits');
    await held.release();
    const second = await pending;
    assert.equal(second.waited, true);
    await second.release();
    assert.equal(existsSync(path), false, 'released leases leave no file');
  });

  test('a lock left by a crashed window expires: a file untouched for ttlMs is broken', async () => {
    const dir = leaseDir();
    const lease = new FileRefreshLease({ dir, ttlMs: 1000, pollMs: 10 });
    const first = await lease.acquire('p');
    await first.release();
    writeFileSync(lease.pathFor('p'), JSON.stringify({ owner: 'crashed:1:x', createdAt: 0 }), {
      mode: 0o600,
    });
    const past = new Date(Date.now() - 5000);
    utimesSync(lease.pathFor('p'), past, past);
    const started = Date.now();
    const held = await lease.acquire('p');
    assert.ok(Date.now() - started < 500, 'no wait for a dead holder');
    assert.match(readFileSync(lease.pathFor('p'), 'utf8'), new RegExp(`${process.pid}`));
    await held.release();
  });

  test('a live holder keeps its lease past ttlMs by touching the file', async () => {
    const dir = leaseDir();
    const a = new FileRefreshLease({ dir, ttlMs: 150, pollMs: 10 });
    const b = new FileRefreshLease({ dir, ttlMs: 150, pollMs: 10 });
    const held = await a.acquire('p');
    let bHeld = false;
    const pending = b.acquire('p').then((h) => {
      bHeld = true;
      return h;
    });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(bHeld, false, 'four TTLs later the live lease still holds');
    await held.release();
    await (await pending).release();
  });

  test('a holder that never lets go ends in ERR_SESSION_BUSY, not a hang', async () => {
    const dir = leaseDir();
    const a = new FileRefreshLease({ dir, pollMs: 10 });
    const b = new FileRefreshLease({ dir, pollMs: 10, waitMs: 100 });
    const held = await a.acquire('p');
    await assert.rejects(
      b.acquire('p'),
      (e: unknown) => (e as { code?: string }).code === 'ERR_SESSION_BUSY',
    );
    await held.release();
  });
});

function session(tokenUrl: string): SessionSnapshot {
  const now = Date.now();
  return {
    profileId: 'p',
    grant: 'token_exchange',
    identityProvider: 'nhs-login',
    tokenUrl,
    accessToken: 'AT-0',
    tokenType: 'Bearer',
    issuedAt: now,
    accessTokenExpiresAt: now + 30_000,
    refreshToken: 'RT-0',
    refreshTokenExpiresAt: now + 3_000_000,
    refreshPeriodEndsAt: now + 3_000_000,
    refreshCount: 0,
    clockSkewMs: 0,
    responseKeys: [],
  };
}

/** Two windows: two managers, each with its own lease object, on one shared store. */
function windows(store: InMemorySessionStore, tokenUrl: string, lease: () => RefreshLease): RefreshManager[] {
  const refresh = platformRefresher({
    provider: nhsPlatformProvider(tokenUrl),
    clientId: 'app',
    clientSecret: 'secret',
  });
  return [
    new RefreshManager({ store, refresh, lease: lease() }),
    new RefreshManager({ store, refresh, lease: lease() }),
  ];
}

describe('two refresh managers on one shared store', () => {
  test("with the lease: one request per refresh, both windows get the winner's token, nothing lost (3 trials)", async () => {
    const srv = await singleUseTokenServer(80);
    try {
      const store = new InMemorySessionStore();
      await store.save(session(srv.url));
      const dir = leaseDir();
      const [w1, w2] = windows(store, srv.url, () => new FileRefreshLease({ dir, pollMs: 5 }));
      for (let trial = 1; trial <= 3; trial++) {
        const before = srv.hits();
        const [a, b] = await Promise.all([w1!.refresh('p'), w2!.refresh('p')]);
        assert.equal(srv.hits() - before, 1, `trial ${trial}: one request went out`);
        assert.equal(a.refreshToken, b.refreshToken, 'the loser uses the token the winner stored');
        const stored = (await store.load('p'))!;
        assert.equal(stored.refreshToken, srv.issued(), 'the store holds the live refresh token');
        assert.equal(stored.refreshCount, trial);
        assert.notEqual(stored.needsSignIn, true);
      }
    } finally {
      await srv.close();
    }
  });

  test("without it (one process's rule only) both windows send the same single-use token", async () => {
    const srv = await singleUseTokenServer(80);
    try {
      const store = new InMemorySessionStore();
      await store.save(session(srv.url));
      const [w1, w2] = windows(store, srv.url, () => processLocalLease);
      const results = await Promise.allSettled([w1!.refresh('p'), w2!.refresh('p')]);
      assert.equal(srv.hits(), 2, 'the token went out twice; one answer is invalid_grant');
      // Compare-and-set still keeps the winner's token when the loser's invalid_grant lands after the save.
      assert.ok(results.some((r) => r.status === 'fulfilled'));
    } finally {
      await srv.close();
    }
  });
});

describe("a store that shows another process's write late", () => {
  test('the next holder waits for the session the last holder stored before it sends anything', async () => {
    const srv = await singleUseTokenServer(80);
    try {
      const shared = new InMemorySessionStore();
      await shared.save(session(srv.url));
      // Window 2 sees the shared store 300 ms late, as another extension host may.
      const lagging: InMemorySessionStore = Object.assign(Object.create(shared) as InMemorySessionStore, {
        load: async (id: string) => {
          const now = await shared.load(id);
          await new Promise((r) => setTimeout(r, 0));
          return laggingView ?? now;
        },
      });
      let laggingView: SessionSnapshot | undefined = await shared.load('p');
      const dir = leaseDir();
      const refresh = platformRefresher({
        provider: nhsPlatformProvider(srv.url),
        clientId: 'app',
        clientSecret: 'secret',
      });
      const w1 = new RefreshManager({
        store: shared,
        refresh,
        lease: new FileRefreshLease({ dir, pollMs: 5 }),
      });
      const w2 = new RefreshManager({
        store: lagging,
        refresh,
        lease: new FileRefreshLease({ dir, pollMs: 5 }),
        settleMs: 5000,
      });
      const first = await w1.refresh('p');
      setTimeout(() => {
        laggingView = undefined;
      }, 300); // the write reaches window 2
      const started = Date.now();
      const second = await w2.refresh('p');
      assert.ok(Date.now() - started >= 250, 'window 2 waited for its view to catch up');
      assert.equal(second.refreshToken, first.refreshToken, "and used window 1's token");
      assert.equal(srv.hits(), 1, 'the stale refresh token was never sent');
    } finally {
      await srv.close();
    }
  });
});
