import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import { signClientAssertion } from '../../src/core/assertion/signClientAssertion.ts';
import { lintAssertion } from '../../src/core/assertion/lintAssertion.ts';
import { buildJwks } from '../../src/core/keys/jwks.ts';
import { cachedSigningKeys, forgetSigningKeys } from '../../src/core/keys/signingKeyCache.ts';

const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2-mock/token';
const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';
let pair: KeyPairPem;

describe('signClientAssertion', () => {
  before(async () => {
    pair = await generateKeyPair();
  });

  test('header and claims are exactly what the platform expects, and it verifies', async () => {
    const now = 1_700_000_000_123;
    const jwt = await signClientAssertion({
      privateKeyPem: pair.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: TOKEN_URL,
      now,
    });
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    const claims = decodeJwt(jwt);
    assert.equal(claims.iss, API_KEY);
    assert.equal(claims.sub, API_KEY);
    assert.equal(claims.aud, TOKEN_URL);
    assert.equal(claims.exp, 1_700_000_300);
    assert.ok(Number.isInteger(claims.exp));
    assert.match(String(claims.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { payload } = await jwtVerify(jwt, createPublicKey(pair.publicKeyPem), {
      algorithms: ['RS512'],
      audience: TOKEN_URL,
      issuer: API_KEY,
      currentDate: new Date(now),
    });
    assert.equal(payload.sub, API_KEY);
  });

  test('a fresh assertion passes the linter with no findings at all', async () => {
    const jwt = await signClientAssertion({
      privateKeyPem: pair.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: TOKEN_URL,
    });
    const jwks = await buildJwks([{ kid: 'test-1', publicKeyPem: pair.publicKeyPem }]);
    assert.deepEqual(await lintAssertion(jwt, { tokenUrl: TOKEN_URL, apiKey: API_KEY, jwks }), []);
  });

  test('jti is random per call unless given; lifetime is honoured', async () => {
    const base = {
      privateKeyPem: pair.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: TOKEN_URL,
      now: 1_000_000,
    };
    const a = decodeJwt(await signClientAssertion(base));
    const b = decodeJwt(await signClientAssertion(base));
    assert.notEqual(a.jti, b.jti);
    const c = decodeJwt(await signClientAssertion({ ...base, jti: 'fixed', lifetimeSeconds: 60 }));
    assert.equal(c.jti, 'fixed');
    assert.equal(c.exp, 1000 + 60);
  });

  test("aud keeps the caller's exact spelling (no added slash)", async () => {
    const url = 'http://127.0.0.1:4010';
    const jwt = await signClientAssertion({
      privateKeyPem: pair.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: url,
    });
    assert.equal(decodeJwt(jwt).aud, url);
  });

  test('bad input is rejected with stable codes', async () => {
    const base = { privateKeyPem: pair.privateKeyPem, kid: 'test-1', apiKey: API_KEY, tokenUrl: TOKEN_URL };
    await assert.rejects(signClientAssertion({ ...base, lifetimeSeconds: 301 }), { code: 'ERR_ARGUMENT' });
    await assert.rejects(signClientAssertion({ ...base, lifetimeSeconds: 0 }), { code: 'ERR_ARGUMENT' });
    await assert.rejects(signClientAssertion({ ...base, lifetimeSeconds: 1.5 }), { code: 'ERR_ARGUMENT' });
    await assert.rejects(signClientAssertion({ ...base, kid: '' }), { code: 'ERR_ARGUMENT' });
    await assert.rejects(signClientAssertion({ ...base, apiKey: '' }), { code: 'ERR_ARGUMENT' });
    await assert.rejects(signClientAssertion({ ...base, tokenUrl: 'int.api.service.nhs.uk/oauth2/token' }), {
      code: 'ERR_URL_INVALID',
    });
    await assert.rejects(signClientAssertion({ ...base, privateKeyPem: 'nope' }), {
      code: 'ERR_PEM_INVALID',
    });
    await assert.rejects(signClientAssertion({ ...base, privateKeyPem: pair.publicKeyPem }), {
      code: 'ERR_KEY_TYPE',
    });
  });

  test("the bytes are exactly what jose's SignJWT produces for the same claims and key", async () => {
    const now = 1_700_000_000_000;
    const ours = await signClientAssertion({
      privateKeyPem: pair.privateKeyPem,
      kid: 'test-1',
      apiKey: API_KEY,
      tokenUrl: TOKEN_URL,
      now,
      jti: 'j-1',
      lifetimeSeconds: 120,
    });
    const viaJose = await new SignJWT({ jti: 'j-1' })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'test-1' })
      .setIssuer(API_KEY)
      .setSubject(API_KEY)
      .setAudience(TOKEN_URL)
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_000_120)
      .sign(createPrivateKey(pair.privateKeyPem));
    // RSASSA-PKCS1-v1_5 is deterministic, so the signatures match too.
    assert.equal(ours, viaJose);
  });

  test('a parsed key object signs the same as its PEM; a public or non-RSA key object is refused', async () => {
    const fixed = { kid: 'test-1', apiKey: API_KEY, tokenUrl: TOKEN_URL, now: 1_700_000_000_000, jti: 'j-2' };
    const viaPem = await signClientAssertion({ ...fixed, privateKeyPem: pair.privateKeyPem });
    const viaKey = await signClientAssertion({ ...fixed, privateKey: createPrivateKey(pair.privateKeyPem) });
    assert.equal(viaKey, viaPem);
    await assert.rejects(signClientAssertion({ ...fixed, privateKey: createPublicKey(pair.publicKeyPem) }), {
      code: 'ERR_KEY_TYPE',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await assert.rejects(signClientAssertion({ ...fixed, privateKey: ec.privateKey }), {
      code: 'ERR_KEY_TYPE',
    });
    await assert.rejects(
      signClientAssertion({
        ...fixed,
        privateKeyPem: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      }),
      { code: 'ERR_KEY_TYPE' },
    );
  });

  test('parsed keys are cached per PEM, bounded, and a bad PEM is never cached', async () => {
    forgetSigningKeys();
    const base = { kid: 'test-1', apiKey: API_KEY, tokenUrl: TOKEN_URL };
    await signClientAssertion({ ...base, privateKeyPem: pair.privateKeyPem });
    await signClientAssertion({ ...base, privateKeyPem: pair.privateKeyPem });
    assert.equal(cachedSigningKeys(), 1);
    await assert.rejects(signClientAssertion({ ...base, privateKeyPem: 'nope' }), {
      code: 'ERR_PEM_INVALID',
    });
    assert.equal(cachedSigningKeys(), 1);
    for (let i = 0; i < 20; i++) {
      const k = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      await signClientAssertion({ ...base, privateKeyPem: k });
    }
    assert.equal(cachedSigningKeys(), 16);
    forgetSigningKeys();
    assert.equal(cachedSigningKeys(), 0);
  });
});
