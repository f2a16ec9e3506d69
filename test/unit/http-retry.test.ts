import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffDelayMs,
  parseRetryAfterMs,
  withRetry,
  DEFAULT_RETRY_POLICY,
} from '../../src/core/http/retry.ts';
import type { RetryPolicy } from '../../src/core/http/retry.ts';

describe('backoff', () => {
  test('delays grow exponentially, stay within [ceiling/2, ceiling] and never exceed maxDelayMs', () => {
    const p: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000 };
    for (let retry = 1; retry <= 8; retry++) {
      const ceiling = Math.min(1000, 100 * 2 ** (retry - 1));
      for (const r of [0, 0.25, 0.5, 0.999999, 1]) {
        const d = backoffDelayMs(retry, p, () => r);
        assert.ok(d >= ceiling / 2 && d <= ceiling, `retry ${retry} r ${r}: ${d}`);
      }
    }
    assert.equal(
      backoffDelayMs(1, p, () => 0),
      50,
    );
    assert.equal(
      backoffDelayMs(20, p, () => 1),
      1000,
    );
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfterMs('2'), 2000);
    assert.equal(parseRetryAfterMs(' 0.5 '), 500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs(new Date(now + 7000).toUTCString(), now), 7000);
    assert.equal(parseRetryAfterMs(new Date(now - 7000).toUTCString(), now), 0);
    assert.equal(parseRetryAfterMs(undefined), undefined);
    assert.equal(parseRetryAfterMs('soon'), undefined);
  });
});

describe('withRetry', () => {
  function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
    let t = 0;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
      slept,
    };
  }

  test('stops after maxAttempts and rethrows the last error', async () => {
    const c = fakeClock();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        {
          policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 },
          decide: () => ({ retry: true }),
          now: c.now,
          sleep: c.sleep,
          random: () => 0.5,
        },
      ),
      /fail 3/,
    );
    assert.equal(calls, 3);
    assert.equal(c.slept.length, 2);
  });

  test('stops when the total time budget would be exceeded', async () => {
    const c = fakeClock();
    let calls = 0;
    const policy: RetryPolicy = { maxAttempts: 100, baseDelayMs: 1000, maxDelayMs: 4000, maxTotalMs: 10_000 };
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('x');
        },
        { policy, decide: () => ({ retry: true }), now: c.now, sleep: c.sleep, random: () => 1 },
      ),
    );
    assert.ok(c.slept.reduce((a, b) => a + b, 0) <= 10_000);
    assert.ok(calls < 100 && calls >= 3, String(calls));
  });

  test('honours a minimum delay (Retry-After) and gives up when it does not fit the budget', async () => {
    const c = fakeClock();
    let calls = 0;
    const r = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new Error('429');
        return 'ok';
      },
      { decide: () => ({ retry: true, minDelayMs: 3000 }), now: c.now, sleep: c.sleep, random: () => 0 },
    );
    assert.equal(r, 'ok');
    assert.deepEqual(c.slept, [3000]);
    const c2 = fakeClock();
    await assert.rejects(
      withRetry(
        async () => {
          throw new Error('429');
        },
        { decide: () => ({ retry: true, minDelayMs: 120_000 }), now: c2.now, sleep: c2.sleep },
      ),
      /429/,
    );
    assert.deepEqual(c2.slept, []);
  });

  test('does not retry when decide says no', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('no');
        },
        { decide: () => ({ retry: false }) },
      ),
    );
    assert.equal(calls, 1);
  });
});
