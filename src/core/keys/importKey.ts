// Importing existing private keys: PEM (PKCS#1 or PKCS#8) and PKCS#12/PFX bundles.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AuthExplorerError } from '../errors.ts';
import type { KeyPairPem } from './generateKeyPair.ts';
import { MIN_MODULUS_LENGTH } from './generateKeyPair.ts';

/** Checks type and size, then normalises to PKCS#8 + SPKI PEM. */
function toKeyPair(key: KeyObject): KeyPairPem {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      `The platform needs an RSA key (RS512); this is a${key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${key.asymmetricKeyType ?? 'unknown'} key.`,
      { type: key.asymmetricKeyType },
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_LENGTH) {
    throw new AuthExplorerError(
      'ERR_KEY_SIZE',
      `The platform requires a ${MIN_MODULUS_LENGTH}-bit RSA key; this key is ${bits} bits. Generate a new one (nhs-auth keys generate).`,
      { bits },
    );
  }
  return {
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Accepts an RSA private key as PKCS#1 ("BEGIN RSA PRIVATE KEY") or PKCS#8 ("BEGIN PRIVATE KEY") PEM. */
export function importPrivateKeyPem(pem: string): KeyPairPem {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1] ?? '');
  if (labels.length === 0) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      'No PEM block found: expected "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----".',
    );
  }
  if (labels.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      'The private key is encrypted. Decrypt it first: openssl pkey -in key.pem -out key-plain.pem',
    );
  }
  if (!labels.some((l) => l.endsWith('PRIVATE KEY'))) {
    const found = labels.join(', ');
    throw new AuthExplorerError(
      'ERR_KEY_TYPE',
      `Expected a private key but found ${found}. The private key is the file openssl genrsa wrote (KID.pem), not KID.pem.pub.`,
      { labels },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_PEM_INVALID',
      `The PEM private key could not be read: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  return toKeyPair(key);
}

function bytesToBinaryString(data: Uint8Array): string {
  // node-forge works on "binary strings" (one char per byte).
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/** Extracts the (single) private key from a PKCS#12/PFX bundle. */
export function importPkcs12(data: Uint8Array, passphrase: string): KeyPairPem {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(bytesToBinaryString(data));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (/password|MAC could not be verified|decrypt/i.test(message)) {
      throw new AuthExplorerError(
        'ERR_PKCS12_PASSPHRASE',
        'The PKCS#12 passphrase is wrong.',
        {},
        { cause: e },
      );
    }
    throw new AuthExplorerError(
      'ERR_PKCS12_INVALID',
      `Not a readable PKCS#12/PFX file: ${message}`,
      {},
      { cause: e },
    );
  }
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ??
      []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  if (bags.length === 0) {
    throw new AuthExplorerError(
      'ERR_PKCS12_INVALID',
      'The PKCS#12 file holds no private key (only certificates?).',
    );
  }
  if (bags.length > 1) {
    throw new AuthExplorerError(
      'ERR_PKCS12_INVALID',
      `The PKCS#12 file holds ${bags.length} private keys; export the one you want on its own.`,
      { count: bags.length },
    );
  }
  const bag = bags[0]!;
  // forge decodes RSA keys itself; for other types it keeps the PrivateKeyInfo, which Node can name.
  const privateKeyInfo = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
    : (bag as unknown as { asn1?: forge.asn1.Asn1 }).asn1;
  if (!privateKeyInfo) throw new AuthExplorerError('ERR_PKCS12_INVALID', 'The PKCS#12 key bag is empty.');
  let key: KeyObject;
  try {
    const der = Buffer.from(forge.asn1.toDer(privateKeyInfo).getBytes(), 'latin1');
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_PKCS12_INVALID',
      `The key inside the PKCS#12 file could not be read: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  return toKeyPair(key);
}
