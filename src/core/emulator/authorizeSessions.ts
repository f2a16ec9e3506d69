// /authorize → IdP → /callback bookkeeping: the platform's own state values and its auth codes.
import { randomBytes } from 'node:crypto';
import type { IdpProvider } from './types.ts';
import type { MockUser } from './idp/mockUsers.ts';
import { ExpiringMap } from './expiringMap.ts';

const TTL_MS = 10 * 60 * 1000;
// Abandoned sign-ins expire after TTL_MS; past this many at once the oldest are dropped.
const MAX_PENDING = 10_000;

export interface PendingAuthorize {
  apiKey: string;
  redirectUri: string;
  clientState: string;
  provider: IdpProvider;
  expiresAt: number;
}

export interface IssuedAuthCode {
  apiKey: string;
  redirectUri: string;
  provider: IdpProvider;
  user: MockUser;
  /** The app's product scopes for this user's level, filtered at /callback. */
  scopes: string[];
  /** CIS2 session id, named by a later back-channel logout. */
  sid?: string;
  expiresAt: number;
}

export class AuthorizeSessions {
  readonly #pending = new ExpiringMap<PendingAuthorize>({ maxEntries: MAX_PENDING });
  readonly #codes = new ExpiringMap<IssuedAuthCode>({ maxEntries: MAX_PENDING });

  /** Pending states and unredeemed codes held now (for the load benchmark). */
  get size(): number {
    return this.#pending.size + this.#codes.size;
  }

  start(p: Omit<PendingAuthorize, 'expiresAt'>): string {
    const state = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + TTL_MS;
    this.#pending.set(state, { ...p, expiresAt }, expiresAt);
    return state;
  }

  /** The platform's state is cached once and removed on use: a reused state is unknown. */
  finish(state: string): PendingAuthorize | undefined {
    return this.#pending.take(state);
  }

  issueCode(c: Omit<IssuedAuthCode, 'expiresAt'>): string {
    const code = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + TTL_MS;
    this.#codes.set(code, { ...c, expiresAt }, expiresAt);
    return code;
  }

  takeCode(code: string): IssuedAuthCode | undefined {
    return this.#codes.take(code);
  }
}
