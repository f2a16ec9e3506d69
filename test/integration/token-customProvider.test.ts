// A provider shaped like a wrapped custom provider: JSON bodies, {"oauth": {...}} responses with created_at and numeric
// expires_in, and a refresh token that survives until the new access token is first used.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { RefreshManager } from '../../src/core/session/refreshManager.ts';
import { platformRefresher } from '../../src/core/session/platformRefresher.ts';
import { InMemorySessionStore } from '../../src/core/session/sessionStore.ts';
import { snapshotFromToken } from '../../src/core/session/snapshotFromToken.ts';
import { requestToken } from '../../src/core/token/requestToken.ts';
import type { TokenProvider } from '../../src/core/token/tokenProvider.ts';
import type { RequestLogEntry } from '../../src/core/log/requestLogEntry.ts';

const CLIENT_ID = 'custom-client-id-0001';
const CLIENT_SECRET = 'custom-client-secret-0001';

/** Refresh token → the access token that, once used, retires it. */
const refreshTokens = new Map<string, { retiredBy?: string; retired: boolean }>();
const accessTokens = new Map<string, { parentRefresh?: string }>();
let dropNextResponse = false;
let tokenCalls = 0;

function issue(parentRefresh?: string): Record<string, unknown> {
  const access = randomBytes(24).toString('hex');
  const refresh = randomBytes(24).toString('hex');
  accessTokens.set(access, { parentRefresh });
  refreshTokens.set(refresh, { retired: false });
  return {
    oauth: {
      access_token: access,
      token_type: 'Bearer',
      expires_in: 7200,
      refresh_token: refresh,
      scope: 'catalog:read',
      created_at: new Date().toISOString(),
      resource_owner: { id: 'r1', type: 'Practitioner' },
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString() });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
  if (req.url === '/api/me') {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const at = accessTokens.get(token);
    if (!at) return send(res, 401, { error: 'invalid_token' });
    // First use of a new access token retires the refresh token it replaced.
    if (at.parentRefresh) {
      const rt = refreshTokens.get(at.parentRefresh);
      if (rt) rt.retired = true;
    }
    return send(res, 200, { id: 'r1' });
  }
  if (req.url !== '/api/oauth/token' || req.method !== 'POST') return send(res, 404, { error: 'not_found' });
  tokenCalls++;
  if (req.headers['content-type'] !== 'application/json')
    return send(res, 415, { error: 'unsupported_media_type' });
  let body: Record<string, string>;
  try {
    body = JSON.parse(raw) as Record<string, string>;
  } catch {
    return send(res, 400, { error: 'invalid_request' });
  }
  if (body['client_id'] !== CLIENT_ID || body['client_secret'] !== CLIENT_SECRET)
    return send(res, 401, { error: 'invalid_client' });
  if (body['grant_type'] === 'client_credentials') return send(res, 200, issue());
  if (body['grant_type'] !== 'refresh_token') return send(res, 400, { error: 'unsupported_grant_type' });
  const rt = refreshTokens.get(body['refresh_token'] ?? '');
  if (!rt || rt.retired)
    return send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid.' });
  const reply = issue(body['refresh_token']);
  if (dropNextResponse) {
    dropNextResponse = false;
    req.socket.destroy();
    return;
  }
  send(res, 200, reply);
}

let server: Server;
let base: string;
let provider: TokenProvider;

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = {
    name: 'Seed 003 provider',
    tokenUrl: `${base}/api/oauth/token`,
    bodyFormat: 'json',
    responseWrapperKey: 'oauth',
    refreshTokenSurvivesUntilUsed: true,
    isNhsPlatform: false,
  };
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('custom JSON-body provider', () => {
  test('initial token, a refresh whose response is lost is retried safely, then the old token retires on use', async () => {
    const auth = { method: 'client_secret_post' as const, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    const first = await requestToken({
      provider,
      grant: 'client_credentials',
      params: { grant_type: 'client_credentials' },
      clientAuth: auth,
    });
    assert.equal(first.token.expiresInSeconds, 7200);
    assert.ok(first.token.serverIssuedAt !== undefined);
    const store = new InMemorySessionStore();
    const s0 = snapshotFromToken({
      profileId: 'c',
      grant: 'authorization_code',
      identityProvider: 'none',
      tokenUrl: provider.tokenUrl,
      result: first,
    });
    assert.ok(Math.abs(s0.accessTokenExpiresAt - (s0.issuedAt + 7_200_000)) === 0);
    await store.save(s0);
    const logs: RequestLogEntry[] = [];
    const m = new RefreshManager({
      store,
      refresh: platformRefresher({
        provider,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        onLog: (e) => logs.push(e),
        sleep: async () => undefined,
      }),
    });
    dropNextResponse = true;
    const before = tokenCalls;
    const s1 = await m.refresh('c');
    assert.equal(
      tokenCalls - before,
      2,
      'the lost refresh was retried with the same, still-valid refresh token',
    );
    assert.equal(logs[0]?.error?.code, 'ERR_HTTP_RESET');
    assert.equal(logs[1]?.status, 200);
    assert.equal(logs[1]?.bodyFormat, 'json');
    assert.ok(
      !JSON.stringify(logs).includes(CLIENT_SECRET) && !JSON.stringify(logs).includes(s0.refreshToken ?? '?'),
    );
    // Using the new access token retires the old refresh token.
    const me = await request(`${base}/api/me`, { headers: { authorization: `Bearer ${s1.accessToken}` } });
    assert.equal(me.statusCode, 200);
    await me.body.dump();
    const old = await requestToken({
      provider,
      grant: 'refresh_token',
      params: { grant_type: 'refresh_token', refresh_token: s0.refreshToken ?? '' },
      clientAuth: auth,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(
      old instanceof AuthExplorerError &&
        old.code === 'ERR_OAUTH' &&
        old.details['error'] === 'invalid_grant',
    );
    const s2 = await m.refresh('c');
    assert.notEqual(s2.refreshToken, s1.refreshToken);
  });
});
