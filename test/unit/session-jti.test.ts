// A jti is used once it was sent to a token endpoint, not when it was signed: lint of a fresh
// assertion is clean; lint of one that was sent says when.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { lintAssertion } from '../../src/core/assertion/lintAssertion.ts';
import { decodeJwtParts } from '../../src/core/jwt/decode.ts';
import { buildJwks } from '../../src/core/keys/jwks.ts';
import { assertionSigner } from '../../src/core/token/assertionSigner.ts';
import { clientCredentialsGrant } from '../../src/core/token/clientCredentials.ts';
import { nhsPlatformProvider } from '../../src/core/token/tokenProvider.ts';

const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'AT-0123456789', expires_in: '599', token_type: 'Bearer' }));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
after(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

describe('jti history', () => {
  test('a signed, unsent assertion lints clean; once sent, lint reports "already sent on <time>"', async () => {
    const sign = assertionSigner({ privateKeyPem: pem, kid: 'test-1', apiKey: API_KEY, tokenUrl });
    const jwks = await buildJwks([{ kid: 'test-1', publicKeyPem: publicPem }]);
    const sentAt: Record<string, number> = {};
    const onAssertionSent = (a: string, at: number): void => {
      sentAt[String(decodeJwtParts(a).payload.jti)] = at;
    };

    const fresh = await sign();
    const ctx = {
      tokenUrl,
      apiKey: API_KEY,
      jwks: jwks as unknown as { keys: Record<string, unknown>[] },
      jtiSentAt: sentAt,
    };
    assert.deepEqual(
      (await lintAssertion(fresh, ctx)).filter((f) => f.severity === 'error'),
      [],
      'signing alone uses nothing up',
    );

    const r = await clientCredentialsGrant({
      provider: nhsPlatformProvider(tokenUrl),
      assertion: sign,
      apiKey: API_KEY,
      onAssertionSent,
    });
    const sent = r.clientAssertion!;
    const jti = String(decodeJwtParts(sent).payload.jti);
    assert.ok(sentAt[jti], 'the sent jti is recorded');
    const reuse = (await lintAssertion(sent, ctx)).find((f) => f.rule === 'jti-reused');
    assert.ok(reuse, 'a sent assertion is a reuse');
    assert.match(
      reuse.message,
      new RegExp(`already sent on ${new Date(sentAt[jti]!).toISOString().replace(/[.]/g, '\\.')}`),
    );
  });

  test('an assertion that never left (connection refused) is not recorded', async () => {
    const deadUrl = 'http://127.0.0.1:1/oauth2/token';
    const sent: string[] = [];
    await assert.rejects(
      clientCredentialsGrant({
        provider: nhsPlatformProvider(deadUrl),
        apiKey: API_KEY,
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 },
        assertion: assertionSigner({ privateKeyPem: pem, kid: 'test-1', apiKey: API_KEY, tokenUrl: deadUrl }),
        onAssertionSent: (a) => sent.push(a),
      }),
    );
    assert.deepEqual(sent, []);
  });
});
