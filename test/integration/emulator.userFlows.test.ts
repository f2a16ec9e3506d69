// Conformance: mock IdPs, token exchange, authorize/callback, authorization_code, refresh, Hello World.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import {
  ASSERTION_TYPE,
  assertion,
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
before(async () => {
  f = await startFixture();
});
after(async () => {
  await f.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const signIn = (
  provider: 'nhs-login' | 'cis2',
  username: string,
  clientId = 'main-key',
  clientSecret = 'secret-1',
): Promise<string> =>
  mockSignIn(f.emulator.url, { provider, username, clientId, clientSecret, redirectUri: REDIRECT });

async function exchange(
  idToken: string,
  apiKey = 'main-key',
  extra: Record<string, string> = {},
): Promise<HttpResult> {
  return postForm(f.emulator.tokenUrl(), {
    grant_type: TOKEN_EXCHANGE,
    subject_token_type: ID_TOKEN_TYPE,
    subject_token: idToken,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await assertion(f, apiKey),
    ...extra,
  });
}

const EXCHANGE_KEYS = [
  'access_token',
  'expires_in',
  'issued_token_type',
  'refresh_count',
  'refresh_token',
  'refresh_token_expires_in',
  'token_type',
];
const CODE_KEYS = [
  'access_token',
  'expires_in',
  'refresh_count',
  'refresh_token',
  'refresh_token_expires_in',
  'token_type',
];

describe('mock IdPs', () => {
  test('discovery and JWKS for both', async () => {
    for (const p of ['mock-nhs-login', 'mock-cis2']) {
      const d = await http(`${f.emulator.url}/${p}/.well-known/openid-configuration`);
      assert.equal(d.status, 200);
      assert.equal(d.json.issuer, `${f.emulator.url}/${p}`);
      const jwks = await http(String(d.json.jwks_uri));
      assert.equal((jwks.json.keys as unknown[]).length, 1);
    }
  });
  test('sign-in page is a plain HTML form listing the users; unknown user is refused', async () => {
    const q = new URLSearchParams({
      client_id: 'main-key',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: 's',
    });
    const page = await http(`${f.emulator.url}/mock-cis2/authorize?${q}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form[^>]*method="post"/);
    assert.match(page.text, /<input[^>]*name="username"/);
    assert.match(page.text, /656005750104/);
    const bad = await http(`${f.emulator.url}/mock-cis2/authorize?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=nobody',
    });
    assert.equal(bad.status, 200);
    assert.match(bad.text, /Unknown user/);
    await assert.rejects(signIn('cis2', '9912003071'), /rejected user/);
    await assert.rejects(signIn('nhs-login', '9912003071', 'main-key', 'wrong'), /invalid_client/);
  });
  const nhsUsers: [string, string][] = [
    ['9912003071', 'P9'],
    ['9912003072', 'P5'],
    ['9912003073', 'P0'],
  ];
  for (const [username, level] of nhsUsers) {
    test(`NHS login ${username} (${level}) ID token claims`, async () => {
      const id = await signIn('nhs-login', username);
      const h = decodeProtectedHeader(id);
      assert.equal(h.alg, 'RS512');
      assert.equal(h.typ, 'JWT');
      assert.ok(h.kid);
      const c = decodeJwt(id);
      assert.deepEqual(
        Object.keys(c).sort(),
        [
          'aud',
          'auth_time',
          'exp',
          'iat',
          'id_status',
          'identity_proofing_level',
          'iss',
          'jti',
          'nhs_number',
          'sub',
          'token_use',
          'vot',
          'vtm',
        ].sort(),
      );
      assert.equal(c.identity_proofing_level, level);
      assert.equal(c.nhs_number, username);
      assert.equal(c.aud, 'main-key');
      assert.equal(c.iss, `${f.emulator.url}/mock-nhs-login`);
    });
  }
  const cis2Users: [string, string, string | undefined][] = [
    ['656005750104', '3', undefined],
    ['656005750107', '3', '555254242105'],
    ['656005750108', '3', undefined],
    ['656005750109', '2', undefined],
    ['656005750111', '2', undefined],
    ['656005750112', '2', undefined],
    ['656005750110', '1', undefined],
  ];
  for (const [username, aal, role] of cis2Users) {
    test(`CIS2 ${username} (aal${aal}) ID token and token exchange`, async () => {
      const id = await signIn('cis2', username);
      const c = decodeJwt(id);
      for (const k of [
        'sub',
        'iss',
        'aud',
        'azp',
        'acr',
        'amr',
        'id_assurance_level',
        'authentication_assurance_level',
        'auth_time',
        'realm',
        'tokenName',
        'at_hash',
        'exp',
        'iat',
      ])
        assert.ok(k in c, k);
      assert.equal(String(c.authentication_assurance_level), aal);
      assert.equal(c.selected_roleid, role);
      const res = await exchange(id);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.json).sort(), EXCHANGE_KEYS);
      assert.equal(res.json.refresh_token_expires_in, '43199');
    });
  }
});

describe('token exchange', () => {
  for (const user of ['9912003071', '9912003072', '9912003073']) {
    test(`NHS login ${user}: exact keys and values`, async () => {
      const res = await exchange(await signIn('nhs-login', user));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.json).sort(), EXCHANGE_KEYS);
      assert.equal(res.json.expires_in, '599');
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal(res.json.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
      assert.equal(res.json.refresh_token_expires_in, '3599');
      assert.equal(res.json.refresh_count, '0');
    });
  }
  test('identity level without a matching product → unauthorized_client', async () => {
    const msg =
      'you have tried to request authorization but your application is not configured to use this authorization grant type';
    expectError(
      await exchange(await signIn('nhs-login', '9912003072', 'p9only-key'), 'p9only-key'),
      401,
      'unauthorized_client',
      msg,
    );
    expectError(
      await exchange(await signIn('cis2', '656005750104'), 'apponly-key'),
      401,
      'unauthorized_client',
      msg,
    );
    assert.equal(
      (await exchange(await signIn('nhs-login', '9912003071', 'p9only-key'), 'p9only-key')).status,
      200,
    );
  });
  test('form errors', async () => {
    const id = await signIn('cis2', '656005750104');
    expectError(
      await exchange(id, 'main-key', { subject_token_type: 'urn:x' }),
      400,
      'invalid_request',
      "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    );
    expectError(await exchange('', 'main-key'), 400, 'invalid_request', 'Missing subject_token');
    expectError(
      await exchange(id, 'main-key', { grant_type: 'nope' }),
      400,
      'invalid_request',
      'grant_type is invalid',
    );
    expectError(
      await exchange(id, 'main-key', { client_assertion_type: 'x' }),
      400,
      'invalid_request',
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    );
    expectError(
      await exchange(id, 'nobody'),
      401,
      'invalid_request',
      "Invalid 'iss'/'sub' claims in client_assertion JWT",
    );
  });
  test('subject token header and claim errors', async () => {
    const now = Math.floor(Date.now() / 1000);
    const iss = `${f.emulator.url}/mock-cis2`;
    const make = async (header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS512', ...header } as { alg: string }).sign(f.key);
    const base = { iss, aud: 'main-key', exp: now + 60, authentication_assurance_level: '3' };
    const rows: [Record<string, unknown>, Record<string, unknown>, number, string][] = [
      [{ typ: 'JWT' }, base, 400, "Missing 'kid' header in subject_token JWT"],
      [{ kid: 'k' }, base, 400, "Invalid 'typ' header in subject_token JWT - must be 'JWT'"],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, exp: undefined },
        400,
        "Missing 'exp' claim in subject_token JWT",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, exp: 'soon' },
        400,
        "Invalid 'exp' claim in subject_token JWT - must be an integer",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, exp: now - 5 },
        400,
        "Invalid 'exp' claim in subject_token JWT - JWT has expired",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, iss: undefined },
        400,
        "Missing 'iss' claim in subject_token JWT",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, aud: undefined },
        401,
        "Missing 'aud' claim in subject_token JWT",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        { ...base, iss: 'https://evil.example/realms/x' },
        400,
        "Missing or non-matching 'iss' claim in subject_token JWT",
      ],
      [
        { kid: 'k', typ: 'JWT' },
        base,
        401,
        "Invalid 'kid' header in subject_token JWT - no matching public key",
      ],
    ];
    for (const [header, claims, status, msg] of rows) {
      const clean = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
      expectError(await exchange(await make(header, clean)), status, 'invalid_request', msg);
    }
    expectError(await exchange('x.y'), 400, 'invalid_request', 'Malformed JWT in subject_token');
    // Right kid, wrong key: the signature check fails.
    const realKid = String(decodeProtectedHeader(await signIn('cis2', '656005750104')).kid);
    expectError(
      await exchange(await make({ kid: realKid, typ: 'JWT' }, base)),
      401,
      'public_key error',
      'JWT signature verification failed',
    );
  });
});

async function authorizeFlow(
  scope: 'nhs-login' | 'nhs-cis2',
  username: string,
  basePath: 'oauth2' | 'oauth2-mock' = 'oauth2',
): Promise<{ code: string; state: string }> {
  const state = `st-${Math.random()}`;
  const q = new URLSearchParams({
    client_id: 'main-key',
    redirect_uri: REDIRECT,
    response_type: 'code',
    state,
    scope,
  });
  const first = await http(`${f.emulator.url}/${basePath}/authorize?${q}`);
  assert.equal(first.status, 302);
  const idpUrl = String(first.headers.get('location'));
  assert.ok(
    idpUrl.startsWith(
      `${f.emulator.url}/${scope === 'nhs-login' ? 'mock-nhs-login' : 'mock-cis2'}/authorize?`,
    ),
    idpUrl,
  );
  const posted = await http(idpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `username=${username}`,
  });
  assert.equal(posted.status, 302);
  const callback = String(posted.headers.get('location'));
  assert.ok(callback.startsWith(`${f.emulator.url}/${basePath}/callback?`), callback);
  const back = await http(callback);
  assert.equal(back.status, 302);
  const final = new URL(String(back.headers.get('location')));
  assert.equal(`${final.origin}${final.pathname}`, REDIRECT);
  assert.equal(final.searchParams.get('state'), state);
  // Replaying the callback: the platform's state is gone.
  expectError(await http(callback), 400, 'invalid_request', 'Invalid state parameter.');
  return { code: String(final.searchParams.get('code')), state };
}

const codeForm = (code: string, extra: Record<string, string> = {}): Record<string, string> => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT,
  client_id: 'main-key',
  client_secret: 'secret-1',
  ...extra,
});

describe('authorize, callback and authorization_code', () => {
  test('authorize parameter errors', async () => {
    const url = (p: Record<string, string>): string =>
      `${f.emulator.url}/oauth2/authorize?${new URLSearchParams(p)}`;
    expectError(
      await http(url({ redirect_uri: REDIRECT, response_type: 'code', state: 's' })),
      401,
      'invalid_request',
      'client_id is missing',
    );
    expectError(
      await http(url({ client_id: 'nobody', redirect_uri: REDIRECT, response_type: 'code', state: 's' })),
      401,
      'invalid_request',
      'client_id is invalid',
    );
    expectError(
      await http(url({ client_id: 'main-key', response_type: 'code', state: 's' })),
      400,
      'invalid_request',
      'redirect_uri is missing',
    );
    expectError(
      await http(
        url({
          client_id: 'main-key',
          redirect_uri: 'https://evil.example/cb',
          response_type: 'code',
          state: 's',
        }),
      ),
      400,
      'invalid_request',
      'redirect_uri is invalid',
    );
    const noState = await http(url({ client_id: 'main-key', redirect_uri: REDIRECT, response_type: 'code' }));
    assert.equal(noState.status, 302);
    assert.equal(
      noState.headers.get('location'),
      `${REDIRECT}?error=invalid_request&error_description=state+is+missing`,
    );
    const noType = new URL(
      String(
        (await http(url({ client_id: 'main-key', redirect_uri: REDIRECT, state: 'abc' }))).headers.get(
          'location',
        ),
      ),
    );
    assert.deepEqual(Object.fromEntries(noType.searchParams), {
      error: 'invalid_request',
      error_description: 'response_type is missing',
      state: 'abc',
    });
    const badType = new URL(
      String(
        (
          await http(
            url({ client_id: 'main-key', redirect_uri: REDIRECT, state: 'abc', response_type: 'token' }),
          )
        ).headers.get('location'),
      ),
    );
    assert.deepEqual(Object.fromEntries(badType.searchParams), {
      error: 'unsupported_response_type',
      error_description: 'response_type is invalid',
      state: 'abc',
    });
  });
  test('POST /authorize → 405 Allow: GET', async () => {
    const res = await http(`${f.emulator.url}/oauth2/authorize`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET');
    assert.equal(res.text, '');
  });
  test('default scope goes to CIS2; code flow gives 43199; refresh rotates with count 1, 2', async () => {
    const q = new URLSearchParams({
      client_id: 'main-key',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: 'x',
    });
    const res = await http(`${f.emulator.url}/oauth2-mock/authorize?${q}`);
    const to = new URL(String(res.headers.get('location')));
    assert.equal(to.pathname, '/mock-cis2/authorize');
    assert.equal(to.searchParams.get('scope'), 'openid nationalrbacaccess');
    assert.equal(to.searchParams.get('max_age'), '300');

    const { code } = await authorizeFlow('nhs-cis2', '656005750104', 'oauth2-mock');
    const tok = await postForm(f.emulator.tokenUrl('oauth2-mock'), codeForm(code));
    assert.equal(tok.status, 200, tok.text);
    assert.deepEqual(Object.keys(tok.json).sort(), CODE_KEYS);
    assert.equal(tok.json.refresh_token_expires_in, '43199');
    assert.equal(tok.json.refresh_count, '0');
    assert.equal(tok.json.expires_in, '599');
    // The code is single use.
    expectError(
      await postForm(f.emulator.tokenUrl(), codeForm(code)),
      400,
      'invalid_grant',
      'authorization_code is invalid',
    );

    const r1 = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: String(tok.json.refresh_token),
      client_id: 'main-key',
      client_secret: 'secret-1',
    });
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual(Object.keys(r1.json).sort(), CODE_KEYS);
    assert.equal(r1.json.refresh_count, '1');
    assert.notEqual(r1.json.refresh_token, tok.json.refresh_token);
    const r2 = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: String(r1.json.refresh_token),
      client_id: 'main-key',
      client_secret: 'secret-1',
    });
    assert.equal(r2.json.refresh_count, '2');
    // Old token reuse: no grace period.
    expectError(
      await postForm(f.emulator.tokenUrl(), {
        grant_type: 'refresh_token',
        refresh_token: String(r1.json.refresh_token),
        client_id: 'main-key',
        client_secret: 'secret-1',
      }),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    );
  });
  test('NHS login via scope=nhs-login gives 3599', async () => {
    const { code } = await authorizeFlow('nhs-login', '9912003071');
    const tok = await postForm(f.emulator.tokenUrl(), codeForm(code));
    assert.equal(tok.status, 200, tok.text);
    assert.equal(tok.json.refresh_token_expires_in, '3599');
  });
  test('authorization_code error matrix', async () => {
    const { code } = await authorizeFlow('nhs-cis2', '656005750107');
    const t = f.emulator.tokenUrl();
    expectError(
      await postForm(t, codeForm(code, { client_id: '' })),
      401,
      'invalid_request',
      'client_id is missing',
    );
    expectError(
      await postForm(t, codeForm(code, { client_secret: '' })),
      401,
      'invalid_request',
      'client_secret is missing',
    );
    expectError(
      await postForm(t, codeForm(code, { redirect_uri: '' })),
      400,
      'invalid_request',
      'redirect_uri is missing',
    );
    expectError(await postForm(t, codeForm('')), 400, 'invalid_request', 'authorization_code is missing');
    expectError(
      await postForm(t, codeForm(code, { client_secret: 'wrong' })),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    );
    expectError(
      await postForm(t, codeForm(code, { client_id: 'nobody' })),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    );
    expectError(
      await postForm(t, codeForm(code, { redirect_uri: 'https://evil.example/cb' })),
      400,
      'invalid_request',
      'redirect_uri is invalid',
    );
    expectError(
      await postForm(t, codeForm('made-up')),
      400,
      'invalid_grant',
      'authorization_code is invalid',
    );
    assert.equal((await postForm(t, codeForm(code))).status, 200);
  });
});

describe('refresh', () => {
  const refresh = (token: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
    postForm(f.emulator.tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: token,
      client_id: 'main-key',
      client_secret: 'secret-1',
      ...extra,
    });

  test('token-exchange tokens refresh with a client secret; count "1"', async () => {
    const ex = await exchange(await signIn('cis2', '656005750104'));
    const r = await refresh(String(ex.json.refresh_token));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.refresh_count, '1');
    expectError(
      await refresh(String(ex.json.refresh_token)),
      401,
      'invalid_grant',
      'refresh_token is invalid',
    );
  });
  test('refresh error matrix', async () => {
    const ex = await exchange(await signIn('cis2', '656005750104'));
    const rt = String(ex.json.refresh_token);
    expectError(await refresh(rt, { client_id: '' }), 401, 'invalid_request', 'client_id is missing');
    expectError(await refresh(rt, { client_secret: '' }), 401, 'invalid_request', 'client_secret is missing');
    expectError(await refresh(''), 400, 'invalid_request', 'refresh_token is missing');
    expectError(
      await refresh(rt, { client_secret: 'nope' }),
      401,
      'invalid_client',
      'client_id or client_secret is invalid',
    );
    expectError(await refresh('made-up'), 401, 'invalid_grant', 'refresh_token is invalid');
    assert.equal((await refresh(rt)).status, 200);
  });
  test('one refresh token expires (shortened on the refresh grant): refresh period has expired', async () => {
    const ex = await exchange(await signIn('cis2', '656005750104'));
    const r1 = await refresh(String(ex.json.refresh_token), { _refresh_token_expiry_ms: '1200' });
    assert.equal(r1.json.refresh_token_expires_in, '0');
    await sleep(1300);
    expectError(
      await refresh(String(r1.json.refresh_token)),
      401,
      'invalid_grant',
      'refresh token refresh period has expired',
    );
  });
  test('token exchange reads only _access_token_expiry_ms: the refresh overrides are ignored', async () => {
    const ex = await exchange(await signIn('cis2', '656005750104'), 'main-key', {
      _access_token_expiry_ms: '0',
      _refresh_token_expiry_ms: '0',
      _refresh_tokens_validity_ms: '0',
    });
    assert.equal(ex.status, 200, ex.text);
    assert.equal(ex.json.expires_in, '0', '0 is a valid override');
    assert.equal(ex.json.refresh_token_expires_in, '43199');
  });
  test('whole validity period ends (shortened on the refresh grant); expires_in shrinks', async () => {
    const ex = await exchange(await signIn('nhs-login', '9912003071'));
    assert.equal(ex.json.refresh_token_expires_in, '3599');
    await sleep(1100);
    const r1 = await refresh(String(ex.json.refresh_token), { _refresh_tokens_validity_ms: '3500' });
    assert.equal(r1.status, 200, r1.text);
    assert.ok(Number(r1.json.refresh_token_expires_in) < 2, String(r1.json.refresh_token_expires_in));
    await sleep(2500);
    expectError(
      await refresh(String(r1.json.refresh_token)),
      401,
      'invalid_grant',
      'refresh token refresh period has expired',
    );
  });
});

describe('Hello World', () => {
  const hello = (path: string, token?: string): Promise<HttpResult> =>
    http(
      `${f.emulator.url}/hello-world/hello/${path}`,
      token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
    );
  const fault = (res: HttpResult, faultstring: string, errorcode: string): void => {
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(res.json, { fault: { faultstring, detail: { errorcode } } });
  };
  test('access matrix', async () => {
    assert.deepEqual((await hello('world')).json, { message: 'Hello World!' });
    const app = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(f, 'main-key'),
    });
    const user = await exchange(await signIn('cis2', '656005750104'));
    const appToken = String(app.json.access_token);
    const userToken = String(user.json.access_token);
    assert.deepEqual((await hello('application', appToken)).json, { message: 'Hello Application!' });
    assert.equal(String((await hello('user', userToken)).json.message).toLowerCase(), 'hello user!');
    fault(
      await hello('application', userToken),
      'Invalid Access Token',
      'keymanagement.service.invalid_access_token',
    );
    fault(
      await hello('user', appToken),
      'Invalid Access Token',
      'keymanagement.service.invalid_access_token',
    );
    fault(await hello('user'), 'Invalid access token', 'oauth.v2.InvalidAccessToken');
    fault(await hello('application', ''), 'Invalid access token', 'oauth.v2.InvalidAccessToken');
    fault(
      await hello('application', 'garbage'),
      'Invalid Access Token',
      'keymanagement.service.invalid_access_token',
    );
  });
  test('expired access token', async () => {
    const app = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(f, 'main-key'),
      _access_token_expiry_ms: '300',
    });
    await sleep(400);
    fault(
      await hello('application', String(app.json.access_token)),
      'Access Token expired',
      'keymanagement.service.access_token_expired',
    );
  });
});
