// Rotation-safe outcome rules for a refresh whose refresh token is single-use (the NHS platform): once
// the request may have reached the server, only a definite answer tells us whether the old token still
// works. Anything else (a garbled or oversized 2xx, a 5xx, a reset, a timeout) is "outcome unknown".
import { AuthExplorerError, isAuthExplorerError } from '../errors.ts';
import type { GrantKind } from './grantKind.ts';
import type { TokenProvider } from './tokenProvider.ts';

/** Grants whose credential (a code, a platform refresh token) is burnt once the server has processed it. */
export function isSingleUseGrant(
  grant: GrantKind,
  provider: Pick<TokenProvider, 'refreshTokenSurvivesUntilUsed'>,
): boolean {
  if (grant === 'authorization_code') return true;
  if (grant === 'refresh_token') return refreshTokensAreSingleUse(provider);
  return false;
}

/** False only for providers whose old refresh token stays valid until the new access token is used. */
export function refreshTokensAreSingleUse(
  provider: Pick<TokenProvider, 'refreshTokenSurvivesUntilUsed'>,
): boolean {
  return !provider.refreshTokenSurvivesUntilUsed;
}

/** Why a failed refresh leaves the old token's fate unknown, or undefined when the answer is definite. */
export function unknownOutcomeReason(e: unknown): string | undefined {
  if (!isAuthExplorerError(e)) return undefined;
  const status = e.details.status;
  switch (e.code) {
    case 'ERR_HTTP_TIMEOUT':
      return 'no complete answer arrived before the timeout';
    case 'ERR_HTTP_RESET':
      return 'the connection was closed before the answer was complete';
    case 'ERR_CANCELLED':
      return e.details.mayHaveReachedServer === true
        ? 'the request was cancelled after it was sent'
        : undefined;
    // Nothing was sent, or the gateway refused it before the token policy ran: the old token is untouched.
    case 'ERR_HTTP_CONNECT':
    case 'ERR_HTTP_DNS':
    case 'ERR_HTTP_TLS':
    case 'ERR_RATE_LIMITED':
      return undefined;
    default:
      break;
  }
  if (status === undefined) return undefined;
  // The sandbox's 500 "Invalid client identifier" comes from checking the client, before any token is read.
  if (
    e.code === 'ERR_APIGEE_FAULT' &&
    (status < 500 || e.details.errorcode === 'oauth.v2.InvalidClientIdentifier')
  )
    return undefined;
  if (status >= 500)
    return `the server answered HTTP ${status}${e.code === 'ERR_OAUTH' ? '' : ' without an OAuth error'}, after it may have processed the refresh`;
  if (status >= 200 && status < 300) {
    if (e.code === 'ERR_HTTP_RESPONSE_TOO_LARGE')
      return `HTTP ${status} with a body over the ${String(e.details.limit ?? 'size')}-byte limit`;
    if (e.code === 'ERR_HTTP_NOT_JSON')
      return `HTTP ${status} with ${e.details.html === true ? 'an HTML page' : 'a body that is not JSON'}`;
    if (e.code === 'ERR_TOKEN_RESPONSE_INVALID')
      return `HTTP ${status} with a token response that cannot be used (${e.message})`;
  }
  return undefined;
}

/** The error a caller sees when a single-use refresh may or may not have been processed. */
export function refreshOutcomeUnknown(
  e: AuthExplorerError,
  reason: string,
  providerName: string,
  attempts: number,
): AuthExplorerError {
  return new AuthExplorerError(
    'ERR_REFRESH_OUTCOME_UNKNOWN',
    `The refresh request may have reached ${providerName} but its answer could not be used: ${reason} (${e.code}). Refresh tokens there are single-use, ` +
      'so the old refresh token is probably burnt and was not retried: sign in again to start a new session.',
    { ...e.details, networkCode: e.code, causeCode: e.code, reason, attempts },
    { cause: e },
  );
}

/** A 2xx refresh answer from a single-use provider must carry the next refresh token. */
export function refreshTokenNotRotated(providerName: string, profileId?: string): AuthExplorerError {
  return new AuthExplorerError(
    'ERR_REFRESH_NOT_ROTATED',
    `${providerName} answered the refresh without a new refresh_token. Its refresh tokens are single-use, so the old one is burnt: ` +
      'the new access token was kept until it expires; sign in again to continue the session after that.',
    profileId ? { profileId } : {},
  );
}
