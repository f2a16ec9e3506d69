// Public JWKs and JWKS documents in the shape the platform's docs and mkjwk.org produce.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { AuthExplorerError } from '../errors.ts';

// A type alias (not an interface) so it is assignable to node:crypto JsonWebKey and jose JWK.
export type PublicJwk = {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  use: 'sig';
  alg: 'RS512';
};

export interface Jwks {
  keys: PublicJwk[];
}

function publicKeyObject(pem: string): KeyObject {
  if (!/-----BEGIN [A-Z0-9 ]*KEY-----/.test(pem)) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      'No PEM key found: expected a "-----BEGIN ... KEY-----" block.',
    );
  }
  let key: KeyObject;
  try {
    // createPublicKey derives the public half when given a private key.
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      `The PEM key could not be read: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      `The platform needs an RSA key; this is ${key.asymmetricKeyType ?? 'unknown'}.`,
      { type: key.asymmetricKeyType },
    );
  }
  return key;
}

/** The public JWK for a PEM key (public or private; only public parts are exported). */
export async function publicJwk(publicOrPrivateKeyPem: string, kid: string): Promise<PublicJwk> {
  const jwk = await exportJWK(publicKeyObject(publicOrPrivateKeyPem));
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new AuthExplorerError('ERR_INTERNAL', 'The exported JWK has no modulus or exponent.');
  }
  // Member order follows the docs' JWKS recipe so files diff cleanly against hand-made ones.
  return { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS512', kid, use: 'sig' };
}

export async function buildJwks(keys: { kid: string; publicKeyPem: string }[]): Promise<Jwks> {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.kid))
      throw new AuthExplorerError(
        'ERR_KID_EXISTS',
        `The KID '${k.kid}' appears twice; every key in a JWKS needs its own KID.`,
        { kid: k.kid },
      );
    seen.add(k.kid);
  }
  return { keys: await Promise.all(keys.map((k) => publicJwk(k.publicKeyPem, k.kid))) };
}

function invalid(reason: string, details: Record<string, unknown> = {}, cause?: unknown): AuthExplorerError {
  return new AuthExplorerError(
    'ERR_JWKS_INVALID',
    `Not a usable JWKS: ${reason}`,
    details,
    cause === undefined ? undefined : { cause },
  );
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Parses and checks a JWKS document; throws ERR_JWKS_INVALID saying exactly what is wrong. */
export function parseJwks(text: string): { keys: Record<string, unknown>[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const start = text.trimStart().slice(0, 1);
    const hint =
      start === '<'
        ? ' (it looks like HTML, e.g. an error page)'
        : start === '-'
          ? ' (it looks like a PEM key; convert it with `nhs-auth keys jwks`)'
          : '';
    throw invalid(`the text is not JSON${hint}.`, {}, e);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw invalid('the top level must be a JSON object with a "keys" array.');
  const obj = doc as Record<string, unknown>;
  if (!('keys' in obj)) {
    if ('kty' in obj) throw invalid('this is a single JWK; wrap it as {"keys": [ ... ]}.');
    throw invalid('there is no "keys" member.');
  }
  if (!Array.isArray(obj.keys)) throw invalid('"keys" must be an array.');
  const keys = obj.keys as unknown[];
  keys.forEach((k, i) => {
    if (typeof k !== 'object' || k === null || Array.isArray(k))
      throw invalid(`keys[${i}] is not a JSON object.`, { index: i });
    const key = k as Record<string, unknown>;
    if (typeof key.kty !== 'string') throw invalid(`keys[${i}] has no "kty".`, { index: i });
    const leaked = PRIVATE_MEMBERS.filter((m) => m in key);
    if (leaked.length > 0) {
      throw invalid(
        `keys[${i}] contains private key material (${leaked.join(', ')}). Never publish it; generate a new key pair and publish only n and e.`,
        { index: i },
      );
    }
    if (key.kty === 'RSA') {
      for (const m of ['n', 'e'] as const) {
        if (typeof key[m] !== 'string' || !BASE64URL.test(key[m]))
          throw invalid(
            `keys[${i}].${m} must be a base64url string (no padding, '-' and '_' instead of '+' and '/').`,
            { index: i },
          );
      }
    }
    if ('kid' in key && typeof key.kid !== 'string')
      throw invalid(`keys[${i}].kid must be a string.`, { index: i });
  });
  return { keys: keys as Record<string, unknown>[] };
}

/** RFC 7638 SHA-256 thumbprint (base64url), the usual short fingerprint of a JWK. */
export async function jwkThumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'sha256');
}
