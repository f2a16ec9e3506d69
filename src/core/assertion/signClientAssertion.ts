// Signs the private_key_jwt client assertion the platform's token endpoint expects (docs, step 6).
import { createPrivateKey, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AuthExplorerError } from '../errors.ts';
import { parseHttpUrl } from '../environments.ts';

export interface ClientAssertionInput {
  privateKeyPem: string;
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

export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 300;
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

function argument(message: string): AuthExplorerError {
  return new AuthExplorerError('ERR_ARGUMENT', message);
}

function signingKey(pem: string): KeyObject {
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem)) {
    throw new AuthExplorerError('ERR_KEY_TYPE', 'This is a public key; signing needs the private key (KID.pem, not KID.pem.pub).');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new AuthExplorerError('ERR_PEM_INVALID', `The private key could not be read: ${(e as Error).message}`, {}, { cause: e });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthExplorerError('ERR_KEY_TYPE', `RS512 needs an RSA private key; this is ${key.asymmetricKeyType ?? 'unknown'}.`);
  }
  return key;
}

export async function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  const lifetime = input.lifetimeSeconds ?? DEFAULT_ASSERTION_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw argument(`The assertion lifetime must be a whole number of seconds from 1 to ${MAX_ASSERTION_LIFETIME_SECONDS}; got ${String(lifetime)}. The platform rejects exp more than 5 minutes ahead.`);
  }
  if (!input.kid) throw argument('A KID is required: the platform rejects assertions without a kid header.');
  if (!input.apiKey || /\s/.test(input.apiKey)) throw argument('The API key (iss/sub) is empty or contains whitespace.');
  if (input.jti !== undefined && input.jti.length === 0) throw argument('The jti must not be empty.');
  // aud is compared byte for byte with the token URL, so keep the caller's spelling (URL.href may add a '/').
  parseHttpUrl(input.tokenUrl, 'token URL');
  const aud = input.tokenUrl.trim();
  const now = input.now ?? Date.now();
  if (!Number.isFinite(now)) throw argument('now must be a finite epoch-milliseconds value.');
  const nowSeconds = Math.floor(now / 1000);
  return new SignJWT({ jti: input.jti ?? randomUUID() })
    // jose adds no typ by default, and the platform rejects a missing typ.
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: input.kid })
    .setIssuer(input.apiKey)
    .setSubject(input.apiKey)
    .setAudience(aud)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + lifetime)
    .sign(signingKey(input.privateKeyPem));
}
