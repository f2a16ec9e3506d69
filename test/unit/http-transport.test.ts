// Both transports under httpRequest, through a real CONNECT proxy to a TLS server whose certificate a
// private CA signs (both on 127.0.0.1): the proxy carries the request, the CA decides trust, NO_PROXY
// goes direct, a refused tunnel and an untrusted issuer are explained. The fetch transport runs on
// undici's fetch with a proxy dispatcher, standing in for the host's proxy-patched fetch.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { httpRequest } from '../../src/core/http/httpRequest.ts';
import type { HttpTransport } from '../../src/core/http/transport.ts';
import { undiciTransport } from '../../src/core/http/undiciTransport.ts';
import { fetchTransport } from '../../src/core/http/fetchTransport.ts';
import { caCertificates, envDispatcher, proxyEnv } from '../../src/core/http/envDispatcher.ts';
import { rootCertificates } from 'node:tls';
import { explainError } from '../../src/core/explain/explainError.ts';
import { checkJwksUrl } from '../../src/core/preflight/checkJwksUrl.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { makePrivateCa } from '../net/privateCa.ts';
import type { PrivateCa } from '../net/privateCa.ts';
import { startConnectProxy } from '../net/connectProxy.ts';
import type { RunningProxy } from '../net/connectProxy.ts';

let ca: PrivateCa;
let server: Server;
let port: number;
let proxy: RunningProxy;
const closers: Dispatcher[] = [];

function viaFetch(dispatcher: Dispatcher): HttpTransport {
  return fetchTransport(((url: string, init: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch);
}

const kinds: [string, (d: Dispatcher) => HttpTransport][] = [
  ['undici', undiciTransport],
  ['fetch', viaFetch],
];

before(async () => {
  ca = makePrivateCa({ dnsNames: ['token.test', 'localhost'] });
  server = createServer({ key: ca.serverKeyPem, cert: ca.serverCertPem }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, host: req.headers.host }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // token.test does not resolve: only the proxy, which maps it to the server, can reach it.
  proxy = await startConnectProxy({ routes: { 'token.test': port } });
});
after(async () => {
  for (const d of closers) await d.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await proxy.close();
});

function track<T extends Dispatcher>(d: T): T {
  closers.push(d);
  return d;
}

for (const [name, make] of kinds) {
  describe(`httpRequest over ${name} through a CONNECT proxy`, () => {
    test('reaches a host only the proxy can resolve, trusting the private CA it is given', async () => {
      const before = proxy.hits.length;
      const dispatcher = track(new ProxyAgent({ uri: proxy.url, requestTls: { ca: ca.caPem } }));
      const r = await httpRequest({
        url: `https://token.test:${port}/oauth2/token`,
        transport: make(dispatcher),
      });
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.bodyText), { path: '/oauth2/token', host: `token.test:${port}` });
      assert.deepEqual(
        proxy.hits.slice(before).map((h) => `${h.method} ${h.target}`),
        [`CONNECT token.test:${port}`],
      );
    });

    test('without the CA: ERR_HTTP_TLS marked as an untrusted issuer, explained with the fixes for VS Code and the CLI', async () => {
      const dispatcher = track(new ProxyAgent({ uri: proxy.url }));
      await assert.rejects(
        httpRequest({ url: `https://token.test:${port}/oauth2/token`, transport: make(dispatcher) }),
        (e: unknown) => {
          assert.ok(e instanceof AuthExplorerError);
          assert.equal(e.code, 'ERR_HTTP_TLS');
          assert.equal(e.details['untrustedIssuer'], true);
          assert.equal(e.details['mayHaveReachedServer'], false);
          assert.equal(e.details['transport'], name);
          assert.match(e.message, /certificate authority this machine does not trust/);
          const x = explainError(e);
          assert.equal(x.id, 'tls-untrusted-issuer');
          assert.match(x.causes[0] ?? '', /inspects HTTPS/);
          assert.match(x.fix, /NODE_EXTRA_CA_CERTS/);
          assert.match(x.fix, /http\.systemCertificates/);
          // The extension's transport leads with the VS Code fix, the CLI's with the environment.
          assert.match(x.fix, name === 'fetch' ? /^In VS Code/ : /^For the nhs-auth CLI/);
          return true;
        },
      );
    });

    test('a proxy that is not running: ERR_HTTP_CONNECT naming the proxy, not the server', async () => {
      const gone = await startConnectProxy();
      await gone.close();
      const dispatcher = track(new ProxyAgent({ uri: gone.url }));
      await assert.rejects(
        httpRequest({ url: `https://token.test:${port}/`, transport: make(dispatcher) }),
        (e: unknown) => {
          assert.ok(e instanceof AuthExplorerError);
          assert.equal(e.code, 'ERR_HTTP_CONNECT');
          assert.equal(e.details['proxy'], `127.0.0.1:${gone.port}`);
          assert.match(
            e.message,
            new RegExp(`Could not connect to the proxy at 127\\.0\\.0\\.1:${gone.port}`),
          );
          assert.equal(explainError(e).id, 'proxy-unreachable');
          return true;
        },
      );
    });

    test('a proxy that wants credentials: ERR_HTTP_CONNECT with the 407 explained, nothing sent', async () => {
      const strict = await startConnectProxy({ routes: { 'token.test': port }, credentials: 'alice:s3cret' });
      try {
        const dispatcher = track(new ProxyAgent({ uri: strict.url, requestTls: { ca: ca.caPem } }));
        await assert.rejects(
          httpRequest({ url: `https://token.test:${port}/`, transport: make(dispatcher) }),
          (e: unknown) => {
            assert.ok(e instanceof AuthExplorerError);
            assert.equal(e.code, 'ERR_HTTP_CONNECT');
            assert.equal(e.details['proxyStatus'], 407);
            assert.equal(e.details['mayHaveReachedServer'], false);
            assert.equal(explainError(e).id, 'proxy-auth');
            return true;
          },
        );
        const authed = track(
          new ProxyAgent({
            uri: `http://alice:s3cret@127.0.0.1:${strict.port}`,
            requestTls: { ca: ca.caPem },
          }),
        );
        const r = await httpRequest({ url: `https://token.test:${port}/ok`, transport: make(authed) });
        assert.equal(r.status, 200);
        assert.ok(strict.hits.some((h) => h.authorized));
      } finally {
        await strict.close();
      }
    });
  });
}

describe('the JWKS check behind an inspecting proxy', () => {
  test('an untrusted issuer says it may be this network\u2019s proxy, not the JWKS host', async () => {
    const dispatcher = track(new ProxyAgent({ uri: proxy.url }));
    const report = await checkJwksUrl(`https://token.test:${port}/jwks.json`, {
      transport: undiciTransport(dispatcher),
    });
    const tls = report.findings.find((f) => f.rule === 'jwks-unreachable-tls');
    assert.ok(tls, JSON.stringify(report.findings.map((f) => f.rule)));
    assert.match(tls.fix, /inspects HTTPS/);
  });
});

describe('envDispatcher (the CLI\u2019s): HTTPS_PROXY, NO_PROXY and the CA from the environment', () => {
  test('HTTPS_PROXY carries the request; NO_PROXY hosts go direct', async () => {
    const before = proxy.hits.length;
    // Without the CA the proxied handshake fails (the CLI gets it from NODE_EXTRA_CA_CERTS, see the CLI test).
    const proxied = track(envDispatcher({ HTTPS_PROXY: proxy.url }));
    const withCa = track(new ProxyAgent({ uri: proxy.url, requestTls: { ca: ca.caPem } }));
    await assert.rejects(
      httpRequest({ url: `https://localhost:${port}/`, transport: undiciTransport(proxied) }),
      (e: unknown) => (e as AuthExplorerError).code === 'ERR_HTTP_TLS',
    );
    assert.deepEqual(
      proxy.hits.slice(before).map((h) => h.target),
      [`localhost:${port}`],
      'the proxied attempt went through the proxy',
    );
    const ok = await httpRequest({ url: `https://localhost:${port}/`, transport: undiciTransport(withCa) });
    assert.equal(ok.status, 200);
    const mark = proxy.hits.length;
    const direct = track(envDispatcher({ https_proxy: proxy.url, NO_PROXY: 'example.org, localhost' }));
    await assert.rejects(
      httpRequest({ url: `https://localhost:${port}/`, transport: undiciTransport(direct) }),
      (e: unknown) => (e as AuthExplorerError).code === 'ERR_HTTP_TLS',
    );
    assert.equal(proxy.hits.length, mark, 'a NO_PROXY host is reached without the proxy');
  });

  test('NHS_AUTH_USE_SYSTEM_CA=1 adds the system store to Node\u2019s CAs; unset, Node\u2019s default context stays', () => {
    assert.equal(caCertificates({}), undefined);
    assert.equal(caCertificates({ NHS_AUTH_USE_SYSTEM_CA: '0' }), undefined);
    const withSystem = caCertificates({ NHS_AUTH_USE_SYSTEM_CA: '1' }) ?? [];
    assert.ok(withSystem.length >= rootCertificates.length, `${withSystem.length} certificates`);
    assert.ok(withSystem.every((pem) => pem.includes('BEGIN CERTIFICATE')));
  });

  test('reads lower case before upper case, ignores blanks', () => {
    assert.deepEqual(
      proxyEnv({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', HTTP_PROXY: ' ', NO_PROXY: 'x' }),
      { httpProxy: undefined, httpsProxy: 'http://a:1', noProxy: 'x' },
    );
  });
});
