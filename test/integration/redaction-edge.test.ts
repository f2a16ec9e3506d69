// A token server that echoes every secret back, under every field-name spelling, in its error body:
// nothing of it may reach the error (message, details, explanation), the request log, copy-as-curl or
// the support bundle. Redaction happens at the core's edge, not in each view.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { refreshTokenGrant } from '../../src/core/token/refreshTokenGrant.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';
import type { RequestLogEntry } from '../../src/core/log/requestLogEntry.ts';
import { toCurl } from '../../src/core/log/toCurl.ts';
import { supportBundle } from '../../src/core/log/supportBundle.ts';
import { explainError } from '../../src/core/explain/explainError.ts';
import { isAuthExplorerError } from '../../src/core/errors.ts';

const API_KEY = 'apikey-value-0123456789abcdef';
const CLIENT_SECRET = 'client-secret-value-00000001';
const REFRESH = 'refresh-token-value-000000001';
// Secrets that the call sends under unusual names (extra parameters) and in the token URL.
const VARIANTS: Record<string, string> = {
  Client_Secret: 'variant-Client_Secret-000001',
  clientSecret: 'variant-clientSecret-0000002',
  'client-secret': 'variant-client-secret-000003',
  api_key: 'variant-api_key-000000000004',
  private_key_password: 'variant-pkpassword-0000005',
  refreshToken: 'variant-refreshToken-0000006',
};
const URL_SECRETS = {
  client_secret: 'url-client-secret-00000007',
  apikey: 'url-apikey-000000000000008',
  sig: 'url-sas-signature-00000009',
  access_token: 'url-fragment-token-0000010',
};
const SERVER_ONLY = {
  assertion: 'server-only-assertion-00011',
  'X-Refresh-Token': 'server-only-refresh-0000012',
};
const ALL_SECRETS = [
  API_KEY,
  CLIENT_SECRET,
  REFRESH,
  ...Object.values(VARIANTS),
  ...Object.values(URL_SECRETS),
  ...Object.values(SERVER_ONLY),
];

let server: Server;
let tokenUrl: string;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const form = Object.fromEntries(new URLSearchParams(body));
      // Echo everything: the raw body and URL in the description, each field as JSON, a header-style dump.
      const headerDump = Object.entries({ ...form, ...SERVER_ONLY })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'invalid_request',
          error_description: `could not process ${req.url} with ${body}`,
          echo: {
            ...form,
            ...SERVER_ONLY,
            Authorization: `Basic ${Buffer.from(`${API_KEY}:${CLIENT_SECRET}`).toString('base64')}`,
          },
          dump: headerDump,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const q = new URLSearchParams({
    client_secret: URL_SECRETS.client_secret,
    apikey: URL_SECRETS.apikey,
    sig: URL_SECRETS.sig,
  });
  tokenUrl = `http://127.0.0.1:${port}/oauth2/token?${q}#access_token=${URL_SECRETS.access_token}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function assertClean(where: string, text: string): void {
  for (const s of ALL_SECRETS) {
    assert.ok(!text.includes(s), `${where} leaked ${s}:\n${text}`);
    assert.ok(!text.includes(encodeURIComponent(s)), `${where} leaked ${s} (encoded)`);
  }
}

describe('redaction at the edge of the token client', () => {
  test('an echoing server leaves no secret in the error, its explanation, the log, curl or the bundle', async () => {
    const logs: RequestLogEntry[] = [];
    const error = await refreshTokenGrant({
      provider: nhsPlatformProvider(tokenUrl),
      refreshToken: REFRESH,
      clientAuth: { method: 'client_secret_post', clientId: API_KEY, clientSecret: CLIENT_SECRET },
      extraParams: VARIANTS,
      apiKey: API_KEY,
      onLog: (e) => logs.push(e),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isAuthExplorerError(error), String(error));
    assert.equal(error.code, 'ERR_OAUTH');
    assert.match(
      error.message,
      /HTTP 400 invalid_request: could not process/,
      "the server's words are kept, minus the secrets",
    );

    assertClean('error message', error.message);
    assertClean('error details', JSON.stringify(error.details));
    assertClean('inspected error', inspect(error, { depth: 10 }));
    const explanation = explainError(error, { tokenUrl, apiKey: API_KEY, grant: 'refresh_token' });
    assertClean('explanation', JSON.stringify(explanation));

    assert.equal(logs.length, 1);
    assertClean('request log', JSON.stringify(logs));
    const fields = Object.fromEntries(logs[0]!.requestFields);
    for (const name of Object.keys(VARIANTS))
      assert.match(fields[name] ?? '', /redacted|…/, `${name} masked in the log`);
    assert.equal(fields['grant_type'], 'refresh_token', 'ordinary fields are kept');

    const curl = toCurl(logs[0]!);
    assertClean('curl', curl);
    assert.match(curl, /"Client_Secret=\$CLIENT_SECRET"/);
    assert.match(curl, /"private_key_password=\$PRIVATE_KEY_PASSWORD"/);
    assert.match(curl, /"refreshToken=\$REFRESH_TOKEN"/);

    const bundle = supportBundle({ appName: 'Echo app', environment: 'int', apiKey: API_KEY, entries: logs });
    assertClean('support bundle', bundle);
  });
});
