import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo, LookupFunction } from 'node:net';
import forge from 'node-forge';
import { Agent, fetch as undiciFetch } from 'undici';
import { httpRequest } from '../../src/core/http/httpRequest.ts';
import { undiciTransport } from '../../src/core/http/undiciTransport.ts';
import { fetchTransport } from '../../src/core/http/fetchTransport.ts';
import { parseJsonBody } from '../../src/core/http/parseJsonBody.ts';
import { clockSkewFromDate } from '../../src/core/http/clockSkew.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function code(e: unknown): string {
  assert.ok(e instanceof AuthExplorerError, `expected AuthExplorerError, got ${String(e)}`);
  return e.code;
}

// Every guarantee on both transports: undici (the CLI's) and fetch (the extension's; Node's global fetch
// stands in for the extension host's).
for (const [kind, transport] of [
  ['undici', undefined],
  ['fetch', fetchTransport()],
] as const)
  describe(`httpRequest over ${kind}`, () => {
    const closers: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of closers) await c();
    });

    test('returns status, headers, body, timings and skew from the Date header', async () => {
      const ahead = 5 * 60_000;
      const s = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          date: new Date(Date.now() + ahead).toUTCString(),
        });
        res.end('{"ok":true}');
      });
      closers.push(s.close);
      const r = await httpRequest({ transport, url: `${s.url}/x` });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(parseJsonBody(r), { ok: true });
      assert.ok(r.durationMs >= 0 && r.receivedAt >= r.startedAt);
      assert.ok(Math.abs(r.clockSkewMs - ahead) < 2000, `skew ${r.clockSkewMs}`);
      assert.ok(r.serverDate !== undefined);
    });

    test('times out with ERR_HTTP_TIMEOUT and says the server may have the request', async () => {
      const s = await serve(() => {
        /* never answers */
      });
      closers.push(s.close);
      await assert.rejects(
        httpRequest({ transport, url: s.url, method: 'POST', body: 'a=b', timeoutMs: 200 }),
        (e: unknown) => {
          assert.equal(code(e), 'ERR_HTTP_TIMEOUT');
          assert.equal((e as AuthExplorerError).details['mayHaveReachedServer'], true);
          return true;
        },
      );
    });

    test('a slow header then a stalled body is still bounded by the one deadline', async () => {
      const s = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a":');
      });
      closers.push(s.close);
      await assert.rejects(
        httpRequest({ transport, url: s.url, timeoutMs: 250 }),
        (e: unknown) => code(e) === 'ERR_HTTP_TIMEOUT',
      );
    });

    test('cancellation through an AbortSignal gives ERR_CANCELLED', async () => {
      const s = await serve(() => {
        /* never answers */
      });
      closers.push(s.close);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(
        httpRequest({ transport, url: s.url, signal: ac.signal, timeoutMs: 5000 }),
        (e: unknown) => code(e) === 'ERR_CANCELLED',
      );
      const pre = new AbortController();
      pre.abort();
      await assert.rejects(
        httpRequest({ transport, url: s.url, signal: pre.signal }),
        (e: unknown) => code(e) === 'ERR_CANCELLED',
      );
    });

    test('a refused connection is ERR_HTTP_CONNECT with nothing sent', async () => {
      const s = await serve(() => undefined);
      const url = s.url;
      await s.close();
      await assert.rejects(httpRequest({ transport, url, method: 'POST', body: 'x' }), (e: unknown) => {
        assert.equal(code(e), 'ERR_HTTP_CONNECT');
        assert.equal((e as AuthExplorerError).details['mayHaveReachedServer'], false);
        return true;
      });
    });

    test('a socket destroyed mid-request is ERR_HTTP_RESET, possibly processed', async () => {
      const s = await serve((req) => {
        req.resume();
        req.on('end', () => req.socket.destroy());
      });
      closers.push(s.close);
      await assert.rejects(
        httpRequest({ transport, url: s.url, method: 'POST', body: 'x=1' }),
        (e: unknown) => {
          assert.equal(code(e), 'ERR_HTTP_RESET');
          assert.equal((e as AuthExplorerError).details['mayHaveReachedServer'], true);
          return true;
        },
      );
    });

    test('responses over the size limit fail, declared or streamed', async () => {
      const s = await serve((req, res) => {
        if (req.url === '/declared') {
          res.writeHead(200, { 'content-length': String(3 * 1024 * 1024) });
          res.end(Buffer.alloc(3 * 1024 * 1024, 0x61));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        for (let i = 0; i < 40; i++) res.write(chunk);
        res.end();
      });
      closers.push(s.close);
      await assert.rejects(
        httpRequest({ transport, url: `${s.url}/declared` }),
        (e: unknown) => code(e) === 'ERR_HTTP_RESPONSE_TOO_LARGE',
      );
      await assert.rejects(
        httpRequest({ transport, url: `${s.url}/streamed` }),
        (e: unknown) => code(e) === 'ERR_HTTP_RESPONSE_TOO_LARGE',
      );
      const ok = await httpRequest({
        transport,
        url: `${s.url}/streamed`,
        maxResponseBytes: 4 * 1024 * 1024,
      });
      assert.equal(ok.bodyText.length, 40 * 64 * 1024);
    });

    test('an HTML page (even with 200) is ERR_HTTP_NOT_JSON with a short redacted excerpt', async () => {
      const secret = 'SECRET-refresh-token-value-123456';
      const s = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body><h1>Proxy login</h1><p>token ${secret}</p>${'x'.repeat(2000)}</body></html>`);
      });
      closers.push(s.close);
      const r = await httpRequest({ transport, url: s.url });
      assert.throws(
        () => parseJsonBody(r, [secret]),
        (e: unknown) => {
          assert.equal(code(e), 'ERR_HTTP_NOT_JSON');
          const d = (e as AuthExplorerError<'ERR_HTTP_NOT_JSON'>).details;
          assert.equal(d['status'], 200);
          assert.equal(d['html'], true);
          const excerpt = String(d['excerpt']);
          assert.ok(excerpt.includes('Proxy login'));
          assert.ok(!excerpt.includes(secret));
          assert.ok(excerpt.length < 400);
          return true;
        },
      );
    });

    test('DNS failures are ERR_HTTP_DNS (resolver injected, no network)', async () => {
      const dispatcher = new Agent({
        connect: {
          lookup: ((
            _host: string,
            _opts: unknown,
            cb: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
          ) => {
            cb(
              Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }),
              '',
              4,
            );
          }) as unknown as LookupFunction,
        },
      });
      try {
        await assert.rejects(
          httpRequest({
            url: 'http://nowhere.invalid/token',
            transport:
              kind === 'undici'
                ? undiciTransport(dispatcher)
                : fetchTransport(((u: string, i: RequestInit) =>
                    undiciFetch(u, { ...(i as object), dispatcher })) as unknown as typeof fetch),
          }),
          (e: unknown) => {
            assert.equal(code(e), 'ERR_HTTP_DNS');
            assert.equal((e as AuthExplorerError).details['mayHaveReachedServer'], false);
            return true;
          },
        );
      } finally {
        await dispatcher.close();
      }
    });

    test('an untrusted certificate is ERR_HTTP_TLS', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.publicKeyFromPem(
        publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      cert.serialNumber = '01';
      cert.validity.notBefore = new Date(Date.now() - 60_000);
      cert.validity.notAfter = new Date(Date.now() + 3_600_000);
      const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
      cert.setSubject(attrs);
      cert.setIssuer(attrs);
      const forgeKey = forge.pki.privateKeyFromPem(
        privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      );
      cert.sign(forgeKey, forge.md.sha256.create());
      const server = createHttpsServer(
        { key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: forge.pki.certificateToPem(cert) },
        (_q, r) => r.end('{}'),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      try {
        await assert.rejects(httpRequest({ transport, url: `https://127.0.0.1:${port}/` }), (e: unknown) => {
          assert.equal(code(e), 'ERR_HTTP_TLS');
          assert.equal((e as AuthExplorerError).details['mayHaveReachedServer'], false);
          return true;
        });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    test('bad URLs and timeouts are rejected before sending', async () => {
      await assert.rejects(
        httpRequest({ transport, url: 'not a url' }),
        (e: unknown) => code(e) === 'ERR_URL_INVALID',
      );
      await assert.rejects(
        httpRequest({ transport, url: 'ftp://127.0.0.1/' }),
        (e: unknown) => code(e) === 'ERR_URL_INVALID',
      );
      await assert.rejects(
        httpRequest({ transport, url: 'http://127.0.0.1:1/', timeoutMs: 0 }),
        (e: unknown) => code(e) === 'ERR_ARGUMENT',
      );
    });
  });

describe('clockSkewFromDate', () => {
  test('ignores differences within the header resolution and reports larger ones', () => {
    const t = Date.parse('2026-01-01T10:00:00.000Z');
    assert.equal(clockSkewFromDate(new Date(t).toUTCString(), t, t + 100), 0);
    assert.equal(clockSkewFromDate(undefined, t, t), 0);
    assert.equal(clockSkewFromDate('garbage', t, t), 0);
    const skew = clockSkewFromDate(new Date(t + 120_000).toUTCString(), t, t + 200);
    assert.ok(Math.abs(skew - 120_000) <= 1000, String(skew));
    const behind = clockSkewFromDate(new Date(t - 60_000).toUTCString(), t, t);
    assert.ok(Math.abs(behind + 60_000) <= 1000, String(behind));
  });
});
