// Rotation-safe refreshing: one refresh at a time per session (concurrent callers share it), the new
// refresh token stored before the new access token is handed out, no request once the refresh period
// is over, and an optional timer that refreshes a margin before the access token expires.
import { AuthExplorerError, isAuthExplorerError } from '../errors.ts';
import type { TokenResult } from '../token/requestToken.ts';
import type { SessionSnapshot } from './sessionSnapshot.ts';
import type { SessionStore } from './sessionStore.ts';
import { snapshotFromToken } from './snapshotFromToken.ts';

export interface RefreshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefreshManagerOptions {
  store: SessionStore;
  /** Sends the refresh request for this session (see platformRefresher()). */
  refresh: (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult>;
  now?: () => number;
  timers?: RefreshTimers;
  /** Refresh this long before the access token expires. Default 60 s. */
  marginMs?: number;
  onRefreshed?: (session: SessionSnapshot) => void;
  /** Failures of timer-driven refreshes (callers of refresh() get theirs thrown). */
  onError?: (profileId: string, error: unknown) => void;
}

const MAX_TIMER_MS = 2_147_483_647;

const defaultTimers: RefreshTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** True when the refresh token can no longer be used: the period or the token itself has ended. */
export function refreshPeriodOver(s: SessionSnapshot, now: number): boolean {
  return (s.refreshPeriodEndsAt !== undefined && now >= s.refreshPeriodEndsAt) || (s.refreshTokenExpiresAt !== undefined && now >= s.refreshTokenExpiresAt);
}

export class RefreshManager {
  private readonly options: RefreshManagerOptions;
  private readonly now: () => number;
  private readonly timers: RefreshTimers;
  private readonly marginMs: number;
  private readonly inFlight = new Map<string, Promise<SessionSnapshot>>();
  private readonly autoTimers = new Map<string, unknown>();
  private disposed = false;

  constructor(options: RefreshManagerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? defaultTimers;
    this.marginMs = options.marginMs ?? 60_000;
  }

  /** Refreshes now. A call while one is in flight for the same profile gets the same promise. */
  refresh(profileId: string): Promise<SessionSnapshot> {
    const running = this.inFlight.get(profileId);
    if (running) return running;
    const p = this.doRefresh(profileId).finally(() => this.inFlight.delete(profileId));
    this.inFlight.set(profileId, p);
    return p;
  }

  isRefreshing(profileId: string): boolean {
    return this.inFlight.has(profileId);
  }

  /** A usable access token: the stored one, or a refreshed one when it expires within the margin. */
  async getAccessToken(profileId: string): Promise<string> {
    const running = this.inFlight.get(profileId);
    if (running) return (await running).accessToken;
    const s = await this.load(profileId);
    if (s.accessTokenExpiresAt - this.marginMs > this.now()) return s.accessToken;
    if (!s.refreshToken) {
      if (s.accessTokenExpiresAt > this.now()) return s.accessToken;
      throw new AuthExplorerError('ERR_NO_REFRESH_TOKEN', 'The access token has expired and this session has no refresh token: request a new token.', { profileId });
    }
    return (await this.refresh(profileId)).accessToken;
  }

  /** Starts refreshing this session a margin before each expiry, until disabled or disposed. */
  async enableAutoRefresh(profileId: string): Promise<void> {
    const s = await this.load(profileId);
    this.schedule(s);
  }

  disableAutoRefresh(profileId: string): void {
    const h = this.autoTimers.get(profileId);
    if (h !== undefined) this.timers.clearTimeout(h);
    this.autoTimers.delete(profileId);
  }

  isAutoRefreshing(profileId: string): boolean {
    return this.autoTimers.has(profileId);
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.autoTimers.keys()]) this.disableAutoRefresh(id);
  }

  private async load(profileId: string): Promise<SessionSnapshot> {
    const s = await this.options.store.load(profileId);
    if (!s) throw new AuthExplorerError('ERR_SESSION_MISSING', `No session for profile ${profileId}: request a token first.`, { profileId });
    return s;
  }

  private async markNeedsSignIn(s: SessionSnapshot): Promise<void> {
    try {
      await this.options.store.save({ ...s, needsSignIn: true });
    } catch {
      // The original failure matters more than the flag.
    }
  }

  private async doRefresh(profileId: string): Promise<SessionSnapshot> {
    const s = await this.load(profileId);
    if (!s.refreshToken) {
      throw new AuthExplorerError('ERR_NO_REFRESH_TOKEN', 'This session has no refresh token (client credentials issue none): request a new token instead.', { profileId, grant: s.grant });
    }
    const now = this.now();
    if (refreshPeriodOver(s, now)) {
      await this.markNeedsSignIn(s);
      this.disableAutoRefresh(profileId);
      throw new AuthExplorerError('ERR_REFRESH_PERIOD_OVER', 'The refresh period for this session is over: sign in again. No request was sent.', {
        profileId, refreshPeriodEndsAt: s.refreshPeriodEndsAt, refreshTokenExpiresAt: s.refreshTokenExpiresAt, refreshCount: s.refreshCount,
      });
    }
    let result: TokenResult;
    try {
      result = await this.options.refresh(s);
    } catch (e) {
      if (isAuthExplorerError(e) && (e.code === 'ERR_REFRESH_OUTCOME_UNKNOWN' || (e.code === 'ERR_OAUTH' && e.details['error'] === 'invalid_grant'))) {
        await this.markNeedsSignIn(s);
        this.disableAutoRefresh(profileId);
      }
      throw e;
    }
    const next = snapshotFromToken({ profileId, grant: 'refresh_token', identityProvider: s.identityProvider, tokenUrl: s.tokenUrl, result, previous: s });
    try {
      // The old refresh token is burnt now: the new one must be safe before anyone uses the new access token.
      await this.options.store.save(next);
    } catch (e) {
      throw new AuthExplorerError('ERR_SESSION_STORE', 'The refresh succeeded but the new refresh token could not be stored; the old one is already used up, so sign in again.', { profileId }, { cause: e });
    }
    this.options.onRefreshed?.(next);
    if (this.autoTimers.has(profileId)) this.schedule(next);
    return next;
  }

  private schedule(s: SessionSnapshot): void {
    this.disableAutoRefresh(s.profileId);
    if (this.disposed || !s.refreshToken || s.needsSignIn) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, s.accessTokenExpiresAt - this.marginMs - this.now()));
    const handle = this.timers.setTimeout(() => {
      if (this.autoTimers.get(s.profileId) !== handle) return;
      this.refresh(s.profileId).catch((e: unknown) => {
        this.autoTimers.delete(s.profileId);
        this.options.onError?.(s.profileId, e);
      });
    }, delay);
    this.autoTimers.set(s.profileId, handle);
  }
}
