import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify, sign } from 'node:crypto';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import { buildJwks, jwkThumbprint, parseJwks, publicJwk } from '../../src/core/keys/jwks.ts';

let pair: KeyPairPem;

describe('generateKeyPair and JWKS', () => {
  before(async () => {
    pair = await generateKeyPair();
  });

  test('generates a 4096-bit PKCS#8/SPKI pair whose halves match', () => {
    assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const pub = createPublicKey(pair.publicKeyPem);
    assert.equal(pub.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(pub.asymmetricKeyDetails?.publicExponent, 65537n);
    const sig = sign('sha512', Buffer.from('x'), pair.privateKeyPem);
    assert.ok(verify('sha512', Buffer.from('x'), pub, sig));
  });

  test('rejects small moduli and honours an aborted signal', async () => {
    await assert.rejects(generateKeyPair({ modulusLength: 2048 }), { code: 'ERR_KEY_SIZE' });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(generateKeyPair({ signal: ac.signal }), { code: 'ERR_CANCELLED' });
  });

  test('an abort during generation settles at once with ERR_CANCELLED', async () => {
    const ac = new AbortController();
    const p = generateKeyPair({ signal: ac.signal });
    ac.abort();
    await assert.rejects(p, { code: 'ERR_CANCELLED' });
  });

  test('publicJwk has the docs shape and only public members, from either half', async () => {
    const fromPub = await publicJwk(pair.publicKeyPem, 'test-1');
    const fromPriv = await publicJwk(pair.privateKeyPem, 'test-1');
    assert.deepEqual(fromPriv, fromPub);
    assert.deepEqual(Object.keys(fromPub).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(fromPub.kty, 'RSA');
    assert.equal(fromPub.e, 'AQAB');
    assert.equal(fromPub.alg, 'RS512');
    assert.equal(fromPub.use, 'sig');
    assert.equal(Buffer.from(fromPub.n, 'base64url').length, 512);
    // Round trip: the JWK is the same key as the PEM.
    const back = createPublicKey({ key: fromPub, format: 'jwk' });
    assert.ok(back.equals(createPublicKey(pair.publicKeyPem)));
  });

  test('publicJwk rejects garbage and non-RSA keys', async () => {
    await assert.rejects(publicJwk('hello', 'k'), { code: 'ERR_PEM_INVALID' });
    await assert.rejects(publicJwk('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'k'), {
      code: 'ERR_PEM_INVALID',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await assert.rejects(publicJwk(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'k'), {
      code: 'ERR_KEY_TYPE',
    });
  });

  test('buildJwks keeps order and refuses duplicate KIDs', async () => {
    const jwks = await buildJwks([
      { kid: 'test-1', publicKeyPem: pair.publicKeyPem },
      { kid: 'test-2', publicKeyPem: pair.publicKeyPem },
    ]);
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      ['test-1', 'test-2'],
    );
    await assert.rejects(
      buildJwks([
        { kid: 'a', publicKeyPem: pair.publicKeyPem },
        { kid: 'a', publicKeyPem: pair.publicKeyPem },
      ]),
      { code: 'ERR_KID_EXISTS' },
    );
  });

  test('jwkThumbprint is the RFC 7638 SHA-256 thumbprint', async () => {
    const jwk = await publicJwk(pair.publicKeyPem, 'test-1');
    const t = await jwkThumbprint(jwk);
    const expected = createHash('sha256')
      .update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`)
      .digest('base64url');
    assert.equal(t, expected);
    // KID and use are not part of the thumbprint.
    assert.equal(await jwkThumbprint({ ...jwk, kid: 'other' }), t);
  });

  test('RFC 7638 example vector', async () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    const t = await jwkThumbprint({ kty: 'RSA', n, e: 'AQAB', kid: '2011-04-29', use: 'sig', alg: 'RS512' });
    assert.equal(t, 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  test('parseJwks accepts a real JWKS and explains bad ones', async () => {
    const good = JSON.stringify(await buildJwks([{ kid: 'test-1', publicKeyPem: pair.publicKeyPem }]));
    assert.equal(parseJwks(good).keys.length, 1);
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['<html><body>502</body></html>', /HTML/],
      ['[]', /top level/],
      ['{"kty":"RSA","n":"AQAB","e":"AQAB"}', /single JWK/],
      ['{"foo":1}', /no "keys"/],
      ['{"keys":{}}', /must be an array/],
      ['{"keys":[1]}', /keys\[0\] is not a JSON object/],
      ['{"keys":[{"n":"x"}]}', /no "kty"/],
      ['{"keys":[{"kty":"RSA","n":"a+b/","e":"AQAB"}]}', /base64url/],
      ['{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","d":"secret"}]}', /private key material \(d\)/],
      ['{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","kid":5}]}', /kid must be a string/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => parseJwks(text),
        (e: Error & { code?: string }) => e.code === 'ERR_JWKS_INVALID' && reason.test(e.message),
        text,
      );
    }
  });
});
