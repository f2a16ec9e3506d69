// Cross-window refresh: the cost of the lease (uncontended acquire + release of the 0600 lock file),
// and what it buys: TRIALS rounds of two refresh managers on one shared store refreshing at once
// against a single-use token server on 127.0.0.1, with the lease and with only the in-process rule.
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileRefreshLease } from '../src/core/session/fileRefreshLease.ts';
import { platformRefresher } from '../src/core/session/platformRefresher.ts';
import { RefreshManager } from '../src/core/session/refreshManager.ts';
import { processLocalLease } from '../src/core/session/refreshLease.ts';
import type { RefreshLease } from '../src/core/session/refreshLease.ts';
import { InMemorySessionStore } from '../src/core/session/sessionStore.ts';
import { nhsPlatformProvider } from '../src/core/token/tokenProvider.ts';
import { singleUseTokenServer } from '../test/singleUseTokenServer.ts';

const N = Number(process.env['BENCH_N'] ?? 500);
const TRIALS = Number(process.env['BENCH_TRIALS'] ?? 20);
const dir = mkdtempSync(join(os.tmpdir(), 'nhs-auth-lease-bench-'));

function stats(xs: number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95) };
}

const lease = new FileRefreshLease({ dir: join(dir, 'locks') });
const times: number[] = [];
for (let i = 0; i < N + 50; i++) {
  const t = performance.now();
  const held = await lease.acquire('bench');
  await held.release();
  if (i >= 50) times.push(performance.now() - t);
}
const l = stats(times);

// Single-use refresh tokens, 20 ms per answer.
const server = await singleUseTokenServer(20);
const tokenUrl = server.url;

async function trials(
  makeLease: () => RefreshLease,
): Promise<{ requests: number; lost: number; flagged: number }> {
  let requests = 0;
  let lost = 0;
  let flagged = 0;
  for (let t = 0; t < TRIALS; t++) {
    const store = new InMemorySessionStore();
    const rt = server.issued();
    const now = Date.now();
    await store.save({
      profileId: 'p',
      grant: 'token_exchange',
      identityProvider: 'nhs-login',
      tokenUrl,
      accessToken: 'AT',
      tokenType: 'Bearer',
      issuedAt: now,
      accessTokenExpiresAt: now + 1000,
      refreshToken: rt,
      refreshTokenExpiresAt: now + 3e6,
      refreshPeriodEndsAt: now + 3e6,
      clockSkewMs: 0,
      responseKeys: [],
    });
    const refresh = platformRefresher({
      provider: nhsPlatformProvider(tokenUrl),
      clientId: 'app',
      clientSecret: 'secret',
    });
    const ms = [0, 1].map(() => new RefreshManager({ store, refresh, lease: makeLease() }));
    const before = server.hits();
    await Promise.allSettled(ms.map((m) => m.refresh('p')));
    requests += server.hits() - before;
    const stored = await store.load('p');
    if (stored?.needsSignIn) flagged++;
    // Lost: the store does not hold the one refresh token the server still accepts.
    if (stored?.refreshToken !== server.issued()) {
      lost++;
      server.reset(`RT-reset-${t}`);
    }
  }
  return { requests, lost, flagged };
}

const withLease = await trials(() => new FileRefreshLease({ dir: join(dir, 'locks'), pollMs: 5 }));
const without = await trials(() => processLocalLease);
await server.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `machine: ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log(
  `lease acquire+release, uncontended (N=${N}): p50 ${l.p50.toFixed(3)} ms, p95 ${l.p95.toFixed(3)} ms`,
);
console.log(
  `two windows refreshing at once, ${TRIALS} trials: with lease ${withLease.requests} requests, ${withLease.lost} tokens lost, ${withLease.flagged} flagged; ` +
    `without ${without.requests} requests, ${without.lost} tokens lost, ${without.flagged} flagged`,
);
