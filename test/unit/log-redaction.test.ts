import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { isSecretFieldName, redact, maskApiKey, maskSecret } from '../../src/core/log/redact.ts';
import { createRequestLogEntry } from '../../src/core/log/requestLogEntry.ts';
import { toCurl } from '../../src/core/log/toCurl.ts';
import { supportBundle } from '../../src/core/log/supportBundle.ts';

const API_KEY = 'Kx7QapiKEYvalue0123456789abcdZZ';
const CLIENT_SECRET = 'cs-very-secret-value-0001';
const REFRESH = 'rt-OLDrefresh-token-value-000000001';
const CODE = 'auth-code-value-000000000000001';
const SUBJECT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI5OTEyMDAzMDcxIn0.c2lnbmF0dXJlLXN1YmplY3Q';
const ACCESS = 'at-ACCESStoken-value-000000000001';
const NEW_REFRESH = 'rt-NEWrefresh-token-value-000000002';
const ID_TOKEN = 'eyJhbGciOiJSUzUxMiJ9.eyJub25jZSI6IngifQ.aWQtdG9rZW4tc2lnbmF0dXJl';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
async function assertion(): Promise<string> {
  return new SignJWT({ jti: 'j-1' })
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'test-1' })
    .setIssuer(API_KEY)
    .setSubject(API_KEY)
    .setAudience('https://int.api.service.nhs.uk/oauth2/token')
    .setExpirationTime('5m')
    .sign(privateKey);
}

function assertClean(text: string, secrets: string[]): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `leaked ${s.slice(0, 12)}… in:\n${text}`);
    assert.ok(!text.includes(encodeURIComponent(s)), `leaked encoded ${s.slice(0, 12)}…`);
  }
}

describe('redact', () => {
  test('named secrets, secret fields, Bearer values, JWTs and PEM keys are removed', () => {
    const text = [
      `client_secret=${CLIENT_SECRET}&refresh_token=${REFRESH}`,
      `{"access_token":"${ACCESS}","refresh_token":"${NEW_REFRESH}","id_token":"${ID_TOKEN}"}`,
      `Authorization: Bearer ${ACCESS}`,
      `subject ${SUBJECT}`,
      '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----',
      `my key is ${API_KEY}`,
    ].join('\n');
    const out = redact(text, [API_KEY]);
    assertClean(out, [CLIENT_SECRET, REFRESH, ACCESS, NEW_REFRESH, ID_TOKEN, SUBJECT, 'MIIabc', API_KEY]);
    assert.ok(out.includes(`<redacted …${ACCESS.slice(-4)}>`));
    assert.equal(redact('nothing secret here', ['abc']), 'nothing secret here');
  });
  test('masks', () => {
    assert.equal(maskApiKey(API_KEY), 'Kx7Q…abZZ'.replace('abZZ', API_KEY.slice(-4)));
    assert.equal(maskSecret('short'), '<redacted>');
    assert.equal(maskSecret(ACCESS), `<redacted …${ACCESS.slice(-4)}>`);
  });
});

describe('request log, curl and support bundle', () => {
  test('no secret survives in the entry, the curl command or the bundle', async () => {
    const a = await assertion();
    const secrets = [
      API_KEY,
      CLIENT_SECRET,
      REFRESH,
      CODE,
      SUBJECT,
      ACCESS,
      NEW_REFRESH,
      ID_TOKEN,
      a,
      a.split('.')[2] ?? 'x',
    ];
    const common = {
      method: 'POST',
      url: 'https://int.api.service.nhs.uk/oauth2/token',
      startedAt: Date.parse('2026-03-01T09:00:00Z'),
      durationMs: 420,
      apiKey: API_KEY,
    };
    const entries = [
      createRequestLogEntry({
        ...common,
        grant: 'token_exchange',
        headers: { 'content-type': 'application/x-www-form-urlencoded', apikey: API_KEY },
        fields: {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
          subject_token: SUBJECT,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: a,
        },
        status: 200,
        responseHeaders: { 'content-type': 'application/json', date: 'Sun, 01 Mar 2026 09:00:00 GMT' },
        responseBody: JSON.stringify({
          access_token: ACCESS,
          refresh_token: NEW_REFRESH,
          id_token: ID_TOKEN,
          expires_in: '599',
          refresh_count: '0',
        }),
        secrets: [SUBJECT, a],
      }),
      createRequestLogEntry({
        ...common,
        grant: 'refresh_token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${ACCESS}` },
        fields: {
          grant_type: 'refresh_token',
          refresh_token: REFRESH,
          client_id: API_KEY,
          client_secret: CLIENT_SECRET,
        },
        status: 401,
        responseBody: JSON.stringify({
          error: 'invalid_grant',
          error_description: 'refresh_token is invalid',
          message_id: 'rrt-7130427900976519152-c-geu2-2278193-102922341-4',
        }),
        error: { code: 'ERR_OAUTH', message: `refresh ${REFRESH} failed` },
        secrets: [REFRESH, CLIENT_SECRET],
      }),
      createRequestLogEntry({
        ...common,
        grant: 'authorization_code',
        fields: {
          grant_type: 'authorization_code',
          code: CODE,
          redirect_uri: 'http://127.0.0.1:8765/callback',
          client_id: API_KEY,
          client_secret: CLIENT_SECRET,
        },
        secrets: [CODE, CLIENT_SECRET],
        error: { code: 'ERR_HTTP_TIMEOUT', message: 'timed out' },
      }),
    ];
    const logged = JSON.stringify(entries);
    assertClean(logged, secrets);
    const e0 = entries[0]!;
    assert.deepEqual(e0.clientAssertion?.header, { alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    assert.equal(e0.clientAssertion?.payload?.['iss'], maskApiKey(API_KEY));
    assert.equal(e0.clientAssertion?.payload?.['aud'], 'https://int.api.service.nhs.uk/oauth2/token');
    assert.match(e0.responseBody ?? '', new RegExp(`<redacted …${ACCESS.slice(-4)}>`));
    assert.match(e0.responseBody ?? '', /"refresh_count":"0"/);
    assert.equal(entries[1]?.messageId, 'rrt-7130427900976519152-c-geu2-2278193-102922341-4');

    const curls = entries.map(toCurl);
    for (const c of curls) assertClean(c, secrets);
    assert.match(curls[0] ?? '', /--data-urlencode "client_assertion=\$CLIENT_ASSERTION"/);
    assert.match(curls[0] ?? '', /--data-urlencode "subject_token=\$SUBJECT_TOKEN"/);
    assert.match(curls[0] ?? '', /-H "apikey: \$API_KEY"/);
    assert.match(curls[1] ?? '', /"client_secret=\$CLIENT_SECRET"/);
    assert.match(curls[1] ?? '', /"refresh_token=\$REFRESH_TOKEN"/);
    assert.match(curls[1] ?? '', /"authorization: Bearer \$ACCESS_TOKEN"/i);
    assert.match(curls[2] ?? '', /"code=\$AUTHORIZATION_CODE"/);
    assert.match(curls[1] ?? '', /'grant_type=refresh_token'/);

    const bundle = supportBundle({
      appName: 'My GP app',
      environment: 'int',
      apiKey: API_KEY,
      applicationId: 'app-guid-1',
      entries,
      secrets: [CLIENT_SECRET],
      generatedAt: Date.parse('2026-03-01T10:00:00Z'),
    });
    assertClean(bundle, secrets);
    assert.match(bundle, /# Support request: My GP app \(int\)/);
    assert.match(bundle, new RegExp(`API key: ${maskApiKey(API_KEY)}`));
    assert.match(bundle, /Message ID: rrt-7130427900976519152/);
    assert.match(bundle, /"alg": "RS512"/);
    assert.match(bundle, /Timestamp: 2026-03-01T09:00:00.000Z/);
    assert.match(bundle, /```sh\ncurl -sS -X POST/);
  });

  test('JSON-body curl keeps placeholders expandable and escapes the rest', () => {
    const e = createRequestLogEntry({
      method: 'POST',
      url: 'https://x.test/api/oauth/token',
      startedAt: 0,
      bodyFormat: 'json',
      fields: {
        grant_type: 'refresh_token',
        refresh_token: REFRESH,
        client_secret: CLIENT_SECRET,
        note: 'it\'s $HOME "q"',
      },
    });
    const c = toCurl(e);
    assertClean(c, [REFRESH, CLIENT_SECRET]);
    assert.match(
      c,
      /--data-raw "\{\\"grant_type\\":\\"refresh_token\\",\\"refresh_token\\":\\"\$REFRESH_TOKEN\\"/,
    );
    assert.match(c, /\\\$HOME/);
  });

  test('a malformed assertion is reported, not thrown', () => {
    const e = createRequestLogEntry({
      method: 'POST',
      url: 'u',
      startedAt: 0,
      fields: { client_assertion: 'not-a-jwt' },
    });
    assert.match(e.clientAssertion?.error ?? '', /three/);
  });
});

describe('secret field names (one rule for log, curl, bundle and errors)', () => {
  test('case-insensitive, any separator: *secret*, *token*, *password*, *assertion*, *api*key*', () => {
    for (const name of [
      'client_secret',
      'Client_Secret',
      'clientSecret',
      'client-secret',
      'CLIENT_SECRET',
      'refresh_token',
      'refreshToken',
      'access_token',
      'id_token',
      'subject_token',
      'password',
      'private_key_password',
      'client_assertion',
      'api_key',
      'apikey',
      'x-api-key',
      'ApiKey',
      'authorization',
      'sig',
      'Cookie',
    ]) {
      assert.ok(isSecretFieldName(name), name);
    }
    for (const name of [
      'grant_type',
      'token_type',
      'client_assertion_type',
      'subject_token_type',
      'expires_in',
      'refresh_token_expires_in',
      'refresh_count',
      '_refresh_tokens_validity_ms',
      'redirect_uri',
      'token_endpoint',
      'scope',
      'state',
      'error_description',
      'message_id',
      'tokenUrl',
      'accessTokenExpiresAt',
    ]) {
      assert.ok(!isSecretFieldName(name), name);
    }
  });
  test('form fields, URL query and fragment, JSON keys and header lines are masked by name', () => {
    const text = [
      'https://x.test/token?Client_Secret=aaaaaaaaaaaa1&apikey=bbbbbbbbbbbb2&sig=cccccccccccc3#access_token=dddddddddddd4&state=ok',
      '{"clientSecret":"eeeeeeeeeeee5","private_key_password":"ffffffffffff6","token_type":"Bearer","refreshToken":"gggggggggggg7"}',
      'client-secret: hhhhhhhhhhhh8',
      'X-Api-Key: iiiiiiiiiiii9',
    ].join('\n');
    const out = redact(text);
    for (const v of [
      'aaaaaaaaaaaa1',
      'bbbbbbbbbbbb2',
      'cccccccccccc3',
      'dddddddddddd4',
      'eeeeeeeeeeee5',
      'ffffffffffff6',
      'gggggggggggg7',
      'hhhhhhhhhhhh8',
      'iiiiiiiiiiii9',
    ]) {
      assert.ok(!out.includes(v), `${v} in ${out}`);
    }
    assert.match(out, /state=ok/);
    assert.match(out, /"token_type":"Bearer"/);
  });
});
