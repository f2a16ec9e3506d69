// /authorize → IdP → /callback bookkeeping: the platform's own state values and its auth codes.
import { randomBytes } from 'node:crypto';
import type { IdpProvider } from './types.ts';
import type { MockUser } from './idp/mockUsers.ts';

const TTL_MS = 10 * 60 * 1000;

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
  expiresAt: number;
}

export class AuthorizeSessions {
  readonly #pending = new Map<string, PendingAuthorize>();
  readonly #codes = new Map<string, IssuedAuthCode>();

  start(p: Omit<PendingAuthorize, 'expiresAt'>): string {
    const state = randomBytes(18).toString('base64url');
    this.#pending.set(state, { ...p, expiresAt: Date.now() + TTL_MS });
    return state;
  }

  /** The platform's state is cached once and removed on use: a reused state is unknown. */
  finish(state: string): PendingAuthorize | undefined {
    const p = this.#pending.get(state);
    this.#pending.delete(state);
    return p && p.expiresAt >= Date.now() ? p : undefined;
  }

  issueCode(c: Omit<IssuedAuthCode, 'expiresAt'>): string {
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, { ...c, expiresAt: Date.now() + TTL_MS });
    return code;
  }

  takeCode(code: string): IssuedAuthCode | undefined {
    const c = this.#codes.get(code);
    this.#codes.delete(code);
    return c && c.expiresAt >= Date.now() ? c : undefined;
  }
}
