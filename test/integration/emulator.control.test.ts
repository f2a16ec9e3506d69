// Control API, injected faults, robustness (oversized bodies, seeded fuzz), apps file and CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { parseAppsFile } from '../../src/core/emulator/server.ts';
import { startFromArgs } from '../../src/cli/commands/emulator.ts';
import { isAuthExplorerError } from '../../src/core/errors.ts';
import {
  assertion,
  clientCredentialsForm,
  http,
  postForm,
  REDIRECT,
  startFixture,
} from './emulatorFixtures.ts';
import type { Fixture, HttpResult } from './emulatorFixtures.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => {
  await f.close();
});

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${f.emulator.controlToken}` });
const json = (url: string, method: string, body: unknown): Promise<HttpResult> =>
  http(url, {
    method,
    headers: { 'content-type': 'application/json', ...bearer() },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const getControl = (path: string): Promise<HttpResult> =>
  http(`${f.emulator.url}${path}`, { headers: bearer() });
const addFault = (body: unknown): Promise<HttpResult> =>
  json(`${f.emulator.url}/_emulator/faults`, 'POST', body);

/** Raw request that reports a reset instead of throwing. */
function raw(
  method: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status?: number; reset?: boolean; text?: string }> {
  return new Promise((resolve) => {
    const req = request(
      `${f.emulator.url}${path}`,
      { method, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve({ reset: true }));
      },
    );
    req.on('error', () => resolve({ reset: true }));
    req.end(body);
  });
}

describe('control API', () => {
  test('index lists endpoints and apps without secrets (API keys masked; the control API has them)', async () => {
    const res = await http(`${f.emulator.url}/`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('"name":"Main"'));
    assert.ok(!res.text.includes('main-key'));
    assert.ok(!res.text.includes('secret-1'));
    assert.ok(!res.text.includes('"n"'));
  });
  test('POST /_emulator/apps adds an app (201) or names the bad field (400)', async () => {
    const ok = await json(`${f.emulator.url}/_emulator/apps`, 'POST', {
      name: 'Added',
      apiKey: 'added-key',
      products: ['urn:nhsd:apim:app:level3:x'],
    });
    assert.equal(ok.status, 201, ok.text);
    const list = await getControl('/_emulator/apps');
    assert.ok((list.json.apps as { apiKey: string }[]).some((a) => a.apiKey === 'added-key'));
    const bad = await json(`${f.emulator.url}/_emulator/apps`, 'POST', {
      name: 'X',
      apiKey: '',
      products: [],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'app.apiKey must be a non-empty string');
    const malformed = await json(`${f.emulator.url}/_emulator/apps`, 'POST', '{"name":');
    assert.equal(malformed.status, 400);
    assert.equal(typeof malformed.json.message, 'string');
    const dup = await json(`${f.emulator.url}/_emulator/apps`, 'POST', {
      name: 'Added',
      apiKey: 'added-key',
      products: [],
    });
    assert.equal(dup.status, 400);
  });
  test('PUT /_emulator/apps replaces an app with the same API key (a rotated JWKS, a new secret)', async () => {
    const first = await json(`${f.emulator.url}/_emulator/apps`, 'PUT', {
      name: 'Put',
      apiKey: 'put-key',
      products: ['urn:nhsd:apim:app:level3:x'],
    });
    assert.equal(first.status, 200, first.text);
    const again = await json(`${f.emulator.url}/_emulator/apps`, 'PUT', {
      name: 'Put renamed',
      apiKey: 'put-key',
      products: [],
      status: 'revoked',
    });
    assert.equal(again.status, 200, again.text);
    const apps = (await getControl('/_emulator/apps')).json.apps as {
      apiKey: string;
      name: string;
      status: string;
    }[];
    const mine = apps.filter((a) => a.apiKey === 'put-key');
    assert.deepEqual(
      mine.map((a) => [a.name, a.status]),
      [['Put renamed', 'revoked']],
    );
    f.emulator.putApp({ name: 'Put via API', apiKey: 'put-key', products: [] });
    assert.equal(
      ((await getControl('/_emulator/apps')).json.apps as { apiKey: string; name: string }[]).find(
        (a) => a.apiKey === 'put-key',
      )?.name,
      'Put via API',
    );
  });
  test('addApp validates like the apps file', () => {
    assert.throws(
      () => f.emulator.addApp({ name: 'x', apiKey: 'k2', products: 'nope' as unknown as string[] }),
      /products must be an array/,
    );
  });
  test('bad fault bodies are 400', async () => {
    assert.equal((await addFault({ path: 'no-slash' })).status, 400);
    assert.equal((await addFault({ path: '/x', status: 99 })).status, 400);
    assert.equal((await addFault({ path: '/x', preset: 'meteor' })).status, 400);
    assert.equal((await addFault('[')).status, 400);
  });
});

describe('faults', () => {
  test('latency then normal handling, once', async () => {
    await addFault({ path: '/oauth2/token', latencyMs: 150 });
    const t0 = Date.now();
    const res = await postForm(f.emulator.tokenUrl(), clientCredentialsForm(await assertion(f, 'main-key')));
    assert.equal(res.status, 200);
    assert.ok(Date.now() - t0 >= 140);
  });
  test('canned status/body/headers for count requests, combined with latency', async () => {
    await addFault({
      path: '/oauth2/token',
      count: 2,
      latencyMs: 20,
      status: 503,
      body: 'down for maintenance',
      contentType: 'text/plain',
      headers: { 'Retry-After': '1' },
    });
    for (let i = 0; i < 2; i++) {
      const res = await postForm(f.emulator.tokenUrl(), {});
      assert.equal(res.status, 503);
      assert.equal(res.text, 'down for maintenance');
      assert.equal(res.headers.get('content-type'), 'text/plain');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('retry-after'), '1');
    }
    assert.equal((await postForm(f.emulator.tokenUrl(), {})).status, 400);
  });
  test('presets: rate-limit and invalid-client-identifier', async () => {
    await addFault({ path: '/oauth2/token', preset: 'rate-limit' });
    const rl = await postForm(f.emulator.tokenUrl(), {});
    assert.equal(rl.status, 429);
    assert.ok(rl.headers.get('retry-after'));
    assert.match(String(rl.json.message), /has exceeded its quota/);
    await addFault({ path: '/oauth2/token', preset: 'invalid-client-identifier' });
    const ici = await postForm(f.emulator.tokenUrl(), {});
    assert.equal(ici.status, 500);
    assert.deepEqual(ici.json, {
      fault: {
        faultstring: 'Invalid client identifier {0}',
        detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' },
      },
    });
  });
  test('DELETE clears faults', async () => {
    await addFault({ path: '/oauth2/token', status: 503, count: 5 });
    assert.equal((await json(`${f.emulator.url}/_emulator/faults`, 'DELETE', '')).status, 200);
    assert.equal((await postForm(f.emulator.tokenUrl(), {})).status, 400);
  });
  test('reset before: no processing; reset after: processed (refresh token burnt) but no answer', async () => {
    const idToken = await mockSignIn(f.emulator.url, {
      provider: 'cis2',
      username: '656005750104',
      clientId: 'main-key',
      clientSecret: 'secret-1',
      redirectUri: REDIRECT,
    });
    const ex = await postForm(f.emulator.tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: idToken,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(f, 'main-key'),
    });
    const rt = String(ex.json.refresh_token);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: rt,
      client_id: 'main-key',
      client_secret: 'secret-1',
    }).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await addFault({ path: '/oauth2/token', reset: 'before' });
    assert.deepEqual(await raw('POST', '/oauth2/token', body, form), { reset: true });
    await addFault({ path: '/oauth2/token', reset: 'after' });
    assert.deepEqual(await raw('POST', '/oauth2/token', body, form), { reset: true });
    const retry = await raw('POST', '/oauth2/token', body, form);
    assert.equal(retry.status, 401);
    assert.match(String(retry.text), /refresh_token is invalid/);
  });
});

describe('robustness', () => {
  test('oversized body → 413, server still answers', async () => {
    const res = await raw('POST', '/oauth2/token', Buffer.alloc(100 * 1024, 0x61), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(res.status, 413);
    assert.equal((await http(`${f.emulator.url}/hello-world/hello/world`)).status, 200);
  });
  test('seeded fuzz of bytes and form fields never crashes the server', async () => {
    let seed = 0x2f6b1d3;
    const rand = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const paths = [
      '/oauth2/token',
      '/oauth2-mock/token',
      '/oauth2/authorize',
      '/oauth2/callback',
      '/mock-cis2/token',
      '/mock-nhs-login/authorize',
      '/_emulator/apps',
      '/_emulator/faults',
      '/hello-world/hello/user',
    ];
    const fields = [
      'grant_type',
      'client_assertion',
      'client_assertion_type',
      'subject_token',
      'subject_token_type',
      'refresh_token',
      'code',
      'client_id',
      'client_secret',
      'redirect_uri',
      'username',
      '_access_token_expiry_ms',
    ];
    const values = [
      'client_credentials',
      'refresh_token',
      'authorization_code',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'a.b.c',
      'eyJhbGciOiJSUzUxMiJ9.e30.x',
      '%zz',
      '\u0000',
      '-1',
      '1e309',
      'x'.repeat(500),
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      let body: Buffer;
      if (rand() < 0.5) {
        body = Buffer.from(Array.from({ length: Math.floor(rand() * 400) }, () => Math.floor(rand() * 256)));
      } else {
        const p = new URLSearchParams();
        for (let j = Math.floor(rand() * 6); j > 0; j--) p.append(pick(fields), pick(values));
        body = Buffer.from(p.toString());
      }
      const ct = pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain']);
      const res = await raw(pick(['POST', 'GET', 'PUT', 'DELETE']), pick(paths), body, {
        'content-type': ct,
        authorization: pick(['Bearer x', 'Basic %%%', 'Basic Og==']),
      });
      assert.ok(res.status !== undefined, `request ${i} got no answer`);
      statuses.add(res.status);
    }
    // A 500 would mean a handler threw: the catch-all kept the server up, but it is still a bug.
    assert.ok(!statuses.has(500), [...statuses].join(','));
    assert.equal((await http(`${f.emulator.url}/hello-world/hello/world`)).status, 200);
  });
});

describe('apps file', () => {
  const errorOf = (text: string): string => {
    try {
      parseAppsFile(text);
    } catch (e) {
      assert.ok(isAuthExplorerError(e) && e.code === 'ERR_APPS_FILE');
      return e.message;
    }
    return 'no error';
  };
  test('accepts an array or {apps: [...]}', () => {
    assert.equal(parseAppsFile('[{"name":"a","apiKey":"k","products":[]}]').length, 1);
    assert.equal(
      parseAppsFile('{"apps":[{"name":"a","apiKey":"k","products":[],"status":"revoked"}]}')[0]?.status,
      'revoked',
    );
  });
  test('names the bad field', () => {
    assert.match(errorOf('{'), /not valid JSON/);
    assert.equal(errorOf('[{"name":"a","products":[]}]'), 'apps[0].apiKey must be a non-empty string');
    assert.equal(errorOf('[{"apiKey":"k","products":[]}]'), 'apps[0].name must be a non-empty string');
    assert.equal(errorOf('[{"name":"a","apiKey":"k"}]'), 'apps[0].products must be an array of strings');
    assert.equal(
      errorOf('[{"name":"a","apiKey":"k","products":[1]}]'),
      'apps[0].products[0] must be a non-empty string',
    );
    assert.match(
      errorOf('[{"name":"a","apiKey":"k","products":[],"jwksUrl":"ftp://x"}]'),
      /apps\[0\]\.jwksUrl/,
    );
    assert.match(errorOf('[{"name":"a","apiKey":"k","products":[],"jwks":{}}]'), /apps\[0\]\.jwks/);
    assert.match(errorOf('[{"name":"a","apiKey":"k","products":[],"status":"gone"}]'), /apps\[0\]\.status/);
    assert.match(
      errorOf('[{"name":"a","apiKey":"k","products":[]},{"name":"b","apiKey":"k","products":[]}]'),
      /apps\[1\]\.apiKey duplicates/,
    );
    assert.match(errorOf('42'), /JSON array/);
  });
});

describe('CLI', () => {
  test('prints the URL and the demo app, writes the key 0600, never prints the PEM', async () => {
    const out: string[] = [];
    const emulator = await startFromArgs(['--port', '0'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    try {
      const text = out.join('\n');
      assert.match(text, new RegExp(`listening on ${emulator.url}`));
      assert.ok(!text.includes('PRIVATE KEY'));
      const keyPath = /Private key:\s+(\S+)/.exec(text)?.[1] ?? '';
      assert.equal((await stat(keyPath)).mode & 0o777, 0o600);
      assert.match(await readFile(keyPath, 'utf8'), /BEGIN PRIVATE KEY/);
      assert.ok(text.includes(emulator.demo?.app.apiKey ?? 'missing'));
      assert.equal((await http(`${emulator.url}/hello-world/hello/world`)).status, 200);
    } finally {
      await emulator.close();
    }
  });
  test('bad arguments are ERR_ARGUMENT', async () => {
    await assert.rejects(startFromArgs(['--port', 'abc'], { out: () => {}, err: () => {} }), /--port/);
    await assert.rejects(
      startFromArgs(['--apps', '/nonexistent/apps.json'], { out: () => {}, err: () => {} }),
      /cannot read apps file/,
    );
  });
});
