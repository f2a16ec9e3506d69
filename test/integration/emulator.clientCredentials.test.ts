// Conformance: POST /oauth2/token client_credentials and the client assertion error matrix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  assertion,
  clientCredentialsForm,
  expectError,
  http,
  postForm,
  startFixture,
} from './emulatorFixtures.ts';
import type { Fixture, HttpResult } from './emulatorFixtures.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => {
  await f.close();
});

const cc = async (a: string, url = f.emulator.tokenUrl()): Promise<HttpResult> =>
  postForm(url, clientCredentialsForm(a));

describe('client_credentials happy path', () => {
  test('exact keys and string values, under /oauth2 and /oauth2-mock', async () => {
    for (const base of ['oauth2', 'oauth2-mock'] as const) {
      const url = f.emulator.tokenUrl(base);
      const before = Date.now();
      const res = await cc(await assertion(f, 'main-key', {}, url), url);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.json).sort(), [
        'access_token',
        'expires_in',
        'issued_at',
        'token_type',
      ]);
      assert.equal(res.json.expires_in, '599');
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal(typeof res.json.access_token, 'string');
      assert.ok(Number(res.json.issued_at) >= before && Number(res.json.issued_at) <= Date.now());
      assert.equal(res.headers.get('content-type'), 'application/json');
    }
  });
  test('typ is case-insensitive and iat is not required', async () => {
    const res = await cc(await assertion(f, 'main-key', { header: { typ: 'jwt' } }));
    assert.equal(res.status, 200, res.text);
  });
  test('_access_token_expiry_ms shortens only', async () => {
    const short = await postForm(
      f.emulator.tokenUrl(),
      clientCredentialsForm(await assertion(f, 'main-key'), { _access_token_expiry_ms: '5000' }),
    );
    assert.equal(short.json.expires_in, '4');
    const long = await postForm(
      f.emulator.tokenUrl(),
      clientCredentialsForm(await assertion(f, 'main-key'), { _access_token_expiry_ms: '900000' }),
    );
    assert.equal(long.json.expires_in, '599');
  });
  test('JWKS from jwks-resource-url, fetched with User-Agent APIM and cached', async () => {
    const hitsBefore = f.jwksHits();
    for (let i = 0; i < 3; i++) assert.equal((await cc(await assertion(f, 'jwksurl-key'))).status, 200);
    assert.equal(f.jwksHits() - hitsBefore, 1);
    // An unknown kid does not trigger a re-fetch (cached 3600 s per URL).
    expectError(
      await cc(await assertion(f, 'jwksurl-key', { header: { kid: 'new-kid' } })),
      401,
      'invalid_request',
      "Invalid 'kid' header in client_assertion JWT - no matching public key",
    );
    assert.equal(f.jwksHits() - hitsBefore, 1);
  });
});

describe('client assertion form parameters', () => {
  test('missing or wrong client_assertion_type', async () => {
    const msg =
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'";
    const a = await assertion(f, 'main-key');
    expectError(
      await postForm(f.emulator.tokenUrl(), { grant_type: 'client_credentials', client_assertion: a }),
      400,
      'invalid_request',
      msg,
    );
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'client_credentials',
        client_assertion_type: 'x',
        client_assertion: a,
      }),
      400,
      'invalid_request',
      msg,
    );
  });
  test('missing client_assertion', async () => {
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      }),
      400,
      'invalid_request',
      'Missing client_assertion',
    );
  });
  test('malformed JWT', async () => {
    expectError(await cc('not-a-jwt'), 400, 'invalid_request', 'Malformed JWT in client_assertion');
    expectError(await cc('a.b.c'), 400, 'invalid_request', 'Malformed JWT in client_assertion');
  });
});

describe('client assertion header and claims (400)', () => {
  const rows: [string, () => Promise<string>, string][] = [
    [
      'alg RS256',
      () => assertion(f, 'main-key', { header: { alg: 'RS256' } }),
      "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    ],
    [
      'alg HS512',
      () => assertion(f, 'main-key', { header: { alg: 'HS512' } }),
      "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    ],
    [
      'alg PS512',
      () => assertion(f, 'main-key', { header: { alg: 'PS512' } }),
      "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    ],
    [
      'expired',
      () => assertion(f, 'main-key', { claims: { exp: Math.floor(Date.now() / 1000) - 20 } }),
      "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
    ],
    [
      'expired wins over missing kid',
      () => assertion(f, 'main-key', { omit: ['kid'], claims: { exp: 1000 } }),
      "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
    ],
    [
      'missing kid',
      () => assertion(f, 'main-key', { omit: ['kid'] }),
      "Missing 'kid' header in client_assertion JWT",
    ],
    [
      'missing typ',
      () => assertion(f, 'main-key', { omit: ['typ'] }),
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'wrong typ',
      () => assertion(f, 'main-key', { header: { typ: 'at+jwt' } }),
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    ],
    [
      'missing exp',
      () => assertion(f, 'main-key', { omit: ['exp'] }),
      "Missing 'exp' claim in client_assertion JWT",
    ],
    [
      'string exp',
      () => assertion(f, 'main-key', { claims: { exp: String(Math.floor(Date.now() / 1000) + 60) } }),
      "Invalid 'exp' claim in client_assertion JWT - must be an integer",
    ],
    [
      'missing iss',
      () => assertion(f, 'main-key', { omit: ['iss'] }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing sub',
      () => assertion(f, 'main-key', { omit: ['sub'] }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'iss != sub',
      () => assertion(f, 'main-key', { claims: { sub: 'other' } }),
      "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
    ],
    [
      'missing jti',
      () => assertion(f, 'main-key', { omit: ['jti'] }),
      "Missing 'jti' claim in client_assertion JWT",
    ],
    [
      'numeric jti',
      () => assertion(f, 'main-key', { claims: { jti: 1234 } }),
      "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
    ],
    [
      'exp > now+310 s',
      () => assertion(f, 'main-key', { claims: { exp: Math.floor(Date.now() / 1000) + 400 } }),
      "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
    ],
  ];
  for (const [name, make, msg] of rows) {
    test(name, async () => expectError(await cc(await make()), 400, 'invalid_request', msg));
  }
  test('reused jti', async () => {
    const jti = randomUUID();
    assert.equal((await cc(await assertion(f, 'main-key', { claims: { jti } }))).status, 200);
    expectError(
      await cc(await assertion(f, 'main-key', { claims: { jti } })),
      400,
      'invalid_request',
      "Non-unique 'jti' claim in client_assertion JWT",
    );
    // jti is unique per client: another client may use the same value.
    assert.equal((await cc(await assertion(f, 'jwksurl-key', { claims: { jti } }))).status, 200);
  });
});

describe('client assertion app, key and signature checks', () => {
  test('unknown API key → 401', async () => {
    expectError(
      await cc(await assertion(f, 'nobody')),
      401,
      'invalid_request',
      "Invalid 'iss'/'sub' claims in client_assertion JWT",
    );
  });
  test('revoked app → 401 access_denied', async () => {
    expectError(
      await cc(await assertion(f, 'revoked-key')),
      401,
      'access_denied',
      'The developer app associated with the API key is not approved or revoked',
    );
  });
  test('no public key registered → 403', async () => {
    expectError(
      await cc(await assertion(f, 'nokey-key')),
      403,
      'public_key error',
      'You need to register a public key to use this authentication method - please contact support to configure',
    );
  });
  test('JWKS URL unreachable → 403', async () => {
    expectError(
      await cc(await assertion(f, 'deadjwks-key')),
      403,
      'public_key error',
      "The JWKS endpoint, for your client_assertion can't be reached",
    );
  });
  test('wrong aud → 401, including the other base path and a trailing slash', async () => {
    const msg = "Missing or invalid 'aud' claim in client_assertion JWT";
    expectError(
      await cc(await assertion(f, 'main-key', {}, f.emulator.tokenUrl('oauth2-mock'))),
      401,
      'invalid_request',
      msg,
    );
    expectError(
      await cc(await assertion(f, 'main-key', {}, `${f.emulator.tokenUrl()}/`)),
      401,
      'invalid_request',
      msg,
    );
    expectError(await cc(await assertion(f, 'main-key', { omit: ['aud'] })), 401, 'invalid_request', msg);
  });
  test('kid not in JWKS → 401', async () => {
    expectError(
      await cc(await assertion(f, 'main-key', { header: { kid: 'nope' } })),
      401,
      'invalid_request',
      "Invalid 'kid' header in client_assertion JWT - no matching public key",
    );
  });
  test('bad signature → 401 public_key error', async () => {
    expectError(
      await cc(await assertion(f, 'main-key', { key: f.otherKey })),
      401,
      'public_key error',
      'JWT signature verification failed',
    );
    const good = await assertion(f, 'main-key');
    expectError(
      await cc(`${good.slice(0, -4)}AAAA`),
      401,
      'public_key error',
      'JWT signature verification failed',
    );
  });
  test('no application-restricted product → 401 unauthorized_client', async () => {
    expectError(
      await cc(await assertion(f, 'useronly-key')),
      401,
      'unauthorized_client',
      'you have tried to request authorization but your application is not configured to use this authorization grant type',
    );
  });
  test('jose default (no typ) fails with the typ error', async () => {
    const now = Math.floor(Date.now() / 1000);
    const a = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS512', kid: 'test-1' })
      .setIssuer('main-key')
      .setSubject('main-key')
      .setAudience(f.emulator.tokenUrl())
      .setJti(randomUUID())
      .setExpirationTime(now + 60)
      .sign(f.key);
    expectError(
      await cc(a),
      400,
      'invalid_request',
      "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
    );
  });
});

describe('token endpoint general errors', () => {
  test('415 for another content type, and for ;charset=UTF-8 (unsure on the platform)', async () => {
    const msg = 'Content-Type header must be application/x-www-urlencoded';
    const form = clientCredentialsForm(await assertion(f, 'main-key'));
    expectError(await postForm(f.emulator.tokenUrl(), form, 'application/json'), 415, 'invalid_request', msg);
    expectError(
      await postForm(f.emulator.tokenUrl(), form, 'application/x-www-form-urlencoded;charset=UTF-8'),
      415,
      'invalid_request',
      msg,
    );
  });
  test('GET /token → 405, empty body, Allow: POST', async () => {
    const res = await http(f.emulator.tokenUrl());
    assert.equal(res.status, 405);
    assert.equal(res.text, '');
    assert.equal(res.headers.get('allow'), 'POST');
  });
  test('grant_type missing / unsupported / password', async () => {
    expectError(await postForm(f.emulator.tokenUrl(), {}), 400, 'invalid_request', 'grant_type is missing');
    expectError(
      await postForm(f.emulator.tokenUrl(), { grant_type: 'magic' }),
      400,
      'unsupported_grant_type',
      'grant_type is invalid',
    );
    expectError(
      await postForm(f.emulator.tokenUrl(), { grant_type: 'password', username: 'u', password: 'p' }),
      400,
      'unsupported_grant_type',
      'grant_type is invalid',
    );
  });
  test('404 Not Found', async () => {
    const res = await http(`${f.emulator.url}/oauth2/nowhere`);
    assert.equal(res.status, 404);
    assert.equal(res.json.error_description, 'Not Found');
    assert.equal((await http(`${f.emulator.url}/elsewhere`)).status, 404);
  });
});
