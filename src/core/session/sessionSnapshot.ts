// What a token session holds. Persisted (as JSON) only in VS Code SecretStorage, never in files or settings.
// All instants are absolute epoch milliseconds on the local clock, already corrected for server clock skew,
// so countdowns survive reloads.

import type { GrantKind } from '../token/grantKind.ts';

export type { GrantKind };

/** Which identity provider stands behind a user-restricted session, which decides the refresh period. */
export type IdentityProvider = 'nhs-login' | 'cis2' | 'none';

export interface SessionSnapshot {
  /** The profile this session belongs to. */
  profileId: string;
  /** The grant that started the chain (a refresh keeps the original grant here). */
  grant: GrantKind;
  identityProvider: IdentityProvider;
  tokenUrl: string;
  accessToken: string;
  tokenType: string;
  /** When the access token was issued (server `issued_at` when sent, else the response time). */
  issuedAt: number;
  accessTokenExpiresAt: number;
  refreshToken?: string;
  /** When the current refresh token stops being usable. */
  refreshTokenExpiresAt?: number;
  /** End of the whole refresh period (first issue + period); after it the user must sign in again. */
  refreshPeriodEndsAt?: number;
  /** The platform's refresh_count, a number here though the platform sends a string. */
  refreshCount?: number;
  idToken?: string;
  /** The last client assertion sent for this session, to show its own countdown. */
  lastClientAssertion?: string;
  /** Server clock minus local clock in ms, from the response's Date header (0 when unknown). */
  clockSkewMs: number;
  /** The raw response body keys the server sent, for the inspector. */
  responseKeys: string[];
  /** Set by the refresh manager; the session then shows "sign in again". */
  needsSignIn?: boolean;
  autoRefresh?: boolean;
}
