// Opaque access and refresh tokens (random strings, as Apigee issues), tracked in memory.
import { randomBytes } from 'node:crypto';
import type { IdpProvider } from './types.ts';
import { ExpiringMap } from './expiringMap.ts';

export type TokenKind = 'application' | 'user';

/** Who a user-restricted token was issued for, and how: combined auth (/authorize) or token exchange. */
export interface TokenUser {
  auth: 'combined' | 'exchange';
  username?: string;
  selectedRoleId?: string;
  /** The CIS2 session id a back-channel logout names. */
  sid?: string;
}

export interface AccessTokenEntry {
  apiKey: string;
  kind: TokenKind;
  scopes: string[];
  expiresAt: number;
  provider?: IdpProvider;
  user?: TokenUser;
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
  /** When the first token of this session was issued: the refresh validity counts from here. */
  firstIssuedAt: number;
  accessTokenMs: number;
  refreshTokenMs: number;
  user?: TokenUser;
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
  // CIS2 session id → the tokens issued under it, for /backchannel_logout.
  readonly #bySid = new ExpiringMap<{ tokens: Set<string>; until: number }>({ maxEntries: MAX_TOKENS });

  /** Access and refresh tokens held now (for the load benchmark). */
  get size(): number {
    return this.#access.size + this.#refresh.size;
  }

  issueAccess(entry: AccessTokenEntry): string {
    const token = newOpaqueToken();
    this.#access.set(token, entry, entry.expiresAt + EXPIRED_KEPT_MS);
    this.#index(entry.user?.sid, token, entry.expiresAt + EXPIRED_KEPT_MS);
    return token;
  }

  getAccess(token: string): AccessTokenEntry | undefined {
    return this.#access.get(token);
  }

  issueRefresh(entry: RefreshTokenEntry): string {
    const token = newOpaqueToken();
    const keepUntil = Math.max(entry.expiresAt, entry.periodEnd) + EXPIRED_KEPT_MS;
    this.#refresh.set(token, entry, keepUntil);
    this.#index(entry.user?.sid, token, keepUntil);
    return token;
  }

  /** Removes and returns the refresh token: single use, no grace period. */
  takeRefresh(token: string): RefreshTokenEntry | undefined {
    return this.#refresh.take(token);
  }

  peekRefresh(token: string): RefreshTokenEntry | undefined {
    return this.#refresh.get(token);
  }

  hasSession(sid: string): boolean {
    return this.#bySid.has(sid);
  }

  /** Revokes every access and refresh token issued under this CIS2 session; false when none is known. */
  revokeSession(sid: string): boolean {
    const session = this.#bySid.take(sid);
    if (!session) return false;
    for (const t of session.tokens) {
      this.#access.delete(t);
      this.#refresh.delete(t);
    }
    return true;
  }

  #index(sid: string | undefined, token: string, keepUntil: number): void {
    if (!sid) return;
    const session = this.#bySid.get(sid) ?? { tokens: new Set<string>(), until: 0 };
    session.tokens.add(token);
    session.until = Math.max(session.until, keepUntil);
    this.#bySid.set(sid, session, session.until);
  }
}
