// Opaque access and refresh tokens (random strings, as Apigee issues), tracked in memory.
import { randomBytes } from 'node:crypto';
import type { IdpProvider } from './types.ts';
import { ExpiringMap } from './expiringMap.ts';

export type TokenKind = 'application' | 'user';

export interface AccessTokenEntry {
  apiKey: string;
  kind: TokenKind;
  scopes: string[];
  expiresAt: number;
  provider?: IdpProvider;
}

export interface RefreshTokenEntry {
  apiKey: string;
  provider: IdpProvider;
  scopes: string[];
  /** When this refresh token stops working. */
  expiresAt: number;
  /** first_issued + refresh_tokens_validity: the end of the whole refresh period. */
  periodEnd: number;
  refreshCount: number;
  accessTokenMs: number;
  refreshTokenMs: number;
}

// Expired tokens are swept as new ones are issued; past this many live ones the oldest are dropped.
const MAX_TOKENS = 100_000;
// An expired token is kept this long so it still gets the platform's "expired" error, not "invalid".
const EXPIRED_KEPT_MS = 60 * 60 * 1000;

export function newOpaqueToken(): string {
  // Apigee tokens are 28 alphanumeric characters; 24 random bytes base64url is as opaque.
  return randomBytes(24).toString('base64url');
}

export class TokenStore {
  readonly #access = new ExpiringMap<AccessTokenEntry>({ maxEntries: MAX_TOKENS });
  readonly #refresh = new ExpiringMap<RefreshTokenEntry>({ maxEntries: MAX_TOKENS });

  /** Access and refresh tokens held now (for the load benchmark). */
  get size(): number {
    return this.#access.size + this.#refresh.size;
  }

  issueAccess(entry: AccessTokenEntry): string {
    const token = newOpaqueToken();
    this.#access.set(token, entry, entry.expiresAt + EXPIRED_KEPT_MS);
    return token;
  }

  getAccess(token: string): AccessTokenEntry | undefined {
    return this.#access.get(token);
  }

  issueRefresh(entry: RefreshTokenEntry): string {
    const token = newOpaqueToken();
    this.#refresh.set(token, entry, Math.max(entry.expiresAt, entry.periodEnd) + EXPIRED_KEPT_MS);
    return token;
  }

  /** Removes and returns the refresh token: single use, no grace period. */
  takeRefresh(token: string): RefreshTokenEntry | undefined {
    return this.#refresh.take(token);
  }

  peekRefresh(token: string): RefreshTokenEntry | undefined {
    return this.#refresh.get(token);
  }
}
