// Every error string of the platform (the proxy's policies, the NHS docs page's tables in both
// wordings, the Apigee faults) gets its own explanation: never the generic fallback.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainPlatformResponse } from '../../src/core/explain/explainError.ts';
import { FAULT_CATALOGUE } from '../../src/core/explain/platformCatalogue.ts';
import { explainText } from '../../src/core/explain/explainText.ts';
import { PLATFORM_ERRORS } from '../../src/core/platform/platformErrors.ts';
import { main } from '../../src/cli/main.ts';

const GENERIC = new Set(['oauth-unknown', 'fault-unknown', 'unexpected', 'http-status']);

// [error_description as sent, the explanation id it must get]
const STRINGS: [string, string][] = [
  [
    "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    'assertion-type',
  ],
  ['Missing client_assertion', 'assertion-missing'],
  ['Malformed JWT in client_assertion', 'assertion-malformed'],
  ["Missing 'alg' header in client_assertion JWT", 'assertion-alg-missing'],
  [
    "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
    'assertion-alg',
  ],
  ["Missing 'kid' header in client_assertion JWT", 'assertion-kid-missing'],
  ["Invalid 'typ' header in client_assertion JWT - must be 'JWT'", 'assertion-typ'],
  ["Missing 'exp' claim in client_assertion JWT", 'assertion-exp-missing'],
  ["Invalid 'exp' claim in client_assertion JWT - must be an integer", 'assertion-exp-type'],
  ["Invalid 'exp' claim in client_assertion JWT - JWT has expired", 'assertion-expired'],
  ["Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future", 'assertion-exp-future'],
  ["Missing or non-matching 'iss'/'sub' claims in client_assertion JWT", 'assertion-iss-sub'],
  ["Missing 'jti' claim in client_assertion JWT", 'assertion-jti-missing'],
  [
    "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
    'assertion-jti-type',
  ],
  ["Non-unique 'jti' claim in client_assertion JWT", 'assertion-jti-reused'],
  ["Invalid 'iss'/'sub' claims in client_assertion JWT", 'assertion-iss-unknown'],
  ["Missing or invalid 'aud' claim in client_assertion JWT", 'assertion-aud'],
  ["Invalid 'kid' header in client_assertion JWT - no matching public key", 'assertion-kid-unknown'],
  [
    'You need to register a public key to use this authentication method - please contact support to configure',
    'jwks-not-registered',
  ],
  ["The JWKS endpoint, for your client_assertion can't be reached", 'jwks-unreachable'],
  ['The JWKS endpoint for your client_assertion can not be reached', 'jwks-unreachable'],
  ['JWT signature verification failed', 'assertion-signature'],
  [
    'you have tried to request authorization but your application is not configured to use this authorization grant type',
    'unauthorized-client',
  ],
  [
    "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    'subject-token-type',
  ],
  [
    "Missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    'subject-token-type',
  ],
  ['grant_type is invalid', 'grant-type-invalid'],
  ['Missing subject_token', 'subject-token-missing'],
  ['subject_token is invalid', 'subject-token-invalid'],
  ['Malformed JWT in subject_token', 'subject-token-malformed'],
  ["Missing 'kid' header in subject_token JWT", 'subject-token-kid-missing'],
  ["Invalid 'typ' header in subject_token JWT - must be 'JWT'", 'subject-token-typ'],
  ["Missing 'alg' header in subject_token JWT", 'subject-token-alg-missing'],
  ["Missing 'iss' claim in subject_token JWT", 'subject-token-iss-missing'],
  ["Missing 'exp' claim in subject_token JWT", 'subject-token-exp-missing'],
  ["Invalid 'exp' claim in subject_token JWT - must be an integer", 'subject-token-exp-type'],
  ["Invalid 'exp' claim in subject_token JWT - JWT has expired", 'subject-token-expired'],
  ["Missing or non-matching 'iss' claim in subject_token JWT", 'subject-token-iss'],
  ["Missing 'aud' claim in subject_token JWT", 'subject-token-aud'],
  ['Missing aud claim in subject_token', 'subject-token-aud'],
  ["Invalid 'kid' header in subject_token JWT - no matching public key", 'subject-token-kid-unknown'],
  ['Malformed JWT in External ID token', 'external-id-token-malformed'],
  ["Invalid 'kid' header in external ID token JWT - no matching public key", 'external-id-token-kid'],
  ['client_id is missing', 'client-id-missing'],
  ['client_id is invalid', 'client-id-invalid'],
  ['client_secret is missing', 'client-secret-missing'],
  ['client_id or client_secret is invalid', 'client-credentials-invalid'],
  ['redirect_uri is missing', 'redirect-uri-missing'],
  ['redirect_uri is invalid', 'redirect-uri-invalid'],
  ['authorization_code is missing', 'code-missing'],
  ['authorization_code is invalid', 'code-invalid'],
  ['refresh_token is missing', 'refresh-token-missing'],
  ['refresh_token is invalid', 'refresh-token-invalid'],
  ['refresh token refresh period has expired', 'refresh-period-expired'],
  ['access token refresh period has expired', 'refresh-period-expired'],
  ['grant_type is missing', 'grant-type-missing'],
  ['Content-Type header must be application/x-www-urlencoded', 'content-type'],
  ['Content-Type header must be application/x-www-form-urlencoded', 'content-type'],
  ['Not Found', 'not-found'],
  [
    'API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.',
    'api-key-no-access',
  ],
  ['The developer app associated with the API key is not approved or revoked', 'app-not-approved'],
  [
    'The company associated with the developer app that has the API key you are using has an inactive status',
    'company-not-active',
  ],
  [
    'The developer who created the developer app that has the API key you are using has an inactive status',
    'developer-not-active',
  ],
  ['The rate limit was exceeded', 'rate-limit-exceeded'],
  [
    'An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID',
    'unknown-error',
  ],
  ['state is missing', 'state-missing'],
  ['response_type is missing', 'response-type-missing'],
  ['response_type is invalid', 'response-type-invalid'],
  ['Invalid state parameter.', 'callback-state'],
  [
    'The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation',
    'userinfo-wrong-auth',
  ],
  ['Malformed JWT in logout_token', 'logout-malformed'],
  ["Invalid 'kid' header in logout_token JWT - no matching public key", 'logout-kid'],
  ['Missing/invalid aud claim in JWT', 'logout-aud'],
  ['Missing/invalid iss claim in JWT', 'logout-iss'],
  ['Missing sid claim in JWT', 'logout-sid-missing'],
  ['Missing/invalid events claim in JWT', 'logout-events'],
  ['Prohibited nonce claim in JWT', 'logout-nonce'],
  ['Unable to verify JWT', 'logout-jwt'],
  ['SID not found', 'logout-sid'],
  ['Invalid api key for _status monitoring endpoint', 'status-api-key'],
  ['Access token has expired', 'api-access-token-expired'],
  ['Access token is invalid', 'api-access-token-invalid'],
  ['Access token is missing', 'api-access-token-missing'],
  ['Invalid access token', 'api-invalid-access-token'],
];

// [errorcode, faultstring, the explanation id]
const FAULTS: [string, string, string][] = [
  ['keymanagement.service.invalid_access_token', 'Invalid Access Token', 'fault-invalid-access-token'],
  ['oauth.v2.InvalidAccessToken', 'Invalid access token', 'fault-missing-access-token'],
  ['keymanagement.service.access_token_expired', 'Access Token expired', 'fault-access-token-expired'],
  ['oauth.v2.InvalidClientIdentifier', 'Invalid client identifier {0}', 'fault-invalid-client-identifier'],
  [
    'policies.ratelimit.SpikeArrestViolation',
    'Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=300, periodInMicroseconds=60000000}',
    'fault-spike-arrest',
  ],
  [
    'policies.ratelimit.QuotaViolation',
    'Rate limit quota violation. Quota limit  exceeded. Identifier : _default',
    'fault-quota',
  ],
  [
    'steps.oauth.v2.FailedToResolveAPIKey',
    'Failed to resolve API Key variable request.header.apikey',
    'fault-api-key-missing',
  ],
  ['oauth.v2.InvalidApiKey', 'Invalid ApiKey', 'fault-api-key-invalid'],
  ['oauth.v2.InvalidApiKeyForGivenResource', 'Invalid ApiKey for given resource', 'fault-api-key-no-access'],
  ['keymanagement.service.invalid_client-app_not_approved', 'Invalid ApiKey', 'fault-app-not-approved'],
  ['protocol.http.TooBigBody', 'Body buffer overflow', 'fault-body-too-big'],
  ['messaging.adaptors.http.flow.GatewayTimeout', 'Gateway Timeout', 'fault-gateway-timeout'],
  [
    'messaging.adaptors.http.flow.ServiceUnavailable',
    'The Service is temporarily unavailable',
    'fault-service-unavailable',
  ],
];

describe('every platform error string has its own explanation', () => {
  for (const [description, id] of STRINGS) {
    test(description, () => {
      const x = explainPlatformResponse(400, {
        error: 'invalid_request',
        error_description: description,
        message_id: 'rrt-1',
      });
      assert.equal(x.id, id);
      assert.ok(x.causes.length > 0 || id === 'refresh-token-invalid', 'has causes');
      assert.ok(x.fix.length > 0);
    });
  }
  for (const [errorcode, faultstring, id] of FAULTS) {
    test(`Apigee fault ${errorcode}`, () => {
      const x = explainPlatformResponse(errorcode.includes('ratelimit') ? 429 : 401, {
        fault: { faultstring, detail: { errorcode } },
      });
      assert.equal(x.id, id);
    });
  }
  test('every Apigee fault the catalogue knows is quoted in this test', () => {
    const quoted = new Set(FAULTS.map(([errorcode]) => errorcode));
    for (const errorcode of Object.keys(FAULT_CATALOGUE)) assert.ok(quoted.has(errorcode), errorcode);
  });
  test('no error of the platform contract falls back to a generic explanation', () => {
    const quoted = new Set(STRINGS.map(([d]) => d));
    for (const [key, e] of Object.entries(PLATFORM_ERRORS)) {
      assert.ok(quoted.has(e.error_description), `${key} is quoted in this test`);
      assert.ok(!GENERIC.has(explainPlatformResponse(e.status, { ...e }).id), key);
    }
  });
});

describe('explainText and nhs-auth explain', () => {
  test('finds the body in a CI log line, with its status', () => {
    const { explanation, recognised } = explainText(
      '2026-12-02T07:00:00Z ERROR token call failed: HTTP/1.1 401 {"error":"invalid_grant","error_description":"access token refresh period has expired","message_id":"rrt-9"}',
    );
    assert.equal(recognised, true);
    assert.equal(explanation.id, 'refresh-period-expired');
    assert.equal(explanation.platform?.status, 401);
    assert.equal(explanation.platform?.message_id, 'rrt-9');
  });
  test('a bare description, a bare errorcode and an Apigee fault body', () => {
    assert.equal(
      explainText("Non-unique 'jti' claim in client_assertion JWT").explanation.id,
      'assertion-jti-reused',
    );
    assert.equal(
      explainText('keymanagement.service.access_token_expired').explanation.id,
      'fault-access-token-expired',
    );
    assert.equal(
      explainText(
        '{"fault":{"faultstring":"Invalid Access Token","detail":{"errorcode":"keymanagement.service.invalid_access_token"}}}',
      ).explanation.id,
      'fault-invalid-access-token',
    );
    assert.equal(explainText('nothing the platform says').recognised, false);
  });
  const run = async (argv: string[], stdin?: string): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
      ...(stdin !== undefined ? { readStdin: async () => stdin } : {}),
    };
    return { code: await main(argv, io), out: out.join('\n') };
  };
  test('nhs-auth explain TEXT prints the title, the platform error, causes and the fix', async () => {
    const r = await run([
      'explain',
      '{"error":"invalid_request","error_description":"Missing \'kid\' header in client_assertion JWT"}',
      '--status',
      '400',
    ]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\[assertion-kid-missing\]/);
    assert.match(r.out, /platform: HTTP 400 invalid_request: Missing 'kid' header in client_assertion JWT/);
    assert.match(r.out, /fix: /);
  });
  test('nhs-auth explain - reads stdin; --json; unknown text exits 1 and is not echoed', async () => {
    const r = await run(
      ['explain', '-', '--json'],
      'HTTP/1.1 401 Unauthorized\n{"error":"invalid_grant","error_description":"refresh token refresh period has expired"}\n',
    );
    assert.equal(r.code, 0, r.out);
    assert.equal(JSON.parse(r.out).id, 'refresh-period-expired');
    const unknown = await run(['explain', 'secret-looking-text-abc123']);
    assert.equal(unknown.code, 1);
    assert.doesNotMatch(unknown.out, /secret-looking-text-abc123/);
    const bad = await run(['explain', 'x', '--status', '99']);
    assert.notEqual(bad.code, 0);
  });
});
