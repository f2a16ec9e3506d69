// Parsed private keys, so signing does not parse the PEM again on every call (parsing a 4096-bit PEM
// costs about half of an RS512 signature). Keyed by the PEM's SHA-256, never by the PEM itself; a few
// entries, least recently used dropped first. A PEM that does not parse is never cached.
import { createHash, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';

const MAX_KEYS = 16;
const keys = new Map<string, KeyObject>();

function parseSigningKey(pem: string): KeyObject {
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem)) {
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      'This is a public key; signing needs the private key (KID.pem, not KID.pem.pub).',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      `The private key could not be read: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  return rsaSigningKey(key);
}

/** The key itself when it is an RSA private key; ERR_KEY_TYPE otherwise. */
export function rsaSigningKey(key: KeyObject): KeyObject {
  if (key.type !== 'private') {
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      'This is a public key; signing needs the private key (KID.pem, not KID.pem.pub).',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      `RS512 needs an RSA private key; this is ${key.asymmetricKeyType ?? 'unknown'}.`,
    );
  }
  return key;
}

/** The parsed RSA private key of this PEM, from the cache when it was parsed before. */
export function signingKeyOf(pem: string): KeyObject {
  const digest = createHash('sha256').update(pem).digest('base64');
  const hit = keys.get(digest);
  if (hit) {
    // Re-insert: Map order is the recency order.
    keys.delete(digest);
    keys.set(digest, hit);
    return hit;
  }
  const key = parseSigningKey(pem);
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
  keys.set(digest, key);
  return key;
}

/** Drops every cached key (a key deleted from the secret store need not stay parsed in memory). */
export function forgetSigningKeys(): void {
  keys.clear();
}

/** How many keys are cached (for tests). */
export function cachedSigningKeys(): number {
  return keys.size;
}
