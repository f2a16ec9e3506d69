// Countdown arithmetic shared by the host (status bar, model) and the webview ticker.
// Pure and dependency-free so the browser bundle can import it.

export type CountdownLevel = 'ok' | 'warning' | 'expired';

export interface CountdownState {
  remainingMs: number;
  /** Human label: '9m 58s', '11h 59m', '42s' or 'expired'. */
  label: string;
  level: CountdownLevel;
}

/**
 * Where a countdown stands at `now`. Seconds round UP so the label only reads 'expired'
 * once the instant has actually passed (a token with 0.4 s left still works).
 */
export function countdownState(expiresAt: number, now: number, warnAtMs: number): CountdownState {
  const remainingMs = expiresAt - now;
  if (!Number.isFinite(remainingMs) || remainingMs <= 0) {
    return {
      remainingMs: Number.isFinite(remainingMs) ? remainingMs : 0,
      label: 'expired',
      level: 'expired',
    };
  }
  return {
    remainingMs,
    label: formatDuration(remainingMs),
    level: remainingMs < warnAtMs ? 'warning' : 'ok',
  };
}

/** '1h 05m', '9m 58s', '42s' (rounded up to whole seconds). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Clock style for the status bar: '9:58', '1:05:09' (rounded up to whole seconds). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The level for a countdown that warns in the last `fraction` of its whole span (at least `floorMs`). */
export function fractionWarnAt(totalMs: number, fraction: number, floorMs = 0): number {
  return Math.max(floorMs, Number.isFinite(totalMs) && totalMs > 0 ? totalMs * fraction : 0);
}
