// Opaque access and refresh tokens (random strings, as Apigee issues), tracked in memory.
import { randomBytes } from 'node:crypto';
import type { IdpProvider } from './types.ts';

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

const PRUNE_AT = 50_000;

export function newOpaqueToken(): string {
  // Apigee tokens are 28 alphanumeric characters; 24 random bytes base64url is as opaque.
  return randomBytes(24).toString('base64url');
}

export class TokenStore {
  readonly #access = new Map<string, AccessTokenEntry>();
  readonly #refresh = new Map<string, RefreshTokenEntry>();

  issueAccess(entry: AccessTokenEntry): string {
    if (this.#access.size >= PRUNE_AT) prune(this.#access);
    const token = newOpaqueToken();
    this.#access.set(token, entry);
    return token;
  }

  getAccess(token: string): AccessTokenEntry | undefined {
    return this.#access.get(token);
  }

  issueRefresh(entry: RefreshTokenEntry): string {
    if (this.#refresh.size >= PRUNE_AT) prune(this.#refresh);
    const token = newOpaqueToken();
    this.#refresh.set(token, entry);
    return token;
  }

  /** Removes and returns the refresh token: single use, no grace period. */
  takeRefresh(token: string): RefreshTokenEntry | undefined {
    const entry = this.#refresh.get(token);
    if (entry) this.#refresh.delete(token);
    return entry;
  }

  peekRefresh(token: string): RefreshTokenEntry | undefined {
    return this.#refresh.get(token);
  }
}

function prune(map: Map<string, { expiresAt: number }>): void {
  const now = Date.now();
  for (const [k, v] of map) if (v.expiresAt < now) map.delete(k);
}
