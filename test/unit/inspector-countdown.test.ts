import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countdownState,
  formatClock,
  formatDuration,
  fractionWarnAt,
} from '../../src/core/inspector/countdown.ts';

describe('countdownState', () => {
  const now = 1_700_000_000_000;

  test('ok with a minutes-and-seconds label', () => {
    assert.deepEqual(countdownState(now + 598_000, now, 60_000), {
      remainingMs: 598_000,
      label: '9m 58s',
      level: 'ok',
    });
  });

  test('warning below the threshold, ok exactly at it', () => {
    assert.equal(countdownState(now + 59_999, now, 60_000).level, 'warning');
    assert.equal(countdownState(now + 60_000, now, 60_000).level, 'ok');
  });

  test('expired at and after the instant; seconds round up until then', () => {
    assert.deepEqual(countdownState(now, now, 60_000), {
      remainingMs: 0,
      label: 'expired',
      level: 'expired',
    });
    assert.equal(countdownState(now - 5_000, now, 60_000).remainingMs, -5_000);
    assert.equal(countdownState(now + 400, now, 60_000).label, '1s');
  });

  test('a non-finite expiry reads as expired rather than NaN', () => {
    assert.deepEqual(countdownState(Number.NaN, now, 60_000), {
      remainingMs: 0,
      label: 'expired',
      level: 'expired',
    });
  });

  test('10% of a 12 h refresh period warns in the last 72 minutes', () => {
    const warnAt = fractionWarnAt(12 * 3600_000, 0.1, 60_000);
    assert.equal(warnAt, 72 * 60_000);
    assert.equal(countdownState(now + 73 * 60_000, now, warnAt).level, 'ok');
    assert.equal(countdownState(now + 71 * 60_000, now, warnAt).level, 'warning');
    assert.equal(fractionWarnAt(Number.NaN, 0.1, 60_000), 60_000);
  });
});

describe('formatting', () => {
  test('formatDuration', () => {
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(3_600_000 + 5 * 60_000), '1h 05m');
    assert.equal(formatDuration(43_199_000), '11h 59m');
    assert.equal(formatDuration(43_200_000), '12h 00m');
    assert.equal(formatDuration(-1), '0s');
  });

  test('formatClock for the status bar', () => {
    assert.equal(formatClock(598_000), '9:58');
    assert.equal(formatClock(5_000), '0:05');
    assert.equal(formatClock(3_909_000), '1:05:09');
  });
});
