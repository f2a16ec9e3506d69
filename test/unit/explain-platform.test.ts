import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { explainError, explainPlatformResponse } from '../../src/core/explain/explainError.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';

// Every OAuth-style error string the platform returns, verbatim, with its status and error.
const OAUTH: [number, string, string][] = [
  [
    400,
    'invalid_request',
    "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
  ],
  [400, 'invalid_request', 'Missing client_assertion'],
  [400, 'invalid_request', 'Malformed JWT in client_assertion'],
  [400, 'invalid_request', "Missing 'alg' header in client_assertion JWT"],
  [
    400,
    'invalid_request',
    "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
  ],
  [400, 'invalid_request', "Missing 'kid' header in client_assertion JWT"],
  [400, 'invalid_request', "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"],
  [400, 'invalid_request', "Missing 'exp' claim in client_assertion JWT"],
  [400, 'invalid_request', "Invalid 'exp' claim in client_assertion JWT - must be an integer"],
  [400, 'invalid_request', "Invalid 'exp' claim in client_assertion JWT - JWT has expired"],
  [400, 'invalid_request', "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"],
  [400, 'invalid_request', "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"],
  [400, 'invalid_request', "Missing 'jti' claim in client_assertion JWT"],
  [
    400,
    'invalid_request',
    "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
  ],
  [400, 'invalid_request', "Non-unique 'jti' claim in client_assertion JWT"],
  [401, 'invalid_request', "Invalid 'iss'/'sub' claims in client_assertion JWT"],
  [401, 'invalid_request', "Missing or invalid 'aud' claim in client_assertion JWT"],
  [401, 'invalid_request', "Invalid 'kid' header in client_assertion JWT - no matching public key"],
  [
    403,
    'public_key error',
    'You need to register a public key to use this authentication method - please contact support to configure',
  ],
  [403, 'public_key error', "The JWKS endpoint, for your client_assertion can't be reached"],
  [401, 'public_key error', 'JWT signature verification failed'],
  [
    401,
    'unauthorized_client',
    'you have tried to request authorization but your application is not configured to use this authorization grant type',
  ],
  [
    400,
    'invalid_request',
    "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
  ],
  [400, 'invalid_request', 'grant_type is invalid'],
  [400, 'invalid_request', 'Missing subject_token'],
  [400, 'invalid_request', 'Malformed JWT in subject_token'],
  [400, 'invalid_request', "Missing 'kid' header in subject_token JWT"],
  [400, 'invalid_request', "Invalid 'typ' header in subject_token JWT - must be 'JWT'"],
  [400, 'invalid_request', "Missing 'iss' claim in subject_token JWT"],
  [400, 'invalid_request', "Missing 'exp' claim in subject_token JWT"],
  [400, 'invalid_request', "Invalid 'exp' claim in subject_token JWT - must be an integer"],
  [400, 'invalid_request', "Invalid 'exp' claim in subject_token JWT - JWT has expired"],
  [400, 'invalid_request', "Missing or non-matching 'iss' claim in subject_token JWT"],
  [401, 'invalid_request', "Missing 'aud' claim in subject_token JWT"],
  [401, 'invalid_request', "Invalid 'kid' header in subject_token JWT - no matching public key"],
  [401, 'invalid_request', 'client_id is missing'],
  [401, 'invalid_request', 'client_secret is missing'],
  [401, 'invalid_client', 'client_id or client_secret is invalid'],
  [400, 'invalid_request', 'redirect_uri is missing'],
  [400, 'invalid_request', 'redirect_uri is invalid'],
  [400, 'invalid_request', 'authorization_code is missing'],
  [400, 'invalid_request', 'refresh_token is missing'],
  [400, 'invalid_grant', 'authorization_code is invalid'],
  [401, 'invalid_grant', 'refresh_token is invalid'],
  [401, 'invalid_grant', 'refresh token refresh period has expired'],
  [400, 'invalid_request', 'grant_type is missing'],
  [400, 'unsupported_grant_type', 'grant_type is invalid'],
  [415, 'invalid_request', 'Content-Type header must be application/x-www-form-urlencoded'],
  [
    401,
    'access_denied',
    'API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.',
  ],
  [401, 'access_denied', 'The developer app associated with the API key is not approved or revoked'],
  [
    500,
    'unknown_error',
    'An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID',
  ],
  [401, 'invalid_request', 'client_id is invalid'],
  [302, 'invalid_request', 'state is missing'],
  [302, 'invalid_request', 'response_type is missing'],
  [302, 'unsupported_response_type', 'response_type is invalid'],
  [400, 'invalid_request', 'Invalid state parameter.'],
  [401, 'invalid_request', 'Invalid api key for _status monitoring endpoint'],
  [400, 'invalid_request', 'Unable to verify JWT'],
  [501, 'invalid_request', 'SID not found'],
];

const FAULTS: [number, string, string][] = [
  [401, 'Invalid Access Token', 'keymanagement.service.invalid_access_token'],
  [401, 'Invalid access token', 'oauth.v2.InvalidAccessToken'],
  [401, 'Access Token expired', 'keymanagement.service.access_token_expired'],
  [500, 'Invalid client identifier {0}', 'oauth.v2.InvalidClientIdentifier'],
  [429, 'Spike arrest violation. Allowed rate : 300000pm', 'policies.ratelimit.SpikeArrestViolation'],
  [429, 'Rate limit quota violation. Quota limit  exceeded.', 'policies.ratelimit.QuotaViolation'],
];

const GENERIC_IDS = new Set(['oauth-unknown', 'unexpected', 'fault-unknown', 'http-status']);

describe('explainError: every platform error string', () => {
  for (const [status, error, description] of OAUTH) {
    test(`${status} ${error}: ${description.slice(0, 60)}`, () => {
      const err = new AuthExplorerError('ERR_OAUTH', 'x', {
        status,
        error,
        error_description: description,
        message_id: 'rrt-1-2-3',
      });
      const x = explainError(err);
      assert.ok(!GENERIC_IDS.has(x.id), `generic explanation for ${description}`);
      assert.ok(x.title.length > 0 && x.fix.length > 0);
      assert.ok(x.causes.length >= 1 && x.causes.every((c) => c.length > 10));
      assert.deepEqual(x.platform, {
        status,
        error,
        error_description: description,
        message_id: 'rrt-1-2-3',
      });
    });
  }
  for (const [status, faultstring, errorcode] of FAULTS) {
    test(`fault ${status} ${errorcode}`, () => {
      const x = explainPlatformResponse(status, { fault: { faultstring, detail: { errorcode } } });
      assert.ok(!GENERIC_IDS.has(x.id), errorcode);
      assert.equal(x.platform?.error, errorcode);
      assert.equal(x.platform?.error_description, faultstring);
      assert.ok(x.causes.length >= 1);
    });
  }
  test('Hello World 401 {"message":"Invalid access token"} and 429 bodies', () => {
    assert.equal(
      explainPlatformResponse(401, { message: 'Invalid access token' }).id,
      'api-invalid-access-token',
    );
    const rl = explainPlatformResponse(429, {
      message:
        'Your application, X, has exceeded its quota of 300 requests every 1 minute(s) and is being rate limited.',
    });
    assert.equal(rl.id, 'rate-limited');
    assert.match(rl.causes[0] ?? '', /exceeded its quota/);
    const rl2 = explainError(
      new AuthExplorerError('ERR_RATE_LIMITED', 'x', { status: 429, retryAfterMs: 3000 }),
    );
    assert.match(rl2.fix, /3 s/);
  });
  test('405 and 404 without bodies', () => {
    assert.equal(
      explainError(new AuthExplorerError('ERR_HTTP_STATUS', 'x', { status: 405, allow: 'POST' })).id,
      'method-not-allowed',
    );
    assert.equal(
      explainError(new AuthExplorerError('ERR_HTTP_STATUS', 'x', { status: 404, message: 'Not Found' })).id,
      'not-found',
    );
  });
});

describe('contextual ordering', () => {
  const T = Date.parse('2026-03-01T09:00:00Z');
  const session = (over: Partial<SessionSnapshot>): SessionSnapshot => ({
    profileId: 'p',
    grant: 'token_exchange',
    identityProvider: 'cis2',
    tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
    accessToken: 'a',
    tokenType: 'Bearer',
    issuedAt: T,
    accessTokenExpiresAt: T + 599_000,
    refreshToken: 'RT-current',
    refreshTokenExpiresAt: T + 43_199_000,
    refreshPeriodEndsAt: T + 43_199_000,
    refreshCount: 0,
    clockSkewMs: 0,
    responseKeys: [],
    ...over,
  });
  const invalid = new AuthExplorerError('ERR_OAUTH', 'x', {
    status: 401,
    error: 'invalid_grant',
    error_description: 'refresh_token is invalid',
    grant: 'refresh_token',
  });

  test('refresh_token is invalid: single-use first by default (every cause present)', () => {
    const x = explainError(invalid);
    assert.equal(x.causes.length, 4);
    assert.match(x.causes[0] ?? '', /single-use/);
    assert.ok(
      x.causes.some((c) => /expired/.test(c)) &&
        x.causes.some((c) => /environment/.test(c)) &&
        x.causes.some((c) => /[Aa]udience/.test(c)),
    );
  });
  test('expired first when the session period is over', () => {
    const x = explainError(invalid, { session: session({ refreshPeriodEndsAt: T + 1000 }), now: T + 5000 });
    assert.match(x.causes[0] ?? '', /expired/);
  });
  test('already used first when an old token was sent; environment first when the URL differs', () => {
    const x = explainError(invalid, {
      session: session({ refreshCount: 2 }),
      sentRefreshToken: 'RT-old',
      now: T,
    });
    assert.match(x.causes[0] ?? '', /not the latest/);
    const y = explainError(invalid, {
      session: session({}),
      tokenUrl: 'https://api.service.nhs.uk/oauth2/token',
      now: T,
    });
    assert.match(y.causes[0] ?? '', /another environment/);
  });
  test('Invalid client identifier: application id first when a GUID is used as the key', () => {
    const fault = new AuthExplorerError('ERR_APIGEE_FAULT', 'x', {
      status: 500,
      faultstring: 'Invalid client identifier {0}',
      errorcode: 'oauth.v2.InvalidClientIdentifier',
    });
    const g = explainError(fault, { apiKey: '0b9f4a6e-1234-4c4c-9a9a-0123456789ab' });
    assert.match(g.causes[0] ?? '', /application id/);
    const k = explainError(fault, { apiKey: 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56' });
    assert.match(k.causes[0] ?? '', /sandbox app/);
    assert.ok(k.causes.some((c) => /regenerated/.test(c)));
  });
  test('aud error names the URL called', () => {
    const x = explainError(
      new AuthExplorerError('ERR_OAUTH', 'x', {
        status: 401,
        error: 'invalid_request',
        error_description: "Missing or invalid 'aud' claim in client_assertion JWT",
      }),
      { tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token', environment: 'int' },
    );
    assert.match(x.causes[0] ?? '', /int\.api\.service\.nhs\.uk/);
  });
});

describe('network, body and session failures', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['ERR_HTTP_TIMEOUT', { timeoutMs: 5000, grant: 'refresh_token' }, 'timeout', /30 s/],
    ['ERR_HTTP_DNS', {}, 'dns', /resolve/],
    ['ERR_HTTP_CONNECT', {}, 'connect', /Nothing was sent/],
    ['ERR_HTTP_TLS', {}, 'tls', /NODE_EXTRA_CA_CERTS/],
    ['ERR_HTTP_RESET', { grant: 'refresh_token' }, 'reset', /refresh/],
    ['ERR_HTTP_RESPONSE_TOO_LARGE', {}, 'too-large', /token URL/],
    ['ERR_HTTP_NOT_JSON', { status: 200, html: true, excerpt: '<html>Proxy</html>' }, 'not-json', /proxy/i],
    ['ERR_REFRESH_OUTCOME_UNKNOWN', { timeoutMs: 5000 }, 'refresh-outcome-unknown', /Sign in again/],
    ['ERR_REFRESH_PERIOD_OVER', { refreshPeriodEndsAt: 0 }, 'refresh-period-over', /Sign in again/],
    ['ERR_NO_REFRESH_TOKEN', {}, 'no-refresh-token', /new token/],
    ['ERR_SESSION_MISSING', {}, 'session-missing', /Request a token/],
    ['ERR_SESSION_STORE', {}, 'session-store', /Sign in again/],
    ['ERR_OAUTH_STATE', {}, 'state-mismatch', /again/],
    ['ERR_TOKEN_RESPONSE_INVALID', {}, 'token-response-invalid', /wrapper/],
    ['ERR_CANCELLED', {}, 'cancelled', /again/],
    ['ERR_URL_INVALID', {}, 'url-invalid', /https/],
  ];
  for (const [code, details, id, fix] of cases) {
    test(code, () => {
      const x = explainError(new AuthExplorerError(code as 'ERR_HTTP_TIMEOUT', 'm', details));
      assert.equal(x.code, code);
      assert.equal(x.id, id);
      assert.match(`${x.fix} ${x.causes.join(' ')}`, fix);
    });
  }
  test('timeout below 30 s puts the short timeout first', () => {
    const x = explainError(new AuthExplorerError('ERR_HTTP_TIMEOUT', 'm', { timeoutMs: 5000 }));
    assert.match(x.causes[0] ?? '', /5 s, below the 30 s/);
  });
  test('an HTML 503 is explained as an error worth retrying', () => {
    const x = explainError(new AuthExplorerError('ERR_HTTP_NOT_JSON', 'm', { status: 503, html: true }));
    assert.match(x.title, /not a success/);
    assert.match(x.fix, /Retry/);
  });
  test('5xx on a refresh warns about a burnt token; unknown values never crash', () => {
    const x = explainError(
      new AuthExplorerError('ERR_HTTP_STATUS', 'm', { status: 502, grant: 'refresh_token' }),
    );
    assert.ok(x.causes.some((c) => /burnt/.test(c)));
    assert.equal(explainError(new Error('boom')).id, 'unexpected');
    assert.equal(explainError('string').id, 'unexpected');
    assert.equal(explainError(undefined).id, 'unexpected');
    assert.equal(explainPlatformResponse(418, null).id, 'http-status');
  });
});
