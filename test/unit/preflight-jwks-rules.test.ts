// The JWKS checks that need no network: the URL as the platform parses it, and the published keys.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { jwksUrlRules } from '../../src/core/preflight/jwksUrlRules.ts';
import { jwksKeyRules, modulusBits } from '../../src/core/preflight/jwksKeyRules.ts';
import { checkJwksUrl } from '../../src/core/preflight/checkJwksUrl.ts';
import { CLIENT_ASSERTION_ERRORS } from '../../src/core/assertion/platformErrors.ts';

type Jwk = Record<string, unknown> & { n: string; e: string };
function rsaJwk(bits: number, kid: string): Jwk {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...(publicKey.export({ format: 'jwk' }) as Jwk), kid, use: 'sig', alg: 'RS512' };
}

describe('JWKS URL rules', () => {
  test('a public https URL with a path passes; loopback http is allowed with a note', () => {
    assert.deepEqual(jwksUrlRules('https://keys.example.org/jwks.json').findings, []);
    assert.deepEqual(
      jwksUrlRules('http://127.0.0.1:8080/jwks.json').findings.map((f) => [f.rule, f.severity]),
      [['jwks-url-loopback', 'info']],
    );
  });

  test('no path after the host: the platform cannot call it (its e2e suite asserts the 403)', () => {
    for (const url of ['https://keys.example.org', 'https://keys.example.org?x=1']) {
      const f = jwksUrlRules(url).findings;
      assert.deepEqual(
        f.map((x) => x.rule),
        ['jwks-url-no-path'],
        url,
      );
      assert.equal(f[0]!.platformError, CLIENT_ASSERTION_ERRORS.jwksUnreachable);
      assert.equal(f[0]!.inferred, undefined);
    }
    assert.deepEqual(jwksUrlRules('https://keys.example.org/').findings, []);
  });

  test('plain http to a public host, and text that is not a URL', () => {
    assert.deepEqual(
      jwksUrlRules('http://keys.example.org/jwks.json').findings.map((f) => f.rule),
      ['jwks-url-not-https'],
    );
    assert.deepEqual(
      jwksUrlRules('keys.example.org/jwks.json').findings.map((f) => f.rule),
      ['jwks-url-invalid'],
    );
  });

  test('checkJwksUrl stops before fetching when the platform would not fetch', async () => {
    const report = await checkJwksUrl('https://keys.example.invalid');
    assert.deepEqual(
      report.findings.map((f) => f.rule),
      ['jwks-url-no-path', 'jwks-cache'],
    );
    assert.equal(report.response, undefined);
  });
});

describe('JWKS key rules', () => {
  let good: Jwk;
  let other: Jwk;
  let small: Jwk;
  before(() => {
    good = rsaJwk(4096, 'test-1');
    other = rsaJwk(4096, 'test-1');
    small = rsaJwk(2048, 'test-2');
  });

  test('modulusBits counts the modulus, not its padding', () => {
    assert.equal(modulusBits(good.n), 4096);
    assert.equal(modulusBits(small.n), 2048);
  });

  test('the published KID with your modulus: no findings', async () => {
    assert.deepEqual(
      await jwksKeyRules([good], { kid: 'test-1', localKeys: [{ kid: 'test-1', n: good.n, e: good.e }] }),
      [],
    );
  });

  test('KID missing names what is published, and where your key is', async () => {
    const f = await jwksKeyRules([{ ...good, kid: 'test-9' }], {
      kid: 'test-1',
      localKeys: [{ kid: 'test-1', n: good.n, e: good.e }],
    });
    assert.deepEqual(
      f.map((x) => x.rule),
      ['jwks-kid-missing'],
    );
    assert.equal(f[0]!.platformError, CLIENT_ASSERTION_ERRORS.kidUnknown);
    assert.match(f[0]!.message, /it has test-9\. Your key is published, but under kid 'test-9'/);
    assert.match(f[0]!.fix, /an hour/);
  });

  test('same KID, different modulus: the signature would fail', async () => {
    const f = await jwksKeyRules([other], {
      kid: 'test-1',
      localKeys: [{ kid: 'test-1', n: good.n, e: good.e }],
    });
    assert.deepEqual(
      f.map((x) => x.rule),
      ['jwks-modulus-mismatch'],
    );
    assert.equal(f[0]!.platformError, CLIENT_ASSERTION_ERRORS.signature);
  });

  test('use not sig, alg not RS512, not 4096 bits, not RSA, duplicate KID', async () => {
    assert.deepEqual(
      (await jwksKeyRules([{ ...small, use: 'enc', alg: 'RS256' }], { kid: 'test-2' })).map((x) => x.rule),
      ['jwks-key-use', 'jwks-key-alg', 'jwks-key-size'],
    );
    const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'test-3' };
    const f = await jwksKeyRules([ec], { kid: 'test-3' });
    assert.deepEqual(
      f.map((x) => [x.rule, x.severity]),
      [['jwks-key-type', 'error']],
    );
    assert.deepEqual(
      (await jwksKeyRules([good, { ...good }], { kid: 'test-1' })).map((x) => x.rule),
      ['jwks-kid-duplicate'],
    );
  });

  test('a key given without a KID must be published under some KID', async () => {
    assert.deepEqual(await jwksKeyRules([good], { localKeys: [{ n: good.n, e: good.e }] }), []);
    assert.deepEqual(
      (await jwksKeyRules([other], { localKeys: [{ n: good.n, e: good.e }] })).map((x) => x.rule),
      ['jwks-key-not-published'],
    );
  });

  test('an empty key set', async () => {
    assert.deepEqual(
      (await jwksKeyRules([], {})).map((x) => x.rule),
      ['jwks-empty'],
    );
  });
});
