// Signs the private_key_jwt client assertion the platform's token endpoint expects (docs, step 6).
// The JWS is one synchronous crypto.sign over the encoded header and claims (what jose's SignJWT does,
// without its async key handling), with the key parsed once per PEM (keys/signingKeyCache.ts).
import { randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64url } from 'jose';
import { AuthExplorerError } from '../errors.ts';
import { parseHttpUrl } from '../environments.ts';
import { rsaSigningKey, signingKeyOf } from '../keys/signingKeyCache.ts';

interface ClientAssertionClaims {
  kid: string;
  apiKey: string;
  /** The exact token URL; it becomes `aud`. */
  tokenUrl: string;
  /** Seconds until exp; default and maximum 300 (the platform allows now+310 s, the rest absorbs clock skew). */
  lifetimeSeconds?: number;
  /** Epoch milliseconds; defaults to Date.now(). */
  now?: number;
  jti?: string;
}

/** The signing key as a PEM (parsed once, then cached by its hash) or as a parsed key object. */
export type ClientAssertionInput = ClientAssertionClaims &
  ({ privateKeyPem: string; privateKey?: never } | { privateKey: KeyObject; privateKeyPem?: never });

export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 300;
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

function argument(message: string): AuthExplorerError {
  return new AuthExplorerError('ERR_ARGUMENT', message);
}

export async function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  const lifetime = input.lifetimeSeconds ?? DEFAULT_ASSERTION_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw argument(
      `The assertion lifetime must be a whole number of seconds from 1 to ${MAX_ASSERTION_LIFETIME_SECONDS}; got ${String(lifetime)}. The platform rejects exp more than 5 minutes ahead.`,
    );
  }
  if (!input.kid) throw argument('A KID is required: the platform rejects assertions without a kid header.');
  if (!input.apiKey || /\s/.test(input.apiKey))
    throw argument('The API key (iss/sub) is empty or contains whitespace.');
  if (input.jti !== undefined && input.jti.length === 0) throw argument('The jti must not be empty.');
  // aud is compared byte for byte with the token URL, so keep the caller's spelling (URL.href may add a '/').
  parseHttpUrl(input.tokenUrl, 'token URL');
  const aud = input.tokenUrl.trim();
  const now = input.now ?? Date.now();
  if (!Number.isFinite(now)) throw argument('now must be a finite epoch-milliseconds value.');
  const nowSeconds = Math.floor(now / 1000);
  const key = input.privateKey ? rsaSigningKey(input.privateKey) : signingKeyOf(input.privateKeyPem);
  // Key order as jose's SignJWT writes them, so the bytes are what they always were.
  const header = { alg: 'RS512', typ: 'JWT', kid: input.kid };
  const claims = {
    jti: input.jti ?? randomUUID(),
    iss: input.apiKey,
    sub: input.apiKey,
    aud,
    iat: nowSeconds,
    exp: nowSeconds + lifetime,
  };
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url.encode(sign('sha512', Buffer.from(signingInput), key))}`;
}
