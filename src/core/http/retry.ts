// Exponential backoff with jitter, bounded in attempts and in total time. Whether a failure may be
// retried at all is the caller's decision (a platform refresh must not be), passed in as `decide`.
import { AuthExplorerError } from '../errors.ts';

export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt began. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxTotalMs: 60_000,
};
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 };

/**
 * Delay before retry number `retry` (1 = first retry): "equal jitter", half fixed and half random,
 * so delays never collapse to zero yet spread out clients that failed together.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export type RetryDecision = { retry: false } | { retry: true; minDelayMs?: number };

export interface RetryOptions {
  policy?: RetryPolicy;
  decide: (error: unknown, attempt: number) => RetryDecision;
  signal?: AbortSignal;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AuthExplorerError('ERR_CANCELLED', 'Cancelled while waiting to retry.'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AuthExplorerError('ERR_CANCELLED', 'Cancelled while waiting to retry.'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn(attempt)` (attempt counts from 1) until it succeeds, `decide` says stop, or a bound is hit. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const start = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= policy.maxAttempts || options.signal?.aborted) throw e;
      const decision = options.decide(e, attempt);
      if (!decision.retry) throw e;
      const delayMs = Math.max(backoffDelayMs(attempt, policy, options.random), decision.minDelayMs ?? 0);
      // A server asking us to wait longer than our budget allows gets the error, not a doomed wait.
      if (now() - start + delayMs > policy.maxTotalMs) throw e;
      options.onRetry?.({ attempt, delayMs, error: e });
      await sleep(delayMs, options.signal);
    }
  }
}
