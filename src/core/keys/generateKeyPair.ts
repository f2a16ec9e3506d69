// RSA key pairs for client assertions. The platform requires 4096-bit RSA keys (docs, step 3).
import { generateKeyPair as cryptoGenerateKeyPair } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';

export interface KeyPairPem {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM (what `openssl rsa -pubout` writes). */
  publicKeyPem: string;
}

export const MIN_MODULUS_LENGTH = 4096;

function cancelled(): AuthExplorerError {
  return new AuthExplorerError('ERR_CANCELLED', 'Key generation was cancelled.');
}

/**
 * Generates an RSA key pair on libuv's thread pool, so the caller's thread stays responsive.
 * OpenSSL cannot stop a running generation, so an abort settles the promise at once and
 * the finished key is discarded.
 */
export function generateKeyPair(
  options: { signal?: AbortSignal; modulusLength?: number } = {},
): Promise<KeyPairPem> {
  const modulusLength = options.modulusLength ?? MIN_MODULUS_LENGTH;
  if (!Number.isInteger(modulusLength) || modulusLength < MIN_MODULUS_LENGTH || modulusLength > 16384) {
    return Promise.reject(
      new AuthExplorerError(
        'ERR_KEY_SIZE',
        `The platform requires RSA keys of at least ${MIN_MODULUS_LENGTH} bits; ${String(modulusLength)} was asked for.`,
        { modulusLength },
      ),
    );
  }
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise<KeyPairPem>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    cryptoGenerateKeyPair(
      'rsa',
      {
        modulusLength,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        if (err)
          reject(
            new AuthExplorerError(
              'ERR_INTERNAL',
              `RSA key generation failed: ${err.message}`,
              {},
              { cause: err },
            ),
          );
        else resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}
