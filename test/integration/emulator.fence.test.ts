// The emulator's fence: a foreign Host (DNS rebinding) or Origin (a web page) is refused on every
// route, the control API needs its bearer token and JSON, fault bodies are data, never a page, and
// the mock IdPs redirect only to a registered redirect URI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { access, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator } from '../../src/core/emulator/server.ts';
import { startFromArgs } from '../../src/cli/commands/emulator.ts';
import {
  assertion,
  clientCredentialsForm,
  http,
  postForm,
  REDIRECT,
  startFixture,
} from './emulatorFixtures.ts';
import type { Fixture } from './emulatorFixtures.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => {
  await f.close();
});

interface RawResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with exactly these headers (fetch would not let a test set Host). */
function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.port,
        method,
        path,
        headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const host = (): string => `127.0.0.1:${f.emulator.port}`;
const bearer = (): Record<string, string> => ({ authorization: `Bearer ${f.emulator.controlToken}` });

describe('Host allow-list (DNS rebinding)', () => {
  test('a foreign Host is refused with 421 on every route, and never reflected', async () => {
    for (const path of [
      '/',
      '/oauth2/token',
      '/mock-cis2/authorize',
      '/_emulator/apps',
      '/hello-world/hello/world',
    ]) {
      const res = await raw(f.emulator, 'GET', path, { host: `rebind.evil.example:${f.emulator.port}` });
      assert.equal(res.status, 421, path);
      assert.ok(!res.text.includes('evil.example'), 'the Host is not echoed');
    }
    assert.equal(
      (await raw(f.emulator, 'GET', '/', { host: '127.0.0.1:1' })).status,
      421,
      'another port is another host',
    );
  });
  test('127.0.0.1, localhost and [::1] with the port are answered', async () => {
    for (const h of [
      host(),
      `localhost:${f.emulator.port}`,
      `[::1]:${f.emulator.port}`,
      `LOCALHOST:${f.emulator.port}`,
    ]) {
      const res = await raw(f.emulator, 'GET', '/hello-world/hello/world', { host: h });
      assert.equal(res.status, 200, h);
    }
  });
  test('the host of --base-url is answered, and is the origin the emulator reports', async () => {
    const proxied = await startEmulator({ demoApp: false, baseUrl: 'https://emulator.test.example/base' });
    try {
      const ok = await raw(proxied, 'GET', '/', { host: 'emulator.test.example' });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /https:\/\/emulator\.test\.example\/base\/oauth2\/token/);
      assert.equal((await raw(proxied, 'GET', '/', { host: 'other.example' })).status, 421);
    } finally {
      await proxied.close();
    }
  });
});

describe('Origin check (web pages)', () => {
  test('a cross-origin text/plain form POST to the control API is refused and adds nothing', async () => {
    const body = JSON.stringify({ name: 'Planted', apiKey: 'planted-key', products: [] });
    const res = await raw(
      f.emulator,
      'POST',
      '/_emulator/apps',
      { host: host(), origin: 'https://evil.example', 'content-type': 'text/plain' },
      body,
    );
    assert.equal(res.status, 403);
    const apps = await http(`${f.emulator.url}/_emulator/apps`, { headers: bearer() });
    assert.ok(!apps.text.includes('planted-key'));
  });
  test('a foreign Origin is refused on the platform routes too, even with the control token', async () => {
    const form = new URLSearchParams(clientCredentialsForm(await assertion(f, 'main-key'))).toString();
    for (const origin of ['https://evil.example', 'null', `http://localhost:${f.emulator.port + 1}`]) {
      const res = await raw(
        f.emulator,
        'POST',
        '/oauth2/token',
        { host: host(), origin, 'content-type': 'application/x-www-form-urlencoded' },
        form,
      );
      assert.equal(res.status, 403, origin);
      assert.ok(!res.text.includes('access_token'));
    }
    const withToken = await raw(
      f.emulator,
      'POST',
      '/_emulator/faults',
      { host: host(), origin: 'https://evil.example', 'content-type': 'application/json', ...bearer() },
      '{"path":"/oauth2/token"}',
    );
    assert.equal(withToken.status, 403);
  });
  test("the emulator's own origin (its sign-in form) is allowed", async () => {
    const res = await raw(f.emulator, 'GET', '/hello-world/hello/world', {
      host: host(),
      origin: `http://${host()}`,
    });
    assert.equal(res.status, 200);
  });
});

describe('control API token', () => {
  const post = (path: string, body: unknown, headers: Record<string, string>): Promise<RawResult> =>
    raw(
      f.emulator,
      'POST',
      path,
      { host: host(), 'content-type': 'application/json', ...headers },
      JSON.stringify(body),
    );
  test('without its token, or with a wrong one, every control route is 401', async () => {
    const app = { name: 'No token', apiKey: 'notoken-key', products: [] };
    assert.equal((await post('/_emulator/apps', app, {})).status, 401);
    assert.equal(
      (await post('/_emulator/apps', app, { authorization: 'Bearer wrong-token-of-some-length' })).status,
      401,
    );
    assert.equal(
      (await post('/_emulator/faults', { path: '/oauth2/token', preset: 'rate-limit' }, {})).status,
      401,
    );
    assert.equal((await raw(f.emulator, 'GET', '/_emulator/apps', { host: host() })).status, 401);
    assert.equal((await raw(f.emulator, 'DELETE', '/_emulator/faults', { host: host() })).status, 401);
    assert.equal((await raw(f.emulator, 'DELETE', '/_emulator/apps/main-key', { host: host() })).status, 401);
    assert.equal(
      (await postForm(f.emulator.tokenUrl(), clientCredentialsForm(await assertion(f, 'main-key')))).status,
      200,
      'no fault was injected',
    );
  });
  test('with its token it needs application/json to change state', async () => {
    const res = await raw(
      f.emulator,
      'POST',
      '/_emulator/apps',
      { host: host(), 'content-type': 'text/plain', ...bearer() },
      JSON.stringify({ name: 'Plain', apiKey: 'plain-key', products: [] }),
    );
    assert.equal(res.status, 415);
    assert.equal(
      (await post('/_emulator/apps', { name: 'Json', apiKey: 'json-key', products: [] }, bearer())).status,
      201,
    );
  });
  test('DELETE /_emulator/apps/<apiKey> removes an app: its assertions are then unknown', async () => {
    f.emulator.addApp({ ...f.apps.main, name: 'To delete', apiKey: 'delete-me/key' });
    assert.equal(
      (await postForm(f.emulator.tokenUrl(), clientCredentialsForm(await assertion(f, 'delete-me/key'))))
        .status,
      200,
    );
    const del = await raw(f.emulator, 'DELETE', `/_emulator/apps/${encodeURIComponent('delete-me/key')}`, {
      host: host(),
      ...bearer(),
    });
    assert.equal(del.status, 204);
    assert.equal(
      (
        await raw(f.emulator, 'DELETE', `/_emulator/apps/${encodeURIComponent('delete-me/key')}`, {
          host: host(),
          ...bearer(),
        })
      ).status,
      404,
    );
    const after = await postForm(
      f.emulator.tokenUrl(),
      clientCredentialsForm(await assertion(f, 'delete-me/key')),
    );
    assert.equal(after.status, 401);
    assert.equal(after.json.error_description, "Invalid 'iss'/'sub' claims in client_assertion JWT");
  });
});

describe('fault bodies are data, not pages', () => {
  test('an HTML content type, or a content-type header, is refused', async () => {
    const post = (body: unknown): Promise<RawResult> =>
      raw(
        f.emulator,
        'POST',
        '/_emulator/faults',
        { host: host(), 'content-type': 'application/json', ...bearer() },
        JSON.stringify(body),
      );
    const html = await post({
      path: '/planted',
      status: 200,
      body: '<script>fetch("/_emulator/apps")</script>',
      contentType: 'text/html',
    });
    assert.equal(html.status, 400);
    assert.match(html.text, /application\/json or text\/plain/);
    assert.equal(
      (
        await post({
          path: '/planted',
          status: 200,
          body: '<svg/>',
          headers: { 'Content-Type': 'image/svg+xml' },
        })
      ).status,
      400,
    );
    assert.equal(
      (await post({ path: '/planted', status: 200, body: 'x', contentType: 'text/plain\r\nx: y' })).status,
      400,
    );
    assert.equal(
      (await post({ path: '/planted', status: 200, body: 'hello', contentType: 'text/plain; charset=utf-8' }))
        .status,
      201,
    );
    const served = await raw(f.emulator, 'GET', '/planted', { host: host() });
    assert.equal(served.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
  });
  test('every answer says nosniff', async () => {
    for (const path of ['/', '/mock-cis2/jwks', '/nowhere']) {
      assert.equal(
        (await raw(f.emulator, 'GET', path, { host: host() })).headers['x-content-type-options'],
        'nosniff',
        path,
      );
    }
  });
});

describe('mock IdP redirects', () => {
  const authorize = (redirectUri: string, clientId = 'main-key'): string =>
    `/mock-cis2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', state: 's' })}`;
  test('an unregistered redirect_uri is refused: no redirect, no code', async () => {
    for (const path of ['/mock-cis2/authorize', '/mock-nhs-login/authorize']) {
      const url = authorize('https://evil.example/steal').replace('/mock-cis2/authorize', path);
      const res = await raw(
        f.emulator,
        'POST',
        url,
        { host: host(), 'content-type': 'application/x-www-form-urlencoded' },
        'username=656005750104',
      );
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.location, undefined);
      assert.match(res.text, /Invalid parameter: redirect_uri/);
    }
    const wrongType = await raw(
      f.emulator,
      'GET',
      authorize('https://evil.example/steal').replace('response_type=code', 'response_type=token'),
      { host: host() },
    );
    assert.equal(wrongType.status, 400, 'not even an error redirect');
    const platformClient = await raw(
      f.emulator,
      'GET',
      authorize('https://evil.example/oauth2/callback', 'nhs-auth-emulator-platform'),
      { host: host() },
    );
    assert.equal(platformClient.status, 400, "the platform client only returns to this emulator's /callback");
  });
  test("the app's registered redirect_uri gets the code", async () => {
    const res = await raw(
      f.emulator,
      'POST',
      authorize(REDIRECT),
      { host: host(), 'content-type': 'application/x-www-form-urlencoded' },
      'username=656005750104',
    );
    assert.equal(res.status, 302);
    assert.match(String(res.headers.location), /^https:\/\/app\.example\/callback\?code=/);
  });
});

describe('jwksUrl fetches', () => {
  test('a burst of assertions against a failing JWKS URL fetches it once, not once per assertion', async () => {
    let hits = 0;
    const failing = createServer((_req, res) => {
      hits += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    try {
      const port = (failing.address() as { port: number }).port;
      f.emulator.addApp({
        name: 'Failing JWKS',
        apiKey: 'failing-jwks-key',
        jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
        products: f.apps.main.products,
      });
      const send = async (): Promise<number> =>
        (await postForm(f.emulator.tokenUrl(), clientCredentialsForm(await assertion(f, 'failing-jwks-key'))))
          .status;
      const statuses = await Promise.all([send(), send(), send(), send(), send()]);
      statuses.push(await send(), await send());
      assert.deepEqual(statuses, [403, 403, 403, 403, 403, 403, 403]);
      assert.equal(hits, 1);
    } finally {
      failing.closeAllConnections();
      await new Promise<void>((r) => failing.close(() => r()));
    }
  });
});

describe('time claims', () => {
  test('a future nbf or an absurd iat is refused; a current iat is fine', async () => {
    const now = Math.floor(Date.now() / 1000);
    const send = async (claims: Record<string, unknown>): Promise<number> =>
      (
        await postForm(
          f.emulator.tokenUrl(),
          clientCredentialsForm(await assertion(f, 'main-key', { claims })),
        )
      ).status;
    assert.equal(await send({ nbf: now + 3600 }), 401);
    assert.equal(await send({ iat: 1e308 }), 401);
    assert.equal(await send({ iat: now, nbf: now }), 200);
  });
});

describe('nhs-auth emulator', () => {
  test('prints a random control token, or takes --control-token; removes the demo key when it stops', async () => {
    const out: string[] = [];
    const emulator = await startFromArgs(['--port', '0'], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    const text = out.join('\n');
    const printed = /^control token: (\S+)$/m.exec(text)?.[1];
    assert.equal(printed, emulator.controlToken);
    assert.ok(printed && printed.length >= 32);
    const keyPath = /Private key:\s+(\S+)/.exec(text)?.[1] ?? '';
    assert.match(await readFile(keyPath, 'utf8'), /BEGIN PRIVATE KEY/);
    await emulator.close();
    await assert.rejects(access(dirname(keyPath)), /ENOENT/, 'the temp folder with the demo key is gone');

    const set = await startFromArgs(['--port', '0', '--control-token', 'a-token-chosen-by-a-script'], {
      out: () => {},
      err: () => {},
    });
    try {
      assert.equal(set.controlToken, 'a-token-chosen-by-a-script');
      const res = await http(`${set.url}/_emulator/faults`, {
        headers: { authorization: 'Bearer a-token-chosen-by-a-script' },
      });
      assert.equal(res.status, 200);
    } finally {
      await set.close();
    }
  });
  test('a --host other than loopback prints a warning', async () => {
    const err: string[] = [];
    // An empty apps file stops it before it listens: the warning comes first.
    await assert.rejects(
      startFromArgs(['--port', '0', '--host', '0.0.0.0', '--apps', '/dev/null'], {
        out: () => {},
        err: (l) => err.push(l),
      }),
      /apps file/,
    );
    assert.match(err.join('\n'), /Warning: --host 0\.0\.0\.0 is not a loopback address/);
  });
});
