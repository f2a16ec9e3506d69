// The platform's own e2e cases, ported: each test is named after the upstream file and test
// (https://github.com/NHSDigital/identity-service-api/tree/master/e2e/tests/oauth) it mirrors, with
// the parameter set in brackets, and asserts the exact status and body (message_id present).
// Strings are quoted literally here, so a typo in the platform table still fails. Tests named
// "beyond upstream" check behaviour the proxy source shows but its e2e suite does not test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import {
  ASSERTION_TYPE,
  assertion,
  clientCredentialsForm,
  expectError,
  http,
  ID_TOKEN_TYPE,
  postForm,
  REDIRECT,
  startFixture,
  TOKEN_EXCHANGE,
} from './emulatorFixtures.ts';
import type { Fixture, HttpResult } from './emulatorFixtures.ts';

let f: Fixture;
let otherJwks: Server;
let otherJwksUrl = '';
before(async () => {
  f = await startFixture();
  // A JWKS that publishes a different key under the same kid.
  const jwk = {
    ...(await import('node:crypto')).createPublicKey(f.otherKey).export({ format: 'jwk' }),
    kid: 'test-1',
    use: 'sig',
  };
  otherJwks = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((r) => otherJwks.listen(0, '127.0.0.1', r));
  otherJwksUrl = `http://127.0.0.1:${(otherJwks.address() as { port: number }).port}/jwks.json`;
});
after(async () => {
  otherJwks.closeAllConnections();
  await new Promise<void>((r) => otherJwks.close(() => r()));
  await f.close();
});

const USERINFO_WRONG_AUTH =
  'The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation';
const UNAUTHORIZED_CLIENT =
  'you have tried to request authorization but your application is not configured to use this authorization grant type';
const NO_ACCESS =
  'API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.';

const cc = (clientAssertion: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
  postForm(f.emulator.tokenUrl(), clientCredentialsForm(clientAssertion, extra));
const control = (path: string, init: RequestInit = {}): Promise<HttpResult> =>
  http(`${f.emulator.url}/_emulator${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${f.emulator.controlToken}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
const scopesOf = async (accessToken: string): Promise<string[]> =>
  String((await control('/token-info', { method: 'POST', body: JSON.stringify({ accessToken }) })).json.scope)
    .split(' ')
    .filter(Boolean)
    .sort();

let appSeq = 0;
/** A fresh app like the upstream suite's function-scoped test app: main key, the given products. */
function testApp(products: string[], extra: Record<string, unknown> = {}): string {
  const apiKey = `upstream-${++appSeq}`;
  f.emulator.addApp({
    name: apiKey,
    apiKey,
    clientSecret: 'secret-1',
    redirectUri: REDIRECT,
    jwks: f.apps.main.jwks!,
    products,
    ...extra,
  });
  return apiKey;
}

/** /authorize → mock CIS2 sign-in → /callback; returns the callback's answer. */
async function combinedAuth(
  apiKey: string,
  username: string,
  basePath: 'oauth2' | 'oauth2-mock' = 'oauth2',
  scope?: string,
): Promise<HttpResult> {
  const q = new URLSearchParams({
    client_id: apiKey,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: String(Math.random()),
  });
  if (scope) q.set('scope', scope);
  const first = await http(`${f.emulator.url}/${basePath}/authorize?${q}`);
  assert.equal(first.status, 302, first.text);
  const posted = await http(String(first.headers.get('location')), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `username=${username}`,
  });
  assert.equal(posted.status, 302, posted.text);
  return http(String(posted.headers.get('location')));
}

async function combinedToken(
  apiKey: string,
  username: string,
  basePath: 'oauth2' | 'oauth2-mock' = 'oauth2',
  scope?: string,
): Promise<HttpResult> {
  const back = await combinedAuth(apiKey, username, basePath, scope);
  assert.equal(back.status, 302, back.text);
  const code = String(new URL(String(back.headers.get('location'))).searchParams.get('code'));
  return postForm(`${f.emulator.url}/${basePath}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: apiKey,
    client_secret: 'secret-1',
  });
}

async function exchange(
  provider: 'nhs-login' | 'cis2',
  username: string,
  apiKey = 'main-key',
  extra: Record<string, string> = {},
): Promise<HttpResult> {
  const idToken = await mockSignIn(f.emulator.url, {
    provider,
    username,
    clientId: apiKey,
    clientSecret: 'secret-1',
    redirectUri: REDIRECT,
  });
  return postForm(f.emulator.tokenUrl(), {
    grant_type: TOKEN_EXCHANGE,
    subject_token_type: ID_TOKEN_TYPE,
    subject_token: idToken,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await assertion(f, apiKey),
    ...extra,
  });
}

const userinfo = (token: string, basePath = 'oauth2'): Promise<HttpResult> =>
  http(`${f.emulator.url}/${basePath}/userinfo`, { headers: { authorization: `Bearer ${token}` } });

describe('e2e/tests/oauth/test_client_credentials.py', () => {
  test('TestClientCredentialsJWT::test_successful_jwt_token_response', async () => {
    const res = await cc(await assertion(f, 'main-key'));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['access_token', 'expires_in', 'issued_at', 'token_type']);
    assert.equal(res.json.expires_in, '599');
    assert.equal(res.json.token_type, 'Bearer');
  });
  for (const algorithm of ['RS256', 'RS384', 'PS256', 'PS384', 'PS512', 'HS256', 'HS384', 'HS512']) {
    test(`TestClientCredentialsJWT::test_incorrect_jwt_algorithm[${algorithm}]`, async () => {
      expectError(
        await cc(await assertion(f, 'main-key', { header: { alg: algorithm } })),
        400,
        'invalid_request',
        "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
      );
    });
  }
  const headerCases: [string, () => Promise<string>, number, string][] = [
    [
      'missing kid',
      () => assertion(f, 'main-key', { omit: ['kid'] }),
      400,
      "Missing 'kid' header in client_assertion JWT",
    ],
    [
      'invalid kid',
      () => assertion(f, 'main-key', { header: { kid: 'invalid' } }),
      401,
      "Invalid 'kid' header in client_assertion JWT - no matching public key",
    ],
    [
      'invalid typ',
      () => assertion(f, 'main-key', { header: { typ: 'invalid' } }),
      400,
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'None typ',
      () => assertion(f, 'main-key', { omit: ['typ'] }),
      400,
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'invalid alg',
      () => assertion(f, 'main-key', { header: { alg: 'HS512' } }),
      400,
      "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    ],
  ];
  for (const [name, make, status, description] of headerCases) {
    test(`TestClientCredentialsJWT::test_missing_or_invalid_headers[${name}]`, async () => {
      expectError(await cc(await make()), status, 'invalid_request', description);
    });
  }
  const now = (): number => Math.floor(Date.now() / 1000);
  const claimCases: [string, () => Promise<string>, number, string][] = [
    [
      'invalid sub and iss',
      () => assertion(f, 'invalid'),
      401,
      "Invalid 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'sub different to iss',
      () => assertion(f, 'main-key', { claims: { sub: 'invalid' } }),
      400,
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing sub',
      () => assertion(f, 'main-key', { omit: ['sub'] }),
      400,
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'iss different to sub',
      () => assertion(f, 'main-key', { claims: { iss: 'invalid' } }),
      400,
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing iss',
      () => assertion(f, 'main-key', { omit: ['iss'] }),
      400,
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'invalid jti - integer',
      () => assertion(f, 'main-key', { claims: { jti: 1234567890 } }),
      400,
      "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
    ],
    [
      'missing jti',
      () => assertion(f, 'main-key', { omit: ['jti'] }),
      400,
      "Missing 'jti' claim in client_assertion JWT",
    ],
    [
      'invalid aud',
      () => assertion(f, 'main-key', { claims: { aud: 'invalid' } }),
      401,
      "Missing or invalid 'aud' claim in client_assertion JWT",
    ],
    [
      'missing aud',
      () => assertion(f, 'main-key', { omit: ['aud'] }),
      401,
      "Missing or invalid 'aud' claim in client_assertion JWT",
    ],
    [
      'invalid exp - string',
      () => assertion(f, 'main-key', { claims: { exp: String(now() + 300) } }),
      400,
      "Invalid 'exp' claim in client_assertion JWT - must be an integer",
    ],
    [
      'exp in the past',
      () => assertion(f, 'main-key', { claims: { exp: now() - 20 } }),
      400,
      "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
    ],
    [
      'exp above 5 min',
      () => assertion(f, 'main-key', { claims: { exp: now() + 360 } }),
      400,
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    ],
    [
      'missing exp',
      () => assertion(f, 'main-key', { omit: ['exp'] }),
      400,
      "Missing 'exp' claim in client_assertion JWT",
    ],
  ];
  for (const [name, make, status, description] of claimCases) {
    test(`TestClientCredentialsJWT::test_missing_or_invalid_claims[${name}]`, async () => {
      expectError(await cc(await make()), status, 'invalid_request', description);
    });
  }
  test('TestClientCredentialsJWT::test_reusing_same_jti', async () => {
    const jwt = await assertion(f, 'main-key');
    assert.equal((await cc(jwt)).status, 200);
    expectError(await cc(jwt), 400, 'invalid_request', "Non-unique 'jti' claim in client_assertion JWT");
  });
  const payloadCases: [string, (form: Record<string, string>) => Record<string, string>, string, string][] = [
    [
      'invalid client_assertion_type',
      (d) => ({ ...d, client_assertion_type: 'invalid' }),
      'invalid_request',
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    ],
    [
      'missing client_assertion_type',
      ({ client_assertion_type: _, ...d }) => d,
      'invalid_request',
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    ],
    [
      'invalid client_assertion',
      (d) => ({ ...d, client_assertion: 'invalid' }),
      'invalid_request',
      'Malformed JWT in client_assertion',
    ],
    [
      'missing client_assertion',
      ({ client_assertion: _, ...d }) => d,
      'invalid_request',
      'Missing client_assertion',
    ],
    [
      'invalid grant_type',
      (d) => ({ ...d, grant_type: 'invalid' }),
      'unsupported_grant_type',
      'grant_type is invalid',
    ],
    ['missing grant_type', ({ grant_type: _, ...d }) => d, 'invalid_request', 'grant_type is missing'],
  ];
  for (const [name, change, error, description] of payloadCases) {
    test(`TestClientCredentialsJWT::test_missing_or_invalid_payload[${name}]`, async () => {
      expectError(
        await postForm(f.emulator.tokenUrl(), change(clientCredentialsForm(await assertion(f, 'main-key')))),
        400,
        error,
        description,
      );
    });
  }
  test('TestClientCredentialsJWT::test_userinfo_client_credentials_token', async () => {
    const token = String((await cc(await assertion(f, 'main-key'))).json.access_token);
    expectError(await userinfo(token), 400, 'invalid_request', USERINFO_WRONG_AUTH);
  });
  for (const [ms, expected] of [
    [100000, 100],
    [500000, 500],
    [700000, 600],
    [1000000, 600],
  ] as const) {
    test(`TestClientCredentialsJWT::test_access_token_override_with_client_credentials[${ms}-${expected}]`, async () => {
      const res = await cc(await assertion(f, 'main-key'), { _access_token_expiry_ms: String(ms) });
      assert.equal(res.status, 200, res.text);
      assert.ok(Number(res.json.expires_in) <= expected, String(res.json.expires_in));
    });
  }
  test('TestClientCredentialsJWT::test_no_jwks_resource_url_set', async () => {
    const apiKey = testApp(['urn:nhsd:apim:app:level3:hello-world'], { jwks: undefined });
    expectError(
      await cc(await assertion(f, apiKey)),
      403,
      'public_key error',
      'You need to register a public key to use this authentication method - please contact support to configure',
    );
  });
  test('TestClientCredentialsJWT::test_invalid_jwks_resource_url[https://google.com]', async () => {
    // No path after the host: setServiceCalloutUrl.js cannot call it, so nothing is fetched.
    const apiKey = testApp(['urn:nhsd:apim:app:level3:hello-world'], {
      jwks: undefined,
      jwksUrl: 'https://google.com',
    });
    expectError(
      await cc(await assertion(f, apiKey)),
      403,
      'public_key error',
      "The JWKS endpoint, for your client_assertion can't be reached",
    );
  });
  test('TestClientCredentialsJWT::test_invalid_jwks_resource_url[a key that does not match]', async () => {
    const apiKey = testApp(['urn:nhsd:apim:app:level3:hello-world'], {
      jwks: undefined,
      jwksUrl: otherJwksUrl,
    });
    expectError(
      await cc(await assertion(f, apiKey)),
      401,
      'public_key error',
      'JWT signature verification failed',
    );
  });
});

describe('e2e/tests/oauth/test_product_scopes.py', () => {
  const appValid: [string, string[], string[], string[]][] = [
    [
      '1',
      ['urn:nhsd:apim:app:level3:personal-demographics'],
      [],
      ['urn:nhsd:apim:app:level3:personal-demographics'],
    ],
    [
      '2',
      ['urn:nhsd:apim:app:level3:personal-demographics-service'],
      ['urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service'],
      ['urn:nhsd:apim:app:level3:personal-demographics-service'],
    ],
    [
      '3',
      ['urn:nhsd:apim:app:level3:personal-demographics-service'],
      ['urn:nhsd:apim:app:level3:ambulance-analytics'],
      [
        'urn:nhsd:apim:app:level3:personal-demographics-service',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
      ],
    ],
    [
      '4',
      ['urn:nhsd:apim:app:level3:personal-demographics', 'urn:nhsd:apim:app:level3:ambulance-analytics'],
      [],
      ['urn:nhsd:apim:app:level3:personal-demographics', 'urn:nhsd:apim:app:level3:ambulance-analytics'],
    ],
    [
      '5',
      ['urn:nhsd:apim:app:level3:personal-demographics', 'urn:nhsd:apim:app:level3:ambulance-analytics'],
      ['urn:nhsd:apim:app:level3:example-1', 'urn:nhsd:apim:app:level3:example-2'],
      [
        'urn:nhsd:apim:app:level3:personal-demographics',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
        'urn:nhsd:apim:app:level3:example-1',
        'urn:nhsd:apim:app:level3:example-2',
      ],
    ],
    [
      '6',
      [
        'urn:nhsd:apim:app:level3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
      ],
      [],
      ['urn:nhsd:apim:app:level3:ambulance-analytics'],
    ],
    [
      '7',
      [
        'urn:nhsd:apim:app:level3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
      ],
      ['urn:nhsd:apim:app:level3:example-1', 'urn:nhsd:apim:user-nhs-id:aal3:example-2'],
      ['urn:nhsd:apim:app:level3:ambulance-analytics', 'urn:nhsd:apim:app:level3:example-1'],
    ],
  ];
  for (const [scenario, p1, p2, expected] of appValid) {
    test(`TestClientCredentials::test_valid_application_restricted_scope_combination[scenario ${scenario}]`, async () => {
      const apiKey = testApp([...p1, ...p2]);
      const res = await cc(await assertion(f, apiKey));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(await scopesOf(String(res.json.access_token)), [...expected].sort());
    });
  }
  // Scenarios 8 (empty string) and 9 (None) cannot be expressed: the apps file refuses empty and null scopes.
  const appErrors: [string, string[]][] = [
    ['1', []],
    ['2', ['urn:nhsd:apim:user-nhs-id:aal2:personal-demographics-service']],
    [
      '3',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
      ],
    ],
    [
      '4',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
      ],
    ],
    [
      '5',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:example-1',
        'urn:nhsd:apim:user-nhs-id:aal3:example-2',
      ],
    ],
    ['6', ['ThisDoesNotExist']],
    ['7', ['#£$?!&%*.;@~_-']],
    ['10', ['urn:nshd:apim:app:level3personal-demographics-service']],
  ];
  for (const [scenario, products] of appErrors) {
    test(`TestClientCredentials::test_error_application_restricted_scope_combination[scenario ${scenario}]`, async () => {
      expectError(
        await cc(await assertion(f, testApp(products))),
        401,
        'unauthorized_client',
        UNAUTHORIZED_CLIENT,
      );
    });
  }
  const cis2Valid: [string, string[], string[]][] = [
    [
      '1',
      ['urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service'],
      ['urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service'],
    ],
    [
      '2',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
      ],
      ['urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service'],
    ],
    [
      '3',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
      ],
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
      ],
    ],
    [
      '5',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:example-1',
        'urn:nhsd:apim:user-nhs-id:aal3:example-2',
      ],
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:user-nhs-id:aal3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:example-1',
        'urn:nhsd:apim:user-nhs-id:aal3:example-2',
      ],
    ],
    [
      '7',
      [
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
        'urn:nhsd:apim:user-nhs-id:aal3:example-1',
        'urn:nhsd:apim:app:level3:example-2',
      ],
      [
        'urn:nhsd:apim:user-nhs-id:aal3:example-1',
        'urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service',
      ],
    ],
  ];
  for (const [scenario, products, expected] of cis2Valid) {
    test(`TestAuthorizationCodeCis2::test_cis2_user_restricted_scope_combination[scenario ${scenario}]`, async () => {
      const res = await combinedToken(testApp(products), '656005750104');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(await scopesOf(String(res.json.access_token)), [...expected].sort());
    });
  }
  const cis2Errors: [string, string[]][] = [
    ['1', []],
    ['2', ['urn:nhsd:apim:user-nhs-id:aal2:personal-demographics-service']],
    [
      '3',
      [
        'urn:nhsd:apim:app:level3:personal-demographics-service',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
      ],
    ],
    [
      '5',
      [
        'urn:nhsd:apim:app:level3:personal-demographics-service',
        'urn:nhsd:apim:app:level3:ambulance-analytics',
        'urn:nhsd:apim:app:level3:example-1',
        'urn:nhsd:apim:app:level3:example-2',
      ],
    ],
    ['6', ['ThisDoesNotExist']],
    ['7', ['#£$?!&%*.;@~_-']],
    ['9', ['urn:nhsd:apim:user:aal3personal-demographics-service']],
  ];
  for (const [scenario, products] of cis2Errors) {
    test(`TestAuthorizationCodeCis2::test_cis2_error_user_restricted_scope_combination[scenario ${scenario}]`, async () => {
      // The platform answers at /callback (RaiseFault.VerifyAccessLevel), before any code exists.
      expectError(
        await combinedAuth(testApp(products), '656005750104'),
        401,
        'unauthorized_client',
        UNAUTHORIZED_CLIENT,
      );
    });
  }
});

describe('e2e/tests/oauth/test_authorization_code.py', () => {
  // canary-api stands behind the platform's tests; here the emulator's Hello World user endpoint does.
  const canary = (token?: string): Promise<HttpResult> =>
    http(
      `${f.emulator.url}/hello-world/hello/user`,
      token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
    );
  const codeOf = async (apiKey = 'main-key'): Promise<string> => {
    const back = await combinedAuth(apiKey, '656005750104');
    assert.equal(back.status, 302, back.text);
    return String(new URL(String(back.headers.get('location'))).searchParams.get('code'));
  };
  const tokenData = async (): Promise<Record<string, string>> => ({
    grant_type: 'authorization_code',
    code: await codeOf(),
    redirect_uri: REDIRECT,
    client_id: 'main-key',
    client_secret: 'secret-1',
  });
  const refreshData = (refreshToken: string): Record<string, string> => ({
    client_id: 'main-key',
    client_secret: 'secret-1',
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  });
  const CODE_KEYS = [
    'access_token',
    'expires_in',
    'refresh_count',
    'refresh_token',
    'refresh_token_expires_in',
    'token_type',
  ];

  test('TestAuthorizationCode::test_token_endpoint', async () => {
    const res = await postForm(f.emulator.tokenUrl(), await tokenData());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.expires_in, '599');
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.refresh_count, '0');
    // Upstream also expects "sid", which only internal-dev returns.
    assert.deepEqual(Object.keys(res.json).sort(), CODE_KEYS);
  });
  const tokenErrors: [
    string,
    (d: Record<string, string>) => Record<string, string>,
    number,
    string,
    string,
  ][] = [
    [
      'invalid grant_type',
      (d) => ({ ...d, grant_type: 'invalid' }),
      400,
      'unsupported_grant_type',
      'grant_type is invalid',
    ],
    ['missing grant_type', ({ grant_type: _, ...d }) => d, 400, 'invalid_request', 'grant_type is missing'],
    ['missing client_id', ({ client_id: _, ...d }) => d, 401, 'invalid_request', 'client_id is missing'],
    [
      'invalid client_id',
      (d) => ({ ...d, client_id: 'invalid' }),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    ],
    [
      'invalid client_secret',
      (d) => ({ ...d, client_secret: 'invalid' }),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    ],
    [
      'missing client_secret',
      ({ client_secret: _, ...d }) => d,
      401,
      'invalid_request',
      'client_secret is missing',
    ],
    [
      'invalid redirect_uri',
      (d) => ({ ...d, redirect_uri: 'invalid' }),
      400,
      'invalid_request',
      'redirect_uri is invalid',
    ],
    [
      'missing redirect_uri',
      ({ redirect_uri: _, ...d }) => d,
      400,
      'invalid_request',
      'redirect_uri is missing',
    ],
    [
      'invalid authorization_code',
      (d) => ({ ...d, code: 'invalid' }),
      400,
      'invalid_grant',
      'authorization_code is invalid',
    ],
    [
      'missing authorization_code',
      ({ code: _, ...d }) => d,
      400,
      'invalid_request',
      'authorization_code is missing',
    ],
  ];
  for (const [name, change, status, error, description] of tokenErrors) {
    test(`TestAuthorizationCode::test_token_error_conditions[${name}]`, async () => {
      expectError(
        await postForm(f.emulator.tokenUrl(), change(await tokenData())),
        status,
        error,
        description,
      );
    });
  }
  test('TestAuthorizationCode::test_refresh_token', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
    const res = await postForm(f.emulator.tokenUrl(), refreshData(String(tok.json.refresh_token)));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.expires_in, '599');
    assert.equal(res.json.refresh_count, '1');
    assert.deepEqual(Object.keys(res.json).sort(), CODE_KEYS);
  });
  const refreshErrors: [
    string,
    (d: Record<string, string>) => Record<string, string>,
    number,
    string,
    string,
  ][] = [
    ['missing client_id', ({ client_id: _, ...d }) => d, 401, 'invalid_request', 'client_id is missing'],
    [
      'invalid client_id',
      (d) => ({ ...d, client_id: 'invalid' }),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    ],
    [
      'missing client_secret',
      ({ client_secret: _, ...d }) => d,
      401,
      'invalid_request',
      'client_secret is missing',
    ],
    [
      'invalid client_secret',
      (d) => ({ ...d, client_secret: 'invalid' }),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    ],
    [
      'missing refresh_token',
      ({ refresh_token: _, ...d }) => d,
      400,
      'invalid_request',
      'refresh_token is missing',
    ],
    [
      'invalid refresh_token',
      (d) => ({ ...d, refresh_token: 'invalid' }),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    ],
    ['missing grant_type', ({ grant_type: _, ...d }) => d, 400, 'invalid_request', 'grant_type is missing'],
    [
      'invalid grant_type',
      (d) => ({ ...d, grant_type: 'invalid' }),
      400,
      'unsupported_grant_type',
      'grant_type is invalid',
    ],
  ];
  for (const [name, change, status, error, description] of refreshErrors) {
    test(`TestAuthorizationCode::test_refresh_token_error_conditions[${name}]`, async () => {
      const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
      expectError(
        await postForm(f.emulator.tokenUrl(), change(refreshData(String(tok.json.refresh_token)))),
        status,
        error,
        description,
      );
    });
  }
  test('TestAuthorizationCode::test_authorize_endpoint', async () => {
    const q = new URLSearchParams({
      client_id: 'main-key',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: '1234',
    });
    const first = await http(`${f.emulator.url}/oauth2/authorize?${q}`);
    assert.equal(first.status, 302);
    // requests follows the redirect to the sign-in page.
    assert.equal((await http(String(first.headers.get('location')))).status, 200);
  });
  for (const [method, allowed, endpoint] of [
    ['GET', 'POST', '/token'],
    ['POST', 'GET', '/authorize'],
  ] as const) {
    test(`TestAuthorizationCode::test_token_endpoint_http_allowed_methods[${method}-${allowed}-${endpoint}]`, async () => {
      const res = await http(`${f.emulator.url}/oauth2${endpoint}`, { method });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), allowed);
    });
  }
  test('TestAuthorizationCode::test_cache_invalidation', async () => {
    const q = new URLSearchParams({
      client_id: 'main-key',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: 'st',
    });
    const first = await http(`${f.emulator.url}/oauth2/authorize?${q}`);
    const posted = await http(String(first.headers.get('location')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=656005750104',
    });
    const callback = String(posted.headers.get('location'));
    assert.equal((await http(callback)).status, 302);
    expectError(await http(callback), 400, 'invalid_request', 'Invalid state parameter.');
  });
  const paramErrors: [string, Record<string, string | undefined>, number, string][] = [
    ['invalid redirect_uri', { redirect_uri: '/invalid' }, 400, 'redirect_uri is invalid'],
    ['invalid client_id', { client_id: 'invalid' }, 401, 'client_id is invalid'],
    ['missing redirect_uri', { redirect_uri: undefined }, 400, 'redirect_uri is missing'],
    ['missing client_id', { client_id: undefined }, 401, 'client_id is missing'],
  ];
  const authorizeUrl = (change: Record<string, string | undefined>): string => {
    const p: Record<string, string | undefined> = {
      client_id: 'main-key',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: '1234',
      ...change,
    };
    return `${f.emulator.url}/oauth2/authorize?${new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => e[1] !== undefined))}`;
  };
  for (const [name, change, status, description] of paramErrors) {
    test(`TestAuthorizationCode::test_authorization_param_errors[${name}]`, async () => {
      expectError(await http(authorizeUrl(change)), status, 'invalid_request', description);
    });
  }
  const redirectErrors: [string, Record<string, string | undefined>, Record<string, string>][] = [
    [
      'missing state',
      { state: undefined },
      { error: 'invalid_request', error_description: 'state is missing' },
    ],
    [
      'missing response_type',
      { response_type: undefined },
      { error: 'invalid_request', error_description: 'response_type is missing', state: '1234' },
    ],
    [
      'invalid response_type',
      { response_type: 'invalid' },
      { error: 'unsupported_response_type', error_description: 'response_type is invalid', state: '1234' },
    ],
  ];
  for (const [name, change, expected] of redirectErrors) {
    test(`TestAuthorizationCode::test_authorization_params_redirects_errors[${name}]`, async () => {
      const res = await http(authorizeUrl(change));
      assert.equal(res.status, 302);
      const location = String(res.headers.get('location'));
      assert.ok(location.startsWith(REDIRECT), location);
      assert.deepEqual(Object.fromEntries(new URL(location).searchParams), expected);
    });
  }
  test('TestAuthorizationCode::test_authorize_revoked_app', async () => {
    const apiKey = testApp(['urn:nhsd:apim:user-nhs-cis2:aal3:hello-world'], { status: 'revoked' });
    const q = new URLSearchParams({
      client_id: apiKey,
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: '1234',
    });
    expectError(
      await http(`${f.emulator.url}/oauth2/authorize?${q}`),
      401,
      'access_denied',
      'The developer app associated with the API key is not approved or revoked',
    );
  });
  test('TestAuthorizationCode::test_access_token', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
    const res = await canary(String(tok.json.access_token));
    assert.equal(res.status, 200, res.text);
    assert.equal(String(res.json.message).toLowerCase(), 'hello user!');
  });
  for (const [name, token, faultstring, errorcode] of [
    [
      'ThisTokenIsInvalid',
      'ThisTokenIsInvalid',
      'Invalid Access Token',
      'keymanagement.service.invalid_access_token',
    ],
    ['empty', '', 'Invalid access token', 'oauth.v2.InvalidAccessToken'],
  ] as const) {
    test(`TestAuthorizationCode::test_invalid_access_token[${name}]`, async () => {
      const res = await canary(token);
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, { fault: { faultstring, detail: { errorcode } } });
    });
  }
  test('TestAuthorizationCode::test_expired_access_token', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), {
      ...(await tokenData()),
      _access_token_expiry_ms: '4',
    });
    await new Promise((r) => setTimeout(r, 50));
    const res = await canary(String(tok.json.access_token));
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, {
      fault: {
        faultstring: 'Access Token expired',
        detail: { errorcode: 'keymanagement.service.access_token_expired' },
      },
    });
  });
  for (const [ms, expected] of [
    [100000, 100],
    [500000, 500],
    [700000, 600],
    [1000000, 600],
  ] as const) {
    test(`TestAuthorizationCode::test_access_token_override_with_authorization_code[${ms}-${expected}]`, async () => {
      const res = await postForm(f.emulator.tokenUrl(), {
        ...(await tokenData()),
        _access_token_expiry_ms: String(ms),
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(Number(res.json.expires_in) <= expected, String(res.json.expires_in));
    });
    test(`TestAuthorizationCode::test_access_token_override_with_refresh_token[${ms}-${expected}]`, async () => {
      const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
      const res = await postForm(f.emulator.tokenUrl(), {
        ...refreshData(String(tok.json.refresh_token)),
        _refresh_tokens_validity_ms: '599',
        _access_token_expiry_ms: String(ms),
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(Number(res.json.expires_in) <= expected, String(res.json.expires_in));
    });
  }
  test('TestAuthorizationCode::test_missing_access_token', async () => {
    const res = await canary();
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, {
      fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } },
    });
  });
  test('TestAuthorizationCode::test_access_token_with_params', async () => {
    // The form sent as query parameters: no Content-Type. (Sic: the platform's message lacks "form-".)
    const res = await http(`${f.emulator.tokenUrl()}?${new URLSearchParams(await tokenData())}`, {
      method: 'POST',
    });
    expectError(res, 415, 'invalid_request', 'Content-Type header must be application/x-www-urlencoded');
  });
  test('TestAuthorizationCode::test_refresh_token_does_expire', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
    const r1 = await postForm(f.emulator.tokenUrl(), {
      ...refreshData(String(tok.json.refresh_token)),
      _refresh_token_expiry_ms: '4',
    });
    assert.equal(r1.status, 200, r1.text);
    await new Promise((r) => setTimeout(r, 50));
    expectError(
      await postForm(f.emulator.tokenUrl(), refreshData(String(r1.json.refresh_token))),
      401,
      'invalid_grant',
      'refresh token refresh period has expired',
    );
  });
  test('TestAuthorizationCode::test_re_use_of_refresh_token', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
    const data = refreshData(String(tok.json.refresh_token));
    const first = await postForm(f.emulator.tokenUrl(), data);
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.json).sort(), CODE_KEYS);
    expectError(
      await postForm(f.emulator.tokenUrl(), data),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    );
  });
  test('TestAuthorizationCode::test_cis2_refresh_tokens_generated_with_expected_expiry_combined_auth', async () => {
    const tok = await postForm(f.emulator.tokenUrl(), await tokenData());
    assert.equal(tok.json.expires_in, '599');
    assert.equal(tok.json.refresh_token_expires_in, '43199');
  });
  for (const [level, username] of [
    ['P0', '9912003073'],
    ['P5', '9912003072'],
    ['P9', '9912003071'],
  ] as const) {
    test(`TestAuthorizationCode::test_nhs_login_refresh_tokens_generated_with_expected_expiry_combined_auth[${level}]`, async () => {
      const tok = await combinedToken('main-key', username, 'oauth2', 'nhs-login');
      assert.equal(tok.status, 200, tok.text);
      assert.equal(tok.json.expires_in, '599');
      assert.equal(tok.json.refresh_token_expires_in, '3599');
    });
  }
  test('TestAuthorizationCode::test_authorize_unsubscribed_error_condition', async () => {
    const apiKey = testApp([], { otherProducts: ['canary-api-internal-dev'] });
    const q = new URLSearchParams({
      client_id: apiKey,
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: '1234',
    });
    expectError(await http(`${f.emulator.url}/oauth2/authorize?${q}`), 401, 'access_denied', NO_ACCESS);
  });
  test('TestAuthorizationCode::test_token_unsubscribed_error_condition', async () => {
    const apiKey = testApp(['urn:nhsd:apim:user-nhs-id:aal3:hello-world']);
    const back = await combinedAuth(apiKey, '656005750104');
    const code = String(new URL(String(back.headers.get('location'))).searchParams.get('code'));
    // The app loses its OAuth service product between sign-in and the code exchange.
    f.emulator.putApp({
      name: apiKey,
      apiKey,
      clientSecret: 'secret-1',
      redirectUri: REDIRECT,
      jwks: f.apps.main.jwks!,
      products: [],
      otherProducts: ['canary-api-internal-dev'],
    });
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: apiKey,
        client_secret: 'secret-1',
      }),
      401,
      'access_denied',
      NO_ACCESS,
    );
  });
  for (const basePath of ['oauth2', 'oauth2-mock'] as const) {
    test(`beyond upstream: /userinfo for a combined-auth CIS2 token (utils/response_bank.py shape) [${basePath}]`, async () => {
      const tok = await combinedToken('main-key', '656005750107', basePath);
      assert.equal(tok.status, 200, tok.text);
      const res = await userinfo(String(tok.json.access_token), basePath);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.sub, '656005750107');
      assert.equal(res.json.nhsid_useruid, '656005750107');
      assert.deepEqual(Object.keys(res.json).sort(), [
        'name',
        'nhsid_nrbac_roles',
        'nhsid_useruid',
        'selected_roleid',
        'sub',
      ]);
      assert.equal(
        (res.json.nhsid_nrbac_roles as { person_roleid: string }[])[0]?.person_roleid,
        '555254242105',
      );
    });
  }
  test('beyond upstream: /userinfo answers the access-token faults', async () => {
    const fault = (res: HttpResult, faultstring: string, errorcode: string): void => {
      assert.equal(res.status, 401, res.text);
      assert.deepEqual(res.json, { fault: { faultstring, detail: { errorcode } } });
    };
    fault(
      await http(`${f.emulator.url}/oauth2/userinfo`),
      'Invalid access token',
      'oauth.v2.InvalidAccessToken',
    );
    fault(await userinfo('invalid'), 'Invalid Access Token', 'keymanagement.service.invalid_access_token');
    const tok = await combinedToken('main-key', '656005750104', 'oauth2');
    const short = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: String(tok.json.refresh_token),
      client_id: 'main-key',
      client_secret: 'secret-1',
      _access_token_expiry_ms: '0',
    });
    assert.equal(short.json.expires_in, '0');
    fault(
      await userinfo(String(short.json.access_token)),
      'Access Token expired',
      'keymanagement.service.access_token_expired',
    );
  });
  test('TestAuthorizationCode::test_refresh_tokens_validity_expires', async () => {
    const tok = await combinedToken('main-key', '656005750104');
    const rt = String(tok.json.refresh_token);
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'refresh_token',
        refresh_token: rt,
        client_id: 'main-key',
        client_secret: 'secret-1',
        _refresh_tokens_validity_ms: '0',
      }),
      401,
      'invalid_grant',
      'refresh token refresh period has expired',
    );
    // The refresh was processed before the period check, so the token is burnt.
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'refresh_token',
        refresh_token: rt,
        client_id: 'main-key',
        client_secret: 'secret-1',
      }),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    );
  });
  test('beyond upstream: authorization_code reads _refresh_token_expiry_ms, not the validity', async () => {
    const back = await combinedAuth('main-key', '656005750104');
    const code = String(new URL(String(back.headers.get('location'))).searchParams.get('code'));
    const tok = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'main-key',
      client_secret: 'secret-1',
      _refresh_token_expiry_ms: '0',
      _refresh_tokens_validity_ms: '0',
    });
    assert.equal(tok.status, 200, tok.text);
    assert.equal(tok.json.refresh_token_expires_in, '0');
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'refresh_token',
        refresh_token: String(tok.json.refresh_token),
        client_id: 'main-key',
        client_secret: 'secret-1',
      }),
      401,
      'invalid_grant',
      'refresh token refresh period has expired',
    );
  });
});

describe('e2e/tests/oauth/test_token_exchange.py', () => {
  test('TestTokenExchange::test_userinfo_nhs_login_exchanged_token', async () => {
    const tok = await exchange('nhs-login', '9912003071');
    assert.equal(tok.status, 200, tok.text);
    expectError(await userinfo(String(tok.json.access_token)), 400, 'invalid_request', USERINFO_WRONG_AUTH);
  });
  test('TestTokenExchange::test_userinfo_cis2_exchanged_token', async () => {
    const tok = await exchange('cis2', '656005750104');
    expectError(await userinfo(String(tok.json.access_token)), 400, 'invalid_request', USERINFO_WRONG_AUTH);
  });
  test('beyond upstream: token exchange with a urn:nhsd:apim:user-nhs-id:aal3 scope (substring match)', async () => {
    const apiKey = testApp(['urn:nhsd:apim:user-nhs-id:aal3:hello-world']);
    const res = await exchange('cis2', '656005750104', apiKey);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await scopesOf(String(res.json.access_token)), [
      'urn:nhsd:apim:user-nhs-id:aal3:hello-world',
    ]);
  });
  test('beyond upstream: the client assertion is verified before the subject token is read', async () => {
    // A bad subject token is not looked at while the client assertion fails.
    const base = {
      grant_type: TOKEN_EXCHANGE,
      subject_token_type: ID_TOKEN_TYPE,
      client_assertion_type: ASSERTION_TYPE,
    };
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        ...base,
        subject_token: 'not-a-jwt',
        client_assertion: await assertion(f, 'main-key', { header: { kid: 'invalid' } }),
      }),
      401,
      'invalid_request',
      "Invalid 'kid' header in client_assertion JWT - no matching public key",
    );
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        ...base,
        client_assertion: await assertion(f, 'main-key', { omit: ['jti'] }),
      }),
      400,
      'invalid_request',
      "Missing 'jti' claim in client_assertion JWT",
    );
    expectError(
      await postForm(f.emulator.tokenUrl(), { ...base, client_assertion: await assertion(f, 'main-key') }),
      400,
      'invalid_request',
      'Missing subject_token',
    );
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        ...base,
        subject_token: 'not-a-jwt',
        client_assertion: await assertion(f, 'main-key'),
      }),
      400,
      'invalid_request',
      'Malformed JWT in subject_token',
    );
  });
  test('beyond upstream: token exchange reads only _access_token_expiry_ms (0 included)', async () => {
    const res = await exchange('nhs-login', '9912003071', 'main-key', {
      _access_token_expiry_ms: '0',
      _refresh_token_expiry_ms: '0',
      _refresh_tokens_validity_ms: '0',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.expires_in, '0');
    assert.equal(res.json.refresh_token_expires_in, '3599');
  });
});

// The strings are the current proxy's: older versions of this upstream file word some of them
// without "client_assertion" / "subject_token" ("Missing jti claim in JWT").
describe('e2e/tests/oauth/test_token_exchange.py (form, headers and claims)', () => {
  const EXCHANGE_KEYS = [
    'access_token',
    'expires_in',
    'issued_token_type',
    'refresh_count',
    'refresh_token',
    'refresh_token_expires_in',
    'token_type',
  ];
  const REFRESH_KEYS = [
    'access_token',
    'expires_in',
    'refresh_count',
    'refresh_token',
    'refresh_token_expires_in',
    'token_type',
  ];
  const now = (): number => Math.floor(Date.now() / 1000);
  /** A subject token with the platform fixture's CIS2 claims, self-signed: claim checks come before the signature. */
  const subjectToken = async (
    provider: 'cis2' | 'nhs-login',
    change: { omit?: string[]; claims?: Record<string, unknown> } = {},
  ): Promise<string> => {
    const base: Record<string, unknown> =
      provider === 'cis2'
        ? {
            sub: '787807429511',
            amr: ['N3_SMARTCARD'],
            iss: `${f.emulator.url}/mock-cis2`,
            tokenName: 'id_token',
            aud: '969567331415.apps.national',
            acr: 'AAL3_ANY',
            azp: '969567331415.apps.national',
            auth_time: 1610559802,
            realm: '/NHSIdentity/Healthcare',
            exp: now() + 300,
            iat: now() - 100,
            authentication_assurance_level: '3',
          }
        : {
            aud: 'tf_-APIM-1',
            id_status: 'verified',
            token_use: 'id',
            auth_time: 1616600683,
            iss: `${f.emulator.url}/mock-nhs-login`,
            vot: 'P9.Cp.Cd',
            exp: now() + 600,
            iat: now() - 10,
            jti: randomUUID(),
            identity_proofing_level: 'P9',
          };
    const claims = { ...base, ...change.claims };
    for (const k of change.omit ?? []) delete claims[k];
    const { SignJWT } = await import('jose');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'identity-service-tests-1' })
      .sign(f.otherKey);
  };
  const form = async (o: { assertion?: string; subject?: string } = {}): Promise<Record<string, string>> => ({
    subject_token_type: ID_TOKEN_TYPE,
    client_assertion_type: ASSERTION_TYPE,
    grant_type: TOKEN_EXCHANGE,
    subject_token: o.subject ?? (await subjectToken('cis2')),
    client_assertion: o.assertion ?? (await assertion(f, 'main-key')),
  });
  const post = (data: Record<string, string>): Promise<HttpResult> => postForm(f.emulator.tokenUrl(), data);

  test('TestTokenExchange::test_cis2_token_exchange_happy_path', async () => {
    const res = await exchange('cis2', '656005750104');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), EXCHANGE_KEYS);
    assert.equal(res.json.expires_in, '599');
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.refresh_count, '0');
    assert.equal(res.json.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
  });
  test('TestTokenExchange::test_cis2_token_exchange_refresh_token', async () => {
    const ex = await exchange('cis2', '656005750104');
    const r = await post({
      client_id: 'main-key',
      client_secret: 'secret-1',
      grant_type: 'refresh_token',
      refresh_token: String(ex.json.refresh_token),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.expires_in, '599');
    assert.equal(r.json.refresh_count, '1');
    assert.deepEqual(Object.keys(r.json).sort(), REFRESH_KEYS);
  });
  const formCases: [string, (d: Record<string, string>) => Record<string, string>, string][] = [
    [
      'invalid client_assertion_type',
      (d) => ({ ...d, client_assertion_type: 'invalid' }),
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    ],
    [
      'missing client_assertion_type',
      ({ client_assertion_type: _, ...d }) => d,
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    ],
    [
      'invalid subject_token_type',
      (d) => ({ ...d, subject_token_type: 'invalid' }),
      "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    ],
    [
      'missing subject_token_type',
      ({ subject_token_type: _, ...d }) => d,
      "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    ],
    ['invalid grant_type', (d) => ({ ...d, grant_type: 'invalid' }), 'grant_type is invalid'],
    ['missing grant_type', ({ grant_type: _, ...d }) => d, 'grant_type is invalid'],
    ['invalid subject_token', (d) => ({ ...d, subject_token: 'invalid' }), 'Malformed JWT in subject_token'],
    ['missing subject_token', ({ subject_token: _, ...d }) => d, 'Missing subject_token'],
    [
      'invalid client_assertion',
      (d) => ({ ...d, client_assertion: 'invalid' }),
      'Malformed JWT in client_assertion',
    ],
    ['missing client_assertion', ({ client_assertion: _, ...d }) => d, 'Missing client_assertion'],
  ];
  for (const [name, change, description] of formCases) {
    test(`TestTokenExchange::test_token_exchange_form_param_errors[${name}]`, async () => {
      expectError(await post(change(await form())), 400, 'invalid_request', description);
    });
  }
  const headerCases: [string, () => Promise<string>, number, string][] = [
    [
      'missing kid',
      () => assertion(f, 'main-key', { omit: ['kid'] }),
      400,
      "Missing 'kid' header in client_assertion JWT",
    ],
    [
      'invalid kid',
      () => assertion(f, 'main-key', { header: { kid: 'invalid' } }),
      401,
      "Invalid 'kid' header in client_assertion JWT - no matching public key",
    ],
    [
      'invalid typ',
      () => assertion(f, 'main-key', { header: { typ: 'invalid' } }),
      400,
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'None typ',
      () => assertion(f, 'main-key', { omit: ['typ'] }),
      400,
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
  ];
  for (const [name, make, status, description] of headerCases) {
    test(`TestTokenExchange::test_token_exchange_client_assertion_header_errors[${name}]`, async () => {
      expectError(
        await post(await form({ assertion: await make() })),
        status,
        'invalid_request',
        description,
      );
    });
  }
  const claimCases: [string, () => Promise<string>, string][] = [
    [
      'invalid iss',
      () => assertion(f, 'main-key', { claims: { iss: 'invalid' } }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing iss',
      () => assertion(f, 'main-key', { omit: ['iss'] }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'invalid sub',
      () => assertion(f, 'main-key', { claims: { sub: 'invalid' } }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing sub',
      () => assertion(f, 'main-key', { omit: ['sub'] }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing jti',
      () => assertion(f, 'main-key', { omit: ['jti'] }),
      "Missing 'jti' claim in client_assertion JWT",
    ],
    [
      'missing exp',
      () => assertion(f, 'main-key', { omit: ['exp'] }),
      "Missing 'exp' claim in client_assertion JWT",
    ],
    [
      'invalid exp - more than 5 minutes',
      () => assertion(f, 'main-key', { claims: { exp: now() + 50000 } }),
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    ],
    [
      'invalid exp - string',
      () => assertion(f, 'main-key', { claims: { exp: 'invalid' } }),
      "Invalid 'exp' claim in client_assertion JWT - must be an integer",
    ],
  ];
  for (const [name, make, description] of claimCases) {
    test(`TestTokenExchange::test_token_exchange_client_assertion_claims_errors[${name}]`, async () => {
      expectError(await post(await form({ assertion: await make() })), 400, 'invalid_request', description);
    });
  }
  test('TestTokenExchange::test_token_exchange_claims_assertion_invalid_jti_claim', async () => {
    const idToken = await mockSignIn(f.emulator.url, {
      provider: 'cis2',
      username: '656005750104',
      clientId: 'main-key',
      clientSecret: 'secret-1',
      redirectUri: REDIRECT,
    });
    const data = await form({ subject: idToken });
    const first = await post(data);
    assert.equal(first.status, 200, first.text);
    assert.match(String(first.json.issued_token_type), /access_token/);
    expectError(await post(data), 400, 'invalid_request', "Non-unique 'jti' claim in client_assertion JWT");
  });
  for (const provider of ['cis2', 'nhs-login'] as const) {
    const name =
      provider === 'cis2'
        ? 'test_token_exchange_subject_token_claims_errors'
        : 'test_token_exchange_nhs_login_subject_token_claims_errors';
    const cases: [string, { omit?: string[]; claims?: Record<string, unknown> }, number, string][] = [
      [
        'invalid iss',
        { claims: { iss: 'invalid' } },
        400,
        "Missing or non-matching 'iss' claim in subject_token JWT",
      ],
      ['missing iss', { omit: ['iss'] }, 400, "Missing 'iss' claim in subject_token JWT"],
      ['missing aud', { omit: ['aud'] }, 401, "Missing 'aud' claim in subject_token JWT"],
      ['missing exp', { omit: ['exp'] }, 400, "Missing 'exp' claim in subject_token JWT"],
    ];
    for (const [label, change, status, description] of cases) {
      test(`TestTokenExchange::${name}[${label}]`, async () => {
        expectError(
          await post(await form({ subject: await subjectToken(provider, change) })),
          status,
          'invalid_request',
          description,
        );
      });
    }
  }
  for (const [level, username] of [
    ['P0', '9912003073'],
    ['P5', '9912003072'],
    ['P9', '9912003071'],
  ] as const) {
    test(`TestTokenExchange::test_nhs_login_happy_path[${level}]`, async () => {
      const res = await exchange('nhs-login', username);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.json).sort(), EXCHANGE_KEYS);
      assert.equal(res.json.refresh_count, '0');
      assert.deepEqual(await scopesOf(String(res.json.access_token)), [
        `urn:nhsd:apim:user-nhs-login:${level}:hello-world`,
      ]);
    });
    test(`TestTokenExchange::test_nhs_login_token_exchange_refresh_token[${level}]`, async () => {
      const ex = await exchange('nhs-login', username);
      assert.equal(ex.json.expires_in, '599');
      assert.equal(ex.json.refresh_token_expires_in, '3599');
      const r = await post({
        client_id: 'main-key',
        client_secret: 'secret-1',
        grant_type: 'refresh_token',
        refresh_token: String(ex.json.refresh_token),
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.refresh_count, '1');
      assert.deepEqual(Object.keys(r.json).sort(), REFRESH_KEYS);
    });
  }
  test('TestTokenExchange::test_token_exchange_no_jwks_resource_url_set', async () => {
    const apiKey = testApp(['urn:nhsd:apim:user-nhs-cis2:aal3:hello-world'], { jwks: undefined });
    expectError(
      await post(await form({ assertion: await assertion(f, apiKey) })),
      403,
      'public_key error',
      'You need to register a public key to use this authentication method - please contact support to configure',
    );
  });
  test('TestTokenExchange::test_token_exchange_invalid_jwks_resource_url[no path]', async () => {
    const apiKey = testApp(['urn:nhsd:apim:user-nhs-cis2:aal3:hello-world'], {
      jwks: undefined,
      jwksUrl: 'http://invalid_url',
    });
    expectError(
      await post(await form({ assertion: await assertion(f, apiKey) })),
      403,
      'public_key error',
      "The JWKS endpoint, for your client_assertion can't be reached",
    );
  });
  test('beyond upstream: grant_type client_credentials with an id_token subject_token_type is the token-exchange flow', async () => {
    expectError(
      await post({ ...(await form()), grant_type: 'client_credentials' }),
      400,
      'invalid_request',
      'grant_type is invalid',
    );
  });
});

describe('check order (proxies/live/apiproxy/proxies/default.xml, flow PostToken)', () => {
  test('beyond upstream: PopulateCache.JTIClaim, a jti is burnt by an assertion refused after the claim checks', async () => {
    const jti = randomUUID();
    expectError(
      await cc(await assertion(f, 'main-key', { claims: { jti, aud: 'invalid' } })),
      401,
      'invalid_request',
      "Missing or invalid 'aud' claim in client_assertion JWT",
    );
    expectError(
      await cc(await assertion(f, 'main-key', { claims: { jti } })),
      400,
      'invalid_request',
      "Non-unique 'jti' claim in client_assertion JWT",
    );
  });
  test('beyond upstream: a jti refused by a claim check is not stored', async () => {
    const jti = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    expectError(
      await cc(await assertion(f, 'main-key', { claims: { jti, exp: now + 400 } })),
      400,
      'invalid_request',
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    );
    assert.equal((await cc(await assertion(f, 'main-key', { claims: { jti } }))).status, 200);
  });
  test('beyond upstream: client credentials for an app outside the OAuth service', async () => {
    const apiKey = testApp([], { otherProducts: ['canary-api-internal-dev'] });
    expectError(await cc(await assertion(f, apiKey)), 401, 'access_denied', NO_ACCESS);
  });
});

describe('e2e/tests/oauth/test_backchannel_logout.py', () => {
  const logoutToken = async (body: Record<string, unknown>): Promise<string> => {
    const res = await control('/logout-token', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, res.text);
    return String(res.json.logout_token);
  };
  const logout = (token: string, basePath = 'oauth2'): Promise<HttpResult> =>
    http(`${f.emulator.url}/${basePath}/backchannel_logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }).toString(),
    });

  for (const basePath of ['oauth2', 'oauth2-mock'] as const) {
    test(`TestBackChannelLogout::test_backchannel_logout_happy_path[${basePath}]`, async () => {
      const tok = await combinedToken('main-key', '656005750104', basePath);
      const access = String(tok.json.access_token);
      assert.equal((await userinfo(access, basePath)).status, 200);
      const res = await logout(await logoutToken({ accessToken: access }), basePath);
      assert.equal(res.status, 200, res.text);
      assert.equal((await userinfo(access, basePath)).status, 401);
    });
  }
  test('TestBackChannelLogout::test_backchannel_logout_user_refresh_token', async () => {
    const tok = await combinedToken('main-key', '656005750108');
    const access = String(tok.json.access_token);
    const r = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: String(tok.json.refresh_token),
      client_id: 'main-key',
      client_secret: 'secret-1',
    });
    const refreshed = String(r.json.access_token);
    assert.equal((await userinfo(refreshed)).status, 200);
    assert.equal((await logout(await logoutToken({ accessToken: access }))).status, 200);
    assert.equal((await userinfo(access)).status, 401);
    assert.equal((await userinfo(refreshed)).status, 401);
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'refresh_token',
        refresh_token: String(r.json.refresh_token),
        client_id: 'main-key',
        client_secret: 'secret-1',
      }),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    );
  });
  const iss = (): string => `${f.emulator.url}/mock-cis2`;
  const event = { 'http://schemas.openid.net/event/backchannel-logout': {} };
  const aud = 'nhs-auth-emulator-platform';
  const claimCases: [string, () => Record<string, unknown>, string][] = [
    [
      'invalid aud claim',
      () => ({
        aud: 'invalid_aud_claim',
        iss: iss(),
        sub: '9999999999',
        iat: 1,
        jti: randomUUID(),
        sid: 'x',
        events: event,
      }),
      'Missing/invalid aud claim in JWT',
    ],
    [
      'missing aud claim',
      () => ({ iss: iss(), sub: '9999999999', jti: randomUUID(), sid: 'x', events: event }),
      'Missing/invalid aud claim in JWT',
    ],
    [
      'invalid iss claim',
      () => ({
        aud,
        iss: 'invalid_iss_claim',
        sub: '9999999999',
        jti: randomUUID(),
        sid: 'x',
        events: event,
      }),
      'Missing/invalid iss claim in JWT',
    ],
    [
      'missing iss claim',
      () => ({ aud, sub: '9999999999', jti: randomUUID(), sid: 'x', events: event }),
      'Missing/invalid iss claim in JWT',
    ],
    [
      'missing sid claim',
      () => ({ aud, iss: iss(), sub: '9999999999', jti: randomUUID(), events: event }),
      'Missing sid claim in JWT',
    ],
    [
      'invalid events claim',
      () => ({
        aud,
        iss: iss(),
        sub: '9999999999',
        jti: randomUUID(),
        sid: 'x',
        events: { invalid_event_url: {} },
      }),
      'Missing/invalid events claim in JWT',
    ],
    [
      'missing events claim',
      () => ({ aud, iss: iss(), sub: '9999999999', jti: randomUUID(), sid: 'x' }),
      'Missing/invalid events claim in JWT',
    ],
    [
      'present nonce claim',
      () => ({
        aud,
        iss: iss(),
        sub: '9999999999',
        jti: randomUUID(),
        sid: 'x',
        events: event,
        nonce: 'valid_nonce',
      }),
      'Prohibited nonce claim in JWT',
    ],
  ];
  for (const [name, claims, description] of claimCases) {
    test(`TestBackChannelLogout::test_claims[${name}]`, async () => {
      expectError(await logout(await logoutToken({ claims: claims() })), 400, 'invalid_request', description);
    });
  }
  test('TestBackChannelLogout::test_invalid_jwt', async () => {
    expectError(
      await logout(await logoutToken({ sid: '5b8f2499-ad4a-4a7c-b0ac-aaada65bda2b', kid: 'invalid_kid' })),
      400,
      'invalid_request',
      'Unable to verify JWT',
    );
  });
  for (const sid of ['5b8f2499-ad4a-4a7c-b0ac-aaada65bda2b', '12a5019c-17e1-4977-8f42-65a12843ea02']) {
    test(`TestBackChannelLogout::test_sid_not_cached[${sid}]`, async () => {
      const res = await logout(await logoutToken({ sid }));
      assert.equal(res.status, 501, res.text);
    });
  }
});

describe('e2e/tests/oauth/test_oauth_health.py', () => {
  for (const basePath of ['oauth2', 'oauth2-mock'] as const) {
    test(`TestOauthHealth::test_ping[${basePath}]`, async () => {
      const res = await http(`${f.emulator.url}/${basePath}/_ping`);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json).sort(), ['commitId', 'releaseId', 'revision', 'version']);
    });
    test(`TestOauthHealth::test_status[${basePath}]`, async () => {
      const res = await http(`${f.emulator.url}/${basePath}/_status`, {
        headers: { apikey: f.emulator.controlToken },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.status, 'pass');
      assert.deepEqual(Object.keys(res.json).sort(), [
        'checks',
        'commitId',
        'releaseId',
        'revision',
        'status',
        'version',
      ]);
      const checks = res.json.checks as Record<string, { status: string }>;
      assert.equal(checks['nhs-cis2']?.status, 'pass');
      assert.equal(checks['nhs-login']?.status, 'pass');
    });
    for (const [name, headers] of [
      ['apikey invalid', { apikey: 'invalid' }],
      ['no apikey header', { invalid: 'invalid' }],
    ] as const) {
      test(`TestOauthHealth::test_status_errors[${basePath}-${name}]`, async () => {
        expectError(
          await http(`${f.emulator.url}/${basePath}/_status`, { headers }),
          401,
          'Access Denied',
          'Invalid api key for _status monitoring endpoint',
        );
      });
    }
  }
});
