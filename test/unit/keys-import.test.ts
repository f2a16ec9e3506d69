import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import { importPkcs12, importPrivateKeyPem } from '../../src/core/keys/importKey.ts';

let pair: KeyPairPem;

function p12(privateKeyPem: string, passphrase: string, algorithm: 'aes256' | '3des'): Uint8Array {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, null as unknown as forge.pki.Certificate[], passphrase, {
    algorithm,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'latin1');
}

function sameKey(a: KeyPairPem, b: KeyPairPem): boolean {
  return (
    createPrivateKey(a.privateKeyPem).equals(createPrivateKey(b.privateKeyPem)) &&
    createPublicKey(a.publicKeyPem).equals(createPublicKey(b.publicKeyPem))
  );
}

describe('importPrivateKeyPem', () => {
  before(async () => {
    pair = await generateKeyPair();
  });

  test('accepts PKCS#8 and PKCS#1 and normalises to PKCS#8 + SPKI', () => {
    const fromPkcs8 = importPrivateKeyPem(pair.privateKeyPem);
    assert.ok(sameKey(fromPkcs8, pair));
    assert.match(fromPkcs8.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    const pkcs1 = createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    const fromPkcs1 = importPrivateKeyPem(pkcs1.replace(/\n/g, '\r\n'));
    assert.ok(sameKey(fromPkcs1, pair));
    assert.match(fromPkcs1.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  test('a public key is ERR_KEY_TYPE with a hint', () => {
    assert.throws(
      () => importPrivateKeyPem(pair.publicKeyPem),
      (e: Error & { code?: string }) => e.code === 'ERR_KEY_TYPE' && /PUBLIC KEY/.test(e.message),
    );
  });

  test('non-RSA keys are ERR_KEY_TYPE', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    assert.throws(
      () => importPrivateKeyPem(ec),
      (e: Error & { code?: string }) => e.code === 'ERR_KEY_TYPE' && /ec key/.test(e.message),
    );
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => importPrivateKeyPem(ed), { code: 'ERR_KEY_TYPE' });
  });

  test('a 2048-bit key is ERR_KEY_SIZE naming the size', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    assert.throws(
      () => importPrivateKeyPem(small),
      (e: Error & { code?: string }) => e.code === 'ERR_KEY_SIZE' && /2048 bits/.test(e.message),
    );
  });

  test('garbage, truncated and encrypted PEM are ERR_PEM_INVALID', () => {
    assert.throws(() => importPrivateKeyPem(''), { code: 'ERR_PEM_INVALID' });
    assert.throws(() => importPrivateKeyPem('{"kty":"RSA"}'), { code: 'ERR_PEM_INVALID' });
    assert.throws(
      () => importPrivateKeyPem(pair.privateKeyPem.slice(0, 400) + '\n-----END PRIVATE KEY-----\n'),
      { code: 'ERR_PEM_INVALID' },
    );
    const encrypted = createPrivateKey(pair.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    assert.throws(
      () => importPrivateKeyPem(encrypted),
      (e: Error & { code?: string }) => e.code === 'ERR_PEM_INVALID' && /encrypted/.test(e.message),
    );
  });
});

describe('importPkcs12', () => {
  test('reads AES-256 and 3DES bundles with the right passphrase', () => {
    assert.ok(
      sameKey(importPkcs12(p12(pair.privateKeyPem, 'correct horse', 'aes256'), 'correct horse'), pair),
    );
    assert.ok(sameKey(importPkcs12(p12(pair.privateKeyPem, 'pw', '3des'), 'pw'), pair));
  });

  test('a wrong passphrase is ERR_PKCS12_PASSPHRASE', () => {
    assert.throws(() => importPkcs12(p12(pair.privateKeyPem, 'right', 'aes256'), 'wrong'), {
      code: 'ERR_PKCS12_PASSPHRASE',
    });
  });

  test('non-PKCS#12 data is ERR_PKCS12_INVALID', () => {
    assert.throws(() => importPkcs12(new Uint8Array([1, 2, 3, 4]), 'x'), { code: 'ERR_PKCS12_INVALID' });
    assert.throws(() => importPkcs12(Buffer.from(pair.privateKeyPem), 'x'), { code: 'ERR_PKCS12_INVALID' });
    assert.throws(() => importPkcs12(new Uint8Array(0), 'x'), { code: 'ERR_PKCS12_INVALID' });
  });

  test('a small key inside a bundle is ERR_KEY_SIZE', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    assert.throws(
      () => importPkcs12(p12(small, 'pw', 'aes256'), 'pw'),
      (e: Error & { code?: string }) => e.code === 'ERR_KEY_SIZE' && /2048/.test(e.message),
    );
  });
});
