// The ID-token pre-flight: one case per finding, on hand-made tokens and on tokens from the
// emulator's mock NHS login and CIS2 providers.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { MockIdp } from '../../src/core/emulator/idp/mockIdp.ts';
import { findMockUser } from '../../src/core/emulator/idp/mockUsers.ts';
import { preflightIdToken } from '../../src/core/preflight/idTokenPreflight.ts';
import type { IdTokenPreflightContext } from '../../src/core/preflight/idTokenPreflight.ts';
import { SUBJECT_TOKEN_ERRORS } from '../../src/core/preflight/subjectTokenErrors.ts';
import { hasPreflightErrors } from '../../src/core/preflight/findings.ts';
import type { PreflightFinding } from '../../src/core/preflight/findings.ts';

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const SANDPIT = 'https://auth.sandpit.signin.nhs.uk';
const NHS_LOGIN_INT = 'https://auth.aos.signin.nhs.uk';
const NHS_LOGIN_LIVE = 'https://auth.login.nhs.uk';
const CIS2_INT =
  'https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
const CIS2_LIVE =
  'https://am.nhsidentity.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
function jwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha512', Buffer.from(input), privateKey).toString('base64url')}`;
}
const header = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  alg: 'RS512',
  typ: 'JWT',
  kid: 'idp-key-1',
  ...extra,
});
const nhsLogin = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: NHS_LOGIN_INT,
  aud: 'my-client',
  sub: 'abc',
  exp: NOW + 600,
  iat: NOW,
  token_use: 'id',
  identity_proofing_level: 'P9',
  vot: 'P9.Cp.Cd',
  nhs_number: '9912003071',
  ...extra,
});
const cis2 = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: CIS2_INT,
  aud: 'my-client',
  sub: '656005750104',
  exp: NOW + 600,
  authentication_assurance_level: '3',
  ...extra,
});
const without = (o: Record<string, unknown>, k: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

function check(token: string, ctx: Partial<IdTokenPreflightContext> = {}): PreflightFinding[] {
  return preflightIdToken(token, { environmentId: 'int', now: NOW_MS, ...ctx });
}
const rules = (f: PreflightFinding[]): string[] => f.map((x) => x.rule);

describe("ID token pre-flight: the platform's subject_token checks, in its order", () => {
  test('a good NHS login Integration token on int has no findings', () => {
    assert.deepEqual(check(jwt(header(), nhsLogin())), []);
  });

  test('malformed and empty tokens', () => {
    for (const t of ['', 'abc', 'a.b']) {
      const f = check(t);
      assert.deepEqual(rules(f), ['id-token-malformed']);
      assert.equal(f[0]!.platformError, SUBJECT_TOKEN_ERRORS.malformed);
    }
  });

  test("each header and claim rule gives the platform's exact error", () => {
    const cases: [string, string, PreflightFinding['platformError']][] = [
      [jwt(without(header(), 'kid'), nhsLogin()), 'id-token-kid', SUBJECT_TOKEN_ERRORS.kidMissing],
      [jwt(without(header(), 'typ'), nhsLogin()), 'id-token-typ', SUBJECT_TOKEN_ERRORS.typ],
      [jwt(header({ typ: 'at+jwt' }), nhsLogin()), 'id-token-typ', SUBJECT_TOKEN_ERRORS.typ],
      [jwt(without(header(), 'alg'), nhsLogin()), 'id-token-alg', SUBJECT_TOKEN_ERRORS.algMissing],
      [jwt(header(), without(nhsLogin(), 'exp')), 'id-token-exp', SUBJECT_TOKEN_ERRORS.expMissing],
      [jwt(header(), nhsLogin({ exp: String(NOW + 600) })), 'id-token-exp', SUBJECT_TOKEN_ERRORS.expType],
      [jwt(header(), nhsLogin({ exp: NOW - 5 })), 'id-token-exp', SUBJECT_TOKEN_ERRORS.expPast],
      [jwt(header(), without(nhsLogin(), 'iss')), 'id-token-iss', SUBJECT_TOKEN_ERRORS.issMissing],
      [jwt(header(), without(nhsLogin(), 'aud')), 'id-token-aud', SUBJECT_TOKEN_ERRORS.audMissing],
    ];
    for (const [token, rule, platformError] of cases) {
      const f = check(token);
      assert.equal(f[0]?.rule, rule, JSON.stringify(f));
      assert.equal(f[0]?.platformError, platformError);
      assert.ok(hasPreflightErrors(f));
    }
    assert.equal(SUBJECT_TOKEN_ERRORS.audMissing.status, 401);
  });

  test('typ is case-insensitive, as the platform compares it', () => {
    assert.deepEqual(check(jwt(header({ typ: 'jwt' }), nhsLogin())), []);
  });

  test('an unusual alg and a near expiry are warnings, not errors', () => {
    const f = check(jwt(header({ alg: 'HS256' }), nhsLogin({ exp: NOW + 20 })));
    assert.deepEqual(rules(f), ['id-token-alg', 'id-token-exp-soon']);
    assert.equal(hasPreflightErrors(f), false);
  });

  test('an access token pasted instead of the ID token is called out', () => {
    const f = check(jwt(header(), nhsLogin({ token_use: 'access' })));
    assert.deepEqual(rules(f), ['id-token-use']);
  });
});

describe('ID token pre-flight: issuer against the identity provider paired with the API environment', () => {
  test('dev pairs with NHS login Sandpit, int with Integration, prod with Live', () => {
    assert.deepEqual(check(jwt(header(), nhsLogin({ iss: SANDPIT })), { environmentId: 'dev' }), []);
    assert.deepEqual(check(jwt(header(), nhsLogin({ iss: NHS_LOGIN_INT })), { environmentId: 'int' }), []);
    assert.deepEqual(
      check(jwt(header(), nhsLogin({ iss: `${NHS_LOGIN_LIVE}/` })), { environmentId: 'prod' }),
      [],
    );
    assert.deepEqual(
      check(jwt(header(), cis2({ iss: CIS2_LIVE.replace(':443', '') })), { environmentId: 'prod' }),
      [],
    );
  });

  test('a Sandpit token sent to int names both environments and the likely platform error', () => {
    const f = check(jwt(header(), nhsLogin({ iss: SANDPIT })), { environmentId: 'int' });
    assert.deepEqual(rules(f), ['id-token-issuer-environment']);
    assert.match(f[0]!.message, /NHS login Sandpit.*Integration \(oauth2\).*NHS login Integration/);
    assert.equal(f[0]!.platformError, SUBJECT_TOKEN_ERRORS.kidUnknown);
    assert.equal(f[0]!.inferred, true);
  });

  test('a CIS2 Integration token sent to production', () => {
    const f = check(jwt(header(), cis2()), { environmentId: 'prod' });
    assert.deepEqual(rules(f), ['id-token-issuer-environment']);
    assert.match(f[0]!.message, /CIS2 Integration.*CIS2 Live/);
  });

  test('an issuer that is neither NHS login nor CIS2 gives the non-matching iss error', () => {
    const f = check(jwt(header(), nhsLogin({ iss: 'https://login.microsoftonline.com/tenant/v2.0' })));
    assert.deepEqual(rules(f), ['id-token-issuer']);
    assert.equal(f[0]!.platformError, SUBJECT_TOKEN_ERRORS.issUnknown);
  });

  test('environments without a published pairing say so instead of guessing', () => {
    const f = check(jwt(header(), nhsLogin()), { environmentId: 'sandbox' });
    assert.deepEqual(rules(f), ['id-token-pairing-unknown']);
    assert.equal(f[0]!.severity, 'info');
  });
});

describe("ID token pre-flight: the user's level against the app's products", () => {
  const products = [
    'urn:nhsd:apim:app:level3:pds',
    'urn:nhsd:apim:user-nhs-login:P9:pds',
    'urn:nhsd:apim:user-nhs-cis2:aal3:pds',
  ];

  test("the platform's substring rule: P9 and AAL3 match, P5 and AAL2 do not", () => {
    assert.deepEqual(check(jwt(header(), nhsLogin()), { productScopes: products }), []);
    assert.deepEqual(check(jwt(header(), cis2()), { productScopes: products }), []);
    const p5 = check(jwt(header(), nhsLogin({ identity_proofing_level: 'P5' })), { productScopes: products });
    assert.deepEqual(rules(p5), ['id-token-level']);
    assert.equal(p5[0]!.platformError, SUBJECT_TOKEN_ERRORS.noMatchingScope);
    assert.match(p5[0]!.message, /':P5:'/);
    assert.deepEqual(
      rules(check(jwt(header(), cis2({ authentication_assurance_level: 2 })), { productScopes: products })),
      ['id-token-level'],
    );
  });

  test('the prefix before the level is not checked, as upstream', () => {
    assert.deepEqual(
      check(jwt(header(), cis2()), { productScopes: ['urn:nhsd:apim:user-nhs-id:aal3:pds'] }),
      [],
    );
  });

  test('--level style: the exact level is needed, a higher one does not match', () => {
    assert.deepEqual(check(jwt(header(), nhsLogin()), { requiredLevel: 'P9' }), []);
    assert.deepEqual(rules(check(jwt(header(), nhsLogin()), { requiredLevel: 'P5' })), ['id-token-level']);
    assert.deepEqual(check(jwt(header(), cis2()), { requiredLevel: 'aal3' }), []);
  });

  test('a token with no level claim cannot match any user-restricted product', () => {
    assert.deepEqual(rules(check(jwt(header(), without(nhsLogin(), 'identity_proofing_level')))), [
      'id-token-level',
    ]);
  });
});

describe("ID token pre-flight on tokens from the emulator's mock identity providers", () => {
  let nhs: MockIdp;
  let cis: MockIdp;
  const EMU = 'http://127.0.0.1:4010';
  before(async () => {
    [nhs, cis] = await Promise.all([MockIdp.create('nhs-login'), MockIdp.create('cis2')]);
  });

  test('a P9 NHS login and an AAL3 CIS2 token pass on Local against the demo products', async () => {
    const products = [
      'urn:nhsd:apim:user-nhs-login:P9:hello-world',
      'urn:nhsd:apim:user-nhs-cis2:aal3:hello-world',
    ];
    const p9 = await nhs.issueIdToken(
      findMockUser('nhs-login', '9912003071')!,
      'client',
      `${EMU}/mock-nhs-login`,
      'at',
    );
    const aal3 = await cis.issueIdToken(
      findMockUser('cis2', '656005750104')!,
      'client',
      `${EMU}/mock-cis2`,
      'at',
    );
    for (const t of [p9, aal3])
      assert.deepEqual(
        preflightIdToken(t, { environmentId: 'local', emulatorUrl: EMU, productScopes: products }),
        [],
      );
  });

  test('the P0 user against P9-only products, and a mock token sent to int', async () => {
    const p0 = await nhs.issueIdToken(
      findMockUser('nhs-login', '9912003073')!,
      'client',
      `${EMU}/mock-nhs-login`,
      'at',
    );
    assert.deepEqual(
      rules(
        preflightIdToken(p0, {
          environmentId: 'local',
          emulatorUrl: EMU,
          productScopes: ['urn:nhsd:apim:user-nhs-login:P9:x'],
        }),
      ),
      ['id-token-level'],
    );
    assert.deepEqual(rules(preflightIdToken(p0, { environmentId: 'int' })), ['id-token-issuer']);
  });

  test('an expired mock token', async () => {
    const t = await nhs.issueIdToken(
      findMockUser('nhs-login', '9912003071')!,
      'client',
      `${EMU}/mock-nhs-login`,
      'at',
    );
    const f = preflightIdToken(t, {
      environmentId: 'local',
      emulatorUrl: EMU,
      now: Date.now() + 2 * 3600_000,
    });
    assert.deepEqual(rules(f), ['id-token-exp']);
    assert.equal(f[0]!.platformError, SUBJECT_TOKEN_ERRORS.expPast);
  });
});
