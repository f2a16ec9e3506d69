// The platform contract (src/core/platform) that the linter, the emulator and the explainer read:
// literal values here, so a typo in the table fails.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  CLIENT_ASSERTION_CHECK_ORDER,
  CLIENT_ASSERTION_TYPE,
  MAX_EXP_AHEAD_SECONDS,
} from '../../src/core/platform/clientAssertionRules.ts';
import { PLATFORM_ERRORS, platformErrorIdOf } from '../../src/core/platform/platformErrors.ts';
import { CHECK_ORDER } from '../../src/core/assertion/lintTypes.ts';
import { lintAssertion } from '../../src/core/assertion/lintAssertion.ts';
import { AppsRegistry } from '../../src/core/emulator/appsRegistry.ts';
import { JwksCache } from '../../src/core/emulator/jwksCache.ts';
import { JtiStore, validateClientAssertion } from '../../src/core/emulator/clientAssertion.ts';

const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2-mock/token';

describe('platform contract', () => {
  test('assertion type, limit and a few verbatim entries', () => {
    assert.equal(CLIENT_ASSERTION_TYPE, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(MAX_EXP_AHEAD_SECONDS, 310);
    assert.deepEqual(PLATFORM_ERRORS.jwksUnreachable, {
      status: 403,
      error: 'public_key error',
      error_description: "The JWKS endpoint, for your client_assertion can't be reached",
    });
    assert.deepEqual(PLATFORM_ERRORS.refreshPeriodExpired, {
      status: 401,
      error: 'invalid_grant',
      error_description: 'refresh token refresh period has expired',
    });
    assert.deepEqual(PLATFORM_ERRORS.subjectTokenAudMissing, {
      status: 401,
      error: 'invalid_request',
      error_description: "Missing 'aud' claim in subject_token JWT",
    });
  });
  test('both wordings resolve to one id', () => {
    assert.equal(platformErrorIdOf('refresh token refresh period has expired'), 'refreshPeriodExpired');
    assert.equal(platformErrorIdOf('access token refresh period has expired'), 'refreshPeriodExpired');
    assert.equal(platformErrorIdOf('  Missing Client_Assertion '), 'assertionMissing');
    assert.equal(platformErrorIdOf('something else'), undefined);
  });
  test("the linter's order follows the contract: jti stored after the claim checks, aud before kid before signature", () => {
    const order = CLIENT_ASSERTION_CHECK_ORDER as readonly string[];
    assert.ok(order.indexOf('jtiStored') === order.indexOf('assertionExpFuture') + 1);
    assert.ok(order.indexOf('jtiStored') < order.indexOf('assertionIssUnknown'));
    const lint = Object.entries(CHECK_ORDER)
      .sort((a, b) => a[1] - b[1])
      .map(([k]) => k);
    assert.deepEqual(lint, [
      'malformed',
      'alg',
      'expPast',
      'kid',
      'typ',
      'expShape',
      'issSub',
      'jti',
      'expFuture',
      'lifetime',
      'apiKey',
      'aud',
      'jwks',
      'jwk',
      'signature',
      'other',
    ]);
  });
});

describe('the emulator and the linter report the earlier of two failures, each by its own checks', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-1' };
  const apps = new AppsRegistry();
  apps.add({
    name: 'a',
    apiKey: 'api-key-1',
    jwks: { keys: [jwk] },
    products: ['urn:nhsd:apim:app:level3:x'],
  });
  const now = (): number => Math.floor(Date.now() / 1000);
  const sign = async (header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> => {
    const h = { alg: 'RS512', typ: 'JWT', kid: 'test-1', ...header };
    for (const k of Object.keys(h)) if (h[k as keyof typeof h] === undefined) delete h[k as keyof typeof h];
    const c = {
      iss: 'api-key-1',
      sub: 'api-key-1',
      aud: TOKEN_URL,
      jti: randomUUID(),
      exp: now() + 300,
      ...claims,
    };
    for (const k of Object.keys(c)) if (c[k as keyof typeof c] === undefined) delete c[k as keyof typeof c];
    return new SignJWT(c).setProtectedHeader(h as { alg: string }).sign(privateKey);
  };
  const cases: [string, () => Promise<string>, string][] = [
    [
      'expired before kid',
      () => sign({ kid: undefined }, { exp: now() - 60 }),
      "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
    ],
    [
      'kid before typ',
      () => sign({ kid: undefined, typ: undefined }, {}),
      "Missing 'kid' header in client_assertion JWT",
    ],
    [
      'typ before exp',
      () => sign({ typ: 'at+jwt' }, { exp: undefined }),
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'iss/sub before jti',
      () => sign({}, { sub: 'other', jti: undefined }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'exp in future before unknown key',
      () => sign({}, { iss: 'nobody', sub: 'nobody', exp: now() + 900 }),
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    ],
    [
      'aud before kid unknown',
      () => sign({ kid: 'test-9' }, { aud: 'https://example.org/token' }),
      "Missing or invalid 'aud' claim in client_assertion JWT",
    ],
  ];
  for (const [name, make, description] of cases) {
    test(name, async () => {
      const jwt = await make();
      const form = new URLSearchParams({
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: jwt,
      });
      const r = await validateClientAssertion(form, {
        apps,
        jwksCache: new JwksCache(),
        jtiStore: new JtiStore(),
        tokenUrl: TOKEN_URL,
      });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(JSON.parse(r.reply.body).error_description, description);
      const findings = await lintAssertion(jwt, {
        tokenUrl: TOKEN_URL,
        apiKey: 'api-key-1',
        jwks: { keys: [jwk] },
      });
      assert.equal(
        findings.find((f) => f.severity === 'error')?.platformError?.error_description,
        description,
      );
    });
  }
});
