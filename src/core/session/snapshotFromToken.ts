// Turns a token response into a session with absolute expiries on the local clock. Relative lifetimes
// (expires_in, sent as strings by the platform) count from the issue instant; a server issue instant
// (issued_at / created_at, server clock) is moved onto the local clock with the Date-header skew.
import type { TokenResult } from '../token/requestToken.ts';
import type { GrantKind, IdentityProvider, SessionSnapshot } from './sessionSnapshot.ts';

export interface SnapshotInput {
  profileId: string;
  grant: GrantKind;
  identityProvider: IdentityProvider;
  tokenUrl: string;
  result: Pick<TokenResult, 'token' | 'startedAt' | 'receivedAt' | 'clockSkewMs' | 'clientAssertion'>;
  /** The session being refreshed; its refresh period and original grant carry over. */
  previous?: SessionSnapshot;
  idToken?: string;
  /**
   * The provider leaves refresh_token out of a refresh answer because the old one stays valid. Never
   * true for single-use refresh tokens (the platform): there a missing one means the chain has ended.
   */
  keepsOldRefreshToken?: boolean;
}

/** The issue instant on the local clock: never later than the response arrived, never before the request left. */
export function localIssueInstant(
  serverIssuedAt: number | undefined,
  clockSkewMs: number,
  startedAt: number,
  receivedAt: number,
): number {
  if (serverIssuedAt === undefined) return startedAt;
  const local = serverIssuedAt - clockSkewMs;
  return Math.min(receivedAt, Math.max(startedAt, local));
}

export function snapshotFromToken(input: SnapshotInput): SessionSnapshot {
  const { token, startedAt, receivedAt, clockSkewMs } = input.result;
  const issuedAt = localIssueInstant(token.serverIssuedAt, clockSkewMs, startedAt, receivedAt);
  // No expires_in: assume the platform's 10 minutes rather than "never" (an Insomnia bug).
  const accessTokenExpiresAt = issuedAt + (token.expiresInSeconds ?? 600) * 1000;
  const prev = input.previous;
  // Only a provider that does not rotate refresh tokens may leave them out of a refresh answer.
  const refreshToken =
    token.refreshToken ??
    (input.grant === 'refresh_token' && input.keepsOldRefreshToken ? prev?.refreshToken : undefined);
  const refreshTokenExpiresAt =
    token.refreshTokenExpiresInSeconds !== undefined && refreshToken
      ? issuedAt + token.refreshTokenExpiresInSeconds * 1000
      : token.refreshToken === undefined && refreshToken
        ? prev?.refreshTokenExpiresAt
        : undefined;
  // The platform caps each refresh token at first issue + validity, so the first one's expiry is the period end.
  const refreshPeriodEndsAt = prev?.refreshPeriodEndsAt ?? refreshTokenExpiresAt;
  return {
    profileId: input.profileId,
    grant: prev?.grant ?? input.grant,
    identityProvider: prev?.identityProvider ?? input.identityProvider,
    tokenUrl: input.tokenUrl,
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    issuedAt,
    accessTokenExpiresAt,
    refreshToken,
    refreshTokenExpiresAt,
    refreshPeriodEndsAt: refreshToken ? refreshPeriodEndsAt : undefined,
    refreshCount: token.refreshCount,
    idToken: input.idToken ?? token.idToken ?? prev?.idToken,
    lastClientAssertion: input.result.clientAssertion ?? prev?.lastClientAssertion,
    clockSkewMs,
    responseKeys: token.keys,
    needsSignIn: false,
    autoRefresh: prev?.autoRefresh,
  };
}
