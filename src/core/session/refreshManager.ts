// Rotation-safe refreshing: one refresh at a time per session (concurrent callers share it, and a lease
// extends that across processes sharing the store), the new refresh token stored before the new access
// token is handed out, "sign in again" flagged only if the stored token is still the one that was sent,
// no request once the refresh period is over, and an optional timer that refreshes (or, for client
// credentials, re-issues) a margin before the access token expires.
import { AuthExplorerError, isAuthExplorerError } from '../errors.ts';
import type { TokenResult } from '../token/requestToken.ts';
import { processLocalLease, type HeldLease, type RefreshLease } from './refreshLease.ts';
import { refreshTokenNotRotated } from '../token/refreshOutcome.ts';
import type { SessionSnapshot } from './sessionSnapshot.ts';
import { EXPIRY_MARGIN_MS, refreshPeriodOver } from './sessionStatus.ts';
import type { SessionStore } from './sessionStore.ts';
import { snapshotFromToken } from './snapshotFromToken.ts';

export { refreshPeriodOver } from './sessionStatus.ts';

export interface RefreshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefreshManagerOptions {
  store: SessionStore;
  /** Sends the refresh request for this session (see platformRefresher()). */
  refresh: (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult>;
  /** Re-issues a client-credentials token (new assertion, new jti). Without it such sessions cannot renew. */
  renew?: (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult>;
  /** Whether this session's refresh tokens are single-use (default: yes, as on the platform). */
  singleUse?: (session: SessionSnapshot) => boolean;
  /** Cross-process exclusion; the default only covers this process. */
  lease?: RefreshLease;
  /**
   * How long to wait for a shared store to show another process's write (after waiting for its lease,
   * or when the lease says a newer session was stored) before giving up. Default 0.
   */
  settleMs?: number;
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

/** The same session chain: nobody has refreshed or replaced it since `a` was read. */
function sameTokens(a: SessionSnapshot, b: SessionSnapshot | undefined): boolean {
  return b !== undefined && a.refreshToken === b.refreshToken && a.accessToken === b.accessToken;
}

export class RefreshManager {
  private readonly options: RefreshManagerOptions;
  private readonly now: () => number;
  private readonly timers: RefreshTimers;
  private readonly marginMs: number;
  private readonly lease: RefreshLease;
  private readonly inFlight = new Map<string, Promise<SessionSnapshot>>();
  private readonly autoTimers = new Map<string, unknown>();
  private disposed = false;

  constructor(options: RefreshManagerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? defaultTimers;
    this.marginMs = options.marginMs ?? EXPIRY_MARGIN_MS;
    this.lease = options.lease ?? processLocalLease;
  }

  /** Refreshes now (re-issues, for client credentials). A call while one is in flight gets the same promise. */
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
    if (!s.refreshToken && !this.canRenew(s)) {
      if (s.accessTokenExpiresAt > this.now()) return s.accessToken;
      throw new AuthExplorerError(
        'ERR_NO_REFRESH_TOKEN',
        'The access token has expired and this session has no refresh token: request a new token.',
        { profileId },
      );
    }
    return (await this.refresh(profileId)).accessToken;
  }

  /** Starts refreshing this session a margin before each expiry, until disabled or disposed. */
  async enableAutoRefresh(profileId: string): Promise<void> {
    const s = await this.load(profileId);
    this.schedule(s);
  }

  /** Arms, re-arms or ends the timer to match a session read from the store (e.g. written by another window). */
  follow(s: SessionSnapshot | undefined, profileId: string): void {
    if (!s || !s.autoRefresh || s.needsSignIn) this.disableAutoRefresh(profileId);
    else if (!this.inFlight.has(profileId)) this.schedule(s);
  }

  disableAutoRefresh(profileId: string): void {
    const h = this.autoTimers.get(profileId);
    if (h !== undefined) this.timers.clearTimeout(h);
    this.autoTimers.delete(profileId);
  }

  isAutoRefreshing(profileId: string): boolean {
    return this.autoTimers.has(profileId);
  }

  autoRefreshing(): string[] {
    return [...this.autoTimers.keys()];
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.autoTimers.keys()]) this.disableAutoRefresh(id);
  }

  private canRenew(s: SessionSnapshot): boolean {
    return s.grant === 'client_credentials' && !s.refreshToken && this.options.renew !== undefined;
  }

  private async load(profileId: string): Promise<SessionSnapshot> {
    const s = await this.options.store.load(profileId);
    if (!s)
      throw new AuthExplorerError(
        'ERR_SESSION_MISSING',
        `No session for profile ${profileId}: request a token first.`,
        { profileId },
      );
    return s;
  }

  /** Compare-and-set: flags "sign in again" only if the store still holds the tokens that were sent. */
  private async markNeedsSignIn(sent: SessionSnapshot): Promise<SessionSnapshot | undefined> {
    try {
      const stored = await this.options.store.load(sent.profileId);
      if (!sameTokens(sent, stored)) return stored;
      await this.options.store.save({ ...sent, needsSignIn: true });
    } catch {
      // The original failure matters more than the flag.
    }
    return undefined;
  }

  private async doRefresh(profileId: string): Promise<SessionSnapshot> {
    const first = await this.load(profileId);
    if (!first.refreshToken && !this.canRenew(first)) {
      throw new AuthExplorerError(
        'ERR_NO_REFRESH_TOKEN',
        'This session has no refresh token (client credentials issue none): request a new token instead.',
        { profileId, grant: first.grant },
      );
    }
    if (first.refreshToken && refreshPeriodOver(first, this.now())) {
      await this.markNeedsSignIn(first);
      this.disableAutoRefresh(profileId);
      throw new AuthExplorerError(
        'ERR_REFRESH_PERIOD_OVER',
        'The refresh period for this session is over: sign in again. No request was sent.',
        {
          profileId,
          refreshPeriodEndsAt: first.refreshPeriodEndsAt,
          refreshTokenExpiresAt: first.refreshTokenExpiresAt,
          refreshCount: first.refreshCount,
        },
      );
    }
    const held = await this.lease.acquire(profileId);
    let stored: SessionSnapshot | undefined;
    try {
      // Re-read under the lease: another process may have refreshed while we waited for it.
      const s = await this.current(first, held);
      if (!sameTokens(first, s) || (s.needsSignIn && !first.needsSignIn)) return this.adopt(s);
      stored = s.refreshToken ? await this.sendRefresh(s) : await this.sendRenew(s);
      return stored;
    } finally {
      await held.release(stored?.issuedAt);
    }
  }

  /**
   * The session as the store shows it now. When the lease says another holder stored a newer session
   * than the one we see, our view of the shared store is behind: give it settleMs to catch up.
   */
  private async current(first: SessionSnapshot, held: HeldLease): Promise<SessionSnapshot> {
    let s = await this.load(first.profileId);
    const behind = (x: SessionSnapshot): boolean =>
      held.lastStoredIssuedAt !== undefined && x.issuedAt < held.lastStoredIssuedAt;
    const until = this.now() + (this.options.settleMs ?? 0);
    while (behind(s) && this.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      s = await this.load(first.profileId);
    }
    // Still behind (a clock stepped back, a lost write): go on; compare-and-set still guards the flag.
    return s;
  }

  /** Another process refreshed (or signed in again) first: use what it stored instead of sending. */
  private adopt(s: SessionSnapshot): SessionSnapshot {
    if (s.needsSignIn && s.accessTokenExpiresAt <= this.now()) {
      this.disableAutoRefresh(s.profileId);
      throw new AuthExplorerError(
        'ERR_REFRESH_OUTCOME_UNKNOWN',
        'Another window refreshed this session and could not complete it: sign in again.',
        { profileId: s.profileId, otherWindow: true },
      );
    }
    this.options.onRefreshed?.(s);
    if (this.autoTimers.has(s.profileId)) this.schedule(s);
    return s;
  }

  private async sendRefresh(s: SessionSnapshot): Promise<SessionSnapshot> {
    const profileId = s.profileId;
    let result: TokenResult;
    try {
      result = await this.options.refresh(s);
    } catch (e) {
      if (
        isAuthExplorerError(e) &&
        (e.code === 'ERR_REFRESH_OUTCOME_UNKNOWN' ||
          (e.code === 'ERR_OAUTH' && e.details.error === 'invalid_grant'))
      ) {
        const replaced = await this.markNeedsSignIn(s);
        // invalid_grant because someone else (the CLI, a window without the lease) rotated it first.
        if (replaced && !replaced.needsSignIn) return this.adopt(replaced);
        this.disableAutoRefresh(profileId);
      }
      throw e;
    }
    const singleUse = this.options.singleUse?.(s) ?? true;
    const next = snapshotFromToken({
      profileId,
      grant: 'refresh_token',
      identityProvider: s.identityProvider,
      tokenUrl: s.tokenUrl,
      result,
      previous: s,
      keepsOldRefreshToken: !singleUse,
    });
    if (singleUse && !result.token.refreshToken) {
      // The old token is burnt and no new one came: keep the access token, flag the session, say so.
      await this.save({
        ...next,
        refreshToken: undefined,
        refreshTokenExpiresAt: undefined,
        refreshPeriodEndsAt: undefined,
        needsSignIn: true,
      });
      this.disableAutoRefresh(profileId);
      this.options.onRefreshed?.(next);
      throw refreshTokenNotRotated('The server', profileId);
    }
    await this.save(next);
    this.options.onRefreshed?.(next);
    if (this.autoTimers.has(profileId)) this.schedule(next);
    return next;
  }

  private async sendRenew(s: SessionSnapshot): Promise<SessionSnapshot> {
    const result = await this.options.renew!(s);
    const next = {
      ...snapshotFromToken({
        profileId: s.profileId,
        grant: 'client_credentials',
        identityProvider: 'none',
        tokenUrl: s.tokenUrl,
        result,
      }),
      autoRefresh: s.autoRefresh,
    };
    await this.save(next);
    this.options.onRefreshed?.(next);
    if (this.autoTimers.has(s.profileId)) this.schedule(next);
    return next;
  }

  private async save(next: SessionSnapshot): Promise<void> {
    try {
      // The old refresh token is burnt now: the new one must be safe before anyone uses the new access token.
      await this.options.store.save(next);
    } catch (e) {
      throw new AuthExplorerError(
        'ERR_SESSION_STORE',
        'The refresh succeeded but the new refresh token could not be stored; the old one is already used up, so sign in again.',
        { profileId: next.profileId },
        { cause: e },
      );
    }
  }

  private schedule(s: SessionSnapshot): void {
    this.disableAutoRefresh(s.profileId);
    if (this.disposed || s.needsSignIn || (!s.refreshToken && !this.canRenew(s))) return;
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
