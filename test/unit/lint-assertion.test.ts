import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import { buildJwks } from '../../src/core/keys/jwks.ts';
import { lintAssertion } from '../../src/core/assertion/lintAssertion.ts';
import type { LintContext, LintFinding } from '../../src/core/assertion/lintAssertion.ts';

const INT_MOCK = 'https://int.api.service.nhs.uk/oauth2-mock/token';
const PROD = 'https://api.service.nhs.uk/oauth2/token';
const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';
const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

let pair: KeyPairPem;
let jwks: { keys: Record<string, unknown>[] };

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A JWT with exactly this header and payload, RS512-signed with `key` (bypasses any library checks). */
function rawJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: string = pair.privateKeyPem,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha512', Buffer.from(input), key).toString('base64url')}`;
}

function without(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

const goodHeader = (): Record<string, unknown> => ({ alg: 'RS512', typ: 'JWT', kid: 'test-1' });
const goodPayload = (): Record<string, unknown> => ({
  iss: API_KEY,
  sub: API_KEY,
  aud: INT_MOCK,
  jti: 'b1f0e3c2-7a0d-4c55-9a1e-3f3c1b2a0d11',
  exp: NOW + 300,
});

function ctx(extra: Partial<LintContext> = {}): LintContext {
  return { tokenUrl: INT_MOCK, apiKey: API_KEY, jwks, now: NOW_MS, ...extra };
}

async function lint(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  extra: Partial<LintContext> = {},
): Promise<LintFinding[]> {
  return lintAssertion(rawJwt(header, payload), ctx(extra));
}

function only(findings: LintFinding[], rule: string): LintFinding {
  assert.deepEqual(
    findings.map((f) => f.rule),
    [rule],
    JSON.stringify(findings, null, 1),
  );
  return findings[0]!;
}

describe('lintAssertion', () => {
  before(async () => {
    pair = await generateKeyPair();
    jwks = await buildJwks([{ kid: 'test-1', publicKeyPem: pair.publicKeyPem }]);
  });

  test('a correct assertion has no findings', async () => {
    assert.deepEqual(await lint(goodHeader(), goodPayload()), []);
    // typ is compared case-insensitively by the platform.
    assert.deepEqual(await lint({ ...goodHeader(), typ: 'jwt' }, goodPayload()), []);
  });

  test("malformed JWTs give one finding with the platform's error", async () => {
    for (const bad of [
      '',
      'abc',
      'a.b',
      'not.a.jwt',
      `${b64('x')}.${b64({})}.sig`,
      '  ',
      `${b64({ alg: 'RS512' })}.bm90IGpzb24.sig`,
    ]) {
      const f = only(await lintAssertion(bad, ctx()), 'malformed');
      assert.deepEqual(f.platformError, {
        status: 400,
        error: 'invalid_request',
        error_description: 'Malformed JWT in client_assertion',
      });
    }
  });

  test('alg: missing and wrong', async () => {
    const noAlg = without(goodHeader(), 'alg');
    assert.equal(
      only(await lint(noAlg, goodPayload()), 'alg-missing').platformError?.error_description,
      "Missing 'alg' header in client_assertion JWT",
    );
    const f = only(await lint({ ...goodHeader(), alg: 'RS256' }, goodPayload()), 'alg');
    assert.deepEqual(f.platformError, {
      status: 400,
      error: 'invalid_request',
      error_description:
        "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    });
    assert.match(f.message, /RS256/);
  });

  test('exp-past', async () => {
    const f = only(await lint(goodHeader(), { ...goodPayload(), exp: NOW - 5 }), 'exp-past');
    assert.equal(
      f.platformError?.error_description,
      "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
    );
    assert.match(f.message, /5 s in the past/);
  });

  test('kid-missing', async () => {
    const noKid = without(goodHeader(), 'kid');
    const f = only(await lint(noKid, goodPayload()), 'kid-missing');
    assert.deepEqual(f.platformError, {
      status: 400,
      error: 'invalid_request',
      error_description: "Missing 'kid' header in client_assertion JWT",
    });
  });

  test('typ missing or wrong', async () => {
    const noTyp = without(goodHeader(), 'typ');
    const f = only(await lint(noTyp, goodPayload()), 'typ');
    assert.equal(
      f.platformError?.error_description,
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    );
    assert.match(f.fix, /typ: 'JWT'/);
    only(await lint({ ...goodHeader(), typ: 'JOSE' }, goodPayload()), 'typ');
  });

  test('exp-missing and exp-type', async () => {
    const noExp = without(goodPayload(), 'exp');
    assert.equal(
      only(await lint(goodHeader(), noExp), 'exp-missing').platformError?.error_description,
      "Missing 'exp' claim in client_assertion JWT",
    );
    for (const exp of [NOW + 100.5, String(NOW + 100)]) {
      const f = only(await lint(goodHeader(), { ...goodPayload(), exp }), 'exp-type');
      assert.equal(
        f.platformError?.error_description,
        "Invalid 'exp' claim in client_assertion JWT - must be an integer",
      );
    }
  });

  test('iss/sub missing or different', async () => {
    const noSub = without(goodPayload(), 'sub');
    const expected = "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT";
    assert.equal(only(await lint(goodHeader(), noSub), 'iss-sub').platformError?.error_description, expected);
    const f = only(await lint(goodHeader(), { ...goodPayload(), sub: 'someone-else' }), 'iss-sub');
    assert.equal(f.platformError?.status, 400);
    assert.match(f.message, /differ/);
  });

  test('jti missing, wrong type, reused', async () => {
    const noJti = without(goodPayload(), 'jti');
    assert.equal(
      only(await lint(goodHeader(), noJti), 'jti-missing').platformError?.error_description,
      "Missing 'jti' claim in client_assertion JWT",
    );
    assert.equal(
      only(await lint(goodHeader(), { ...goodPayload(), jti: 12345 }), 'jti-type').platformError
        ?.error_description,
      "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
    );
    const jti = String(goodPayload().jti);
    assert.equal(
      only(await lint(goodHeader(), goodPayload(), { usedJtis: ['x', jti] }), 'jti-reused').platformError
        ?.error_description,
      "Non-unique 'jti' claim in client_assertion JWT",
    );
  });

  test('exp-future: 310 s is allowed, 311 s is not; milliseconds are caught', async () => {
    assert.deepEqual(await lint(goodHeader(), { ...goodPayload(), exp: NOW + 310 }), []);
    const f = only(await lint(goodHeader(), { ...goodPayload(), exp: NOW + 311 }), 'exp-future');
    assert.equal(
      f.platformError?.error_description,
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    );
    only(await lint(goodHeader(), { ...goodPayload(), exp: NOW_MS + 300_000 }), 'exp-future');
  });

  test('lifetime-short is a warning, not an error', async () => {
    const f = only(await lint(goodHeader(), { ...goodPayload(), exp: NOW + 10 }), 'lifetime-short');
    assert.equal(f.severity, 'warning');
    assert.equal(f.platformError, undefined);
  });

  test("api-key-environment: iss is not this profile's key", async () => {
    const other = 'Zyxwvutsrqponmlkjihgfedcba987654';
    const f = only(
      await lint(goodHeader(), { ...goodPayload(), iss: other, sub: other }),
      'api-key-environment',
    );
    assert.deepEqual(f.platformError, {
      status: 401,
      error: 'invalid_request',
      error_description: "Invalid 'iss'/'sub' claims in client_assertion JWT",
    });
    // The full keys are never echoed.
    assert.ok(!f.message.includes(other) && !f.message.includes(API_KEY));
  });

  test('api-key-environment without a known key: obvious mistakes are errors, odd shapes warnings', async () => {
    const noKey = { apiKey: undefined };
    const kidAsIss = only(
      await lint(goodHeader(), { ...goodPayload(), iss: 'test-1', sub: 'test-1' }, noKey),
      'api-key-environment',
    );
    assert.equal(kidAsIss.severity, 'error');
    assert.match(kidAsIss.message, /KID/);
    assert.equal(
      only(
        await lint(goodHeader(), { ...goodPayload(), iss: '<API_KEY>', sub: '<API_KEY>' }, noKey),
        'api-key-environment',
      ).severity,
      'error',
    );
    assert.equal(
      only(
        await lint(goodHeader(), { ...goodPayload(), iss: 'short', sub: 'short' }, noKey),
        'api-key-environment',
      ).severity,
      'warning',
    );
    assert.deepEqual(await lint(goodHeader(), goodPayload(), noKey), []);
  });

  test('aud-missing', async () => {
    const noAud = without(goodPayload(), 'aud');
    const f = only(await lint(goodHeader(), noAud), 'aud-missing');
    assert.deepEqual(f.platformError, {
      status: 401,
      error: 'invalid_request',
      error_description: "Missing or invalid 'aud' claim in client_assertion JWT",
    });
    assert.match(f.fix, /oauth2-mock\/token/);
  });

  test('aud-environment names both environments', async () => {
    const f = only(await lint(goodHeader(), { ...goodPayload(), aud: PROD }), 'aud-environment');
    assert.match(
      f.message,
      /^aud is the Production token URL but this profile targets Integration \(oauth2-mock\)\.$/,
    );
    assert.equal(f.platformError?.status, 401);
  });

  test('aud-path: right host, wrong base path', async () => {
    const f = only(
      await lint(goodHeader(), { ...goodPayload(), aud: 'https://int.api.service.nhs.uk/oauth2/token' }),
      'aud-path',
    );
    assert.match(f.message, /\/oauth2\/token \(Integration \(oauth2\)\).*\/oauth2-mock\/token/);
  });

  test('aud-mismatch: trailing slash, other host; aud-type for non-strings', async () => {
    assert.match(
      only(await lint(goodHeader(), { ...goodPayload(), aud: `${INT_MOCK}/` }), 'aud-mismatch').message,
      /trailing slash/,
    );
    only(await lint(goodHeader(), { ...goodPayload(), aud: 'https://example.com/token' }), 'aud-mismatch');
    only(await lint(goodHeader(), { ...goodPayload(), aud: ['a', 'b'] }), 'aud-type');
    assert.equal(
      only(await lint(goodHeader(), { ...goodPayload(), aud: [INT_MOCK] }), 'aud-array').severity,
      'warning',
    );
  });

  test('aud against the local emulator token URL', async () => {
    const local = 'http://127.0.0.1:4010/oauth2/token';
    assert.deepEqual(await lint(goodHeader(), { ...goodPayload(), aud: local }, { tokenUrl: local }), []);
    assert.match(
      only(await lint(goodHeader(), goodPayload(), { tokenUrl: local }), 'aud-environment').message,
      /Integration \(oauth2-mock\) token URL but this profile targets http:\/\/127\.0\.0\.1:4010/,
    );
  });

  test('kid-not-in-jwks lists the published KIDs', async () => {
    const f = only(await lint({ ...goodHeader(), kid: 'test-2' }, goodPayload()), 'kid-not-in-jwks');
    assert.deepEqual(f.platformError, {
      status: 401,
      error: 'invalid_request',
      error_description: "Invalid 'kid' header in client_assertion JWT - no matching public key",
    });
    assert.match(f.message, /test-1/);
    only(await lint(goodHeader(), goodPayload(), { jwks: { keys: [] } }), 'kid-not-in-jwks');
  });

  test('signature: signed by a different key than the one published', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const f = only(await lintAssertion(rawJwt(goodHeader(), goodPayload(), other), ctx()), 'signature');
    assert.deepEqual(f.platformError, {
      status: 401,
      error: 'public_key error',
      error_description: 'JWT signature verification failed',
    });
    // A tampered payload also fails.
    const good = rawJwt(goodHeader(), goodPayload());
    const [h, , s] = good.split('.');
    const tampered = `${h}.${b64({ ...goodPayload(), sub: API_KEY, jti: 'other-jti' })}.${s}`;
    only(await lintAssertion(tampered, ctx()), 'signature');
  });

  test('jwk-size warns about a published 2048-bit key', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const smallJwks = await buildJwks([
      { kid: 'test-1', publicKeyPem: small.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ]);
    const jwt = rawJwt(
      goodHeader(),
      goodPayload(),
      small.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    const f = only(await lintAssertion(jwt, ctx({ jwks: smallJwks })), 'jwk-size');
    assert.match(f.message, /2048 bits/);
  });

  test("all problems are reported in the platform's check order", async () => {
    const findings = await lint(
      { alg: 'RS256', typ: 'JOSE' },
      { iss: 'a', sub: 'b', exp: NOW - 100, jti: 7, aud: PROD },
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      [
        'alg',
        'exp-past',
        'kid-missing',
        'typ',
        'iss-sub',
        'jti-type',
        'api-key-environment',
        'aud-environment',
      ],
    );
    assert.ok(findings.every((f) => f.fix.length > 10 && f.message.length > 5));
  });

  test('without a JWKS the key rules are skipped; without a token URL a platform aud is accepted', async () => {
    const jwt = rawJwt({ ...goodHeader(), kid: 'nope' }, { ...goodPayload(), aud: PROD });
    assert.deepEqual(await lintAssertion(jwt, { now: NOW_MS }), []);
    assert.equal(
      only(
        await lintAssertion(rawJwt(goodHeader(), { ...goodPayload(), aud: 'urn:x' }), { now: NOW_MS }),
        'aud-unknown',
      ).severity,
      'warning',
    );
  });
});
