// The one place a session's state is worked out: the tree, the inspector, the status bar, the
// authentication provider and the refresh manager all ask sessionStatus() rather than re-deriving it.
import type { SessionSnapshot } from './sessionSnapshot.ts';

/** How long before the access token expires it counts as expiring, and auto-refresh acts. */
export const EXPIRY_MARGIN_MS = 60_000;

export type SessionState =
  /** The access token is good for longer than the margin. */
  | 'valid'
  /** Within the margin of expiry and nothing will renew it by itself. */
  | 'expiring'
  /** Expiring or expired, and auto-refresh will refresh or re-issue it. */
  | 'renewing'
  /** The access token has expired; a refresh (or a new client-credentials token) gets a new one. */
  | 'expired'
  /** Only signing in again helps. */
  | 'signin';

export interface SessionStatus {
  state: SessionState;
  /** A refresh token that can still be sent. */
  canRefresh: boolean;
  /** Client credentials: a new assertion re-issues a token, no user involved. */
  canRenew: boolean;
  /** The access token may be handed out now. */
  usable: boolean;
  refreshPeriodOver: boolean;
  refreshTokenExpired: boolean;
  accessRemainingMs: number;
  /** A few words for tooltips and notices. */
  text: string;
}

/** True when the refresh token can no longer be used: the period or the token itself has ended. */
export function refreshPeriodOver(s: SessionSnapshot, now: number): boolean {
  return (
    (s.refreshPeriodEndsAt !== undefined && now >= s.refreshPeriodEndsAt) ||
    (s.refreshTokenExpiresAt !== undefined && now >= s.refreshTokenExpiresAt)
  );
}

export function sessionStatus(s: SessionSnapshot, now: number, marginMs = EXPIRY_MARGIN_MS): SessionStatus {
  const accessRemainingMs = s.accessTokenExpiresAt - now;
  const periodOver = s.refreshPeriodEndsAt !== undefined && now >= s.refreshPeriodEndsAt;
  const refreshTokenExpired = s.refreshTokenExpiresAt !== undefined && now >= s.refreshTokenExpiresAt;
  const canRefresh = Boolean(s.refreshToken) && !s.needsSignIn && !periodOver && !refreshTokenExpired;
  const canRenew = s.grant === 'client_credentials';
  const expired = accessRemainingMs <= 0;
  const base = {
    canRefresh,
    canRenew,
    usable: !expired,
    refreshPeriodOver: periodOver,
    refreshTokenExpired,
    accessRemainingMs,
  };
  const auto = Boolean(s.autoRefresh) && (canRefresh || canRenew);
  if (s.needsSignIn && (expired || !canRenew)) {
    return {
      ...base,
      state: 'signin',
      text: expired
        ? 'Sign in again: this session can no longer be refreshed.'
        : 'Sign in again when this access token expires: the session can no longer be refreshed.',
    };
  }
  if (accessRemainingMs > marginMs) return { ...base, state: 'valid', text: 'The access token is valid.' };
  if (auto)
    return {
      ...base,
      state: 'renewing',
      text: canRefresh
        ? 'Auto-refresh is refreshing this session.'
        : 'Auto-refresh is re-issuing this client-credentials token.',
    };
  if (!expired) return { ...base, state: 'expiring', text: 'The access token expires within a minute.' };
  if (canRefresh)
    return { ...base, state: 'expired', text: 'The access token has expired; refresh to get a new one.' };
  if (canRenew)
    return {
      ...base,
      state: 'expired',
      text: 'The access token has expired; get a new client-credentials token.',
    };
  const why = periodOver
    ? 'the refresh period is over'
    : refreshTokenExpired
      ? 'the refresh token has expired'
      : 'there is no refresh token';
  return { ...base, state: 'signin', text: `Sign in again: the access token has expired and ${why}.` };
}
