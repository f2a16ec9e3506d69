// Access + refresh token pair for a user-restricted grant, and the refresh period arithmetic.
import type { EmulatorState } from '../state.ts';
import type { TokenUser } from '../tokenStore.ts';
import type { IdpProvider, Reply } from '../types.ts';
import { jsonReply } from '../replies.ts';
import {
  ACCESS_TOKEN_MS,
  REFRESH_TOKEN_MS,
  REFRESH_VALIDITY_MS,
  expiresInSeconds,
  shortened,
} from '../lifetimes.ts';

export interface UserTokenPair {
  access_token: string;
  expires_in: string;
  refresh_token: string;
  refresh_token_expires_in: string;
  refresh_count: string;
}

export interface FirstIssue {
  apiKey: string;
  provider: IdpProvider;
  scopes: string[];
  user: TokenUser;
}

/**
 * First issue: count "0", period starts now. Token exchange reads only _access_token_expiry_ms;
 * authorization_code also _refresh_token_expiry_ms (flows PostToken*, default.xml). Neither reads the validity.
 */
export function issueFirstPair(
  state: EmulatorState,
  form: URLSearchParams,
  f: FirstIssue,
  grant: 'token-exchange' | 'authorization_code',
): UserTokenPair {
  const now = Date.now();
  const accessTokenMs = shortened(form, '_access_token_expiry_ms', ACCESS_TOKEN_MS);
  const refreshTokenMs =
    grant === 'authorization_code'
      ? shortened(form, '_refresh_token_expiry_ms', REFRESH_TOKEN_MS[f.provider])
      : REFRESH_TOKEN_MS[f.provider];
  return issuePair(state, now, {
    ...f,
    refreshCount: 0,
    firstIssuedAt: now,
    periodEnd: now + REFRESH_VALIDITY_MS[f.provider],
    accessTokenMs,
    refreshTokenMs,
  });
}

export interface PairSpec extends FirstIssue {
  refreshCount: number;
  firstIssuedAt: number;
  periodEnd: number;
  accessTokenMs: number;
  refreshTokenMs: number;
}

/** refresh_token_expires_in = min(now + refresh_token_expiry, first_issued + validity) − now. */
export function issuePair(state: EmulatorState, now: number, s: PairSpec): UserTokenPair {
  const refreshExpiresAt = Math.min(now + s.refreshTokenMs, s.periodEnd);
  const accessToken = state.tokens.issueAccess({
    apiKey: s.apiKey,
    kind: 'user',
    scopes: s.scopes,
    provider: s.provider,
    user: s.user,
    expiresAt: now + s.accessTokenMs,
  });
  const refreshToken = state.tokens.issueRefresh({
    apiKey: s.apiKey,
    provider: s.provider,
    scopes: s.scopes,
    expiresAt: refreshExpiresAt,
    periodEnd: s.periodEnd,
    refreshCount: s.refreshCount,
    firstIssuedAt: s.firstIssuedAt,
    user: s.user,
    accessTokenMs: s.accessTokenMs,
    refreshTokenMs: s.refreshTokenMs,
  });
  return {
    access_token: accessToken,
    expires_in: expiresInSeconds(s.accessTokenMs),
    refresh_token: refreshToken,
    refresh_token_expires_in: expiresInSeconds(refreshExpiresAt - now),
    refresh_count: String(s.refreshCount),
  };
}

/** The body authorization_code and refresh_token answer with: the same keys, every value a string. */
export function userTokenReply(pair: UserTokenPair): Reply {
  return jsonReply(200, {
    access_token: pair.access_token,
    expires_in: pair.expires_in,
    refresh_token: pair.refresh_token,
    refresh_token_expires_in: pair.refresh_token_expires_in,
    refresh_count: pair.refresh_count,
    token_type: 'Bearer',
  });
}
