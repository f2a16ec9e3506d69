// The CLI process as a person runs it, behind a corporate-style network: a CONNECT proxy and a token
// server whose certificate a private CA signs (the emulator behind TLS), all on 127.0.0.1. The token
// host name (token.test) does not resolve, so only the proxy can reach it. The CLI gets a token through
// the proxy with the CA given in NODE_EXTRA_CA_CERTS, fails with an explained certificate error
// without it, and goes direct for NO_PROXY hosts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../../src/core/emulator/server.ts';
import { makePrivateCa } from '../net/privateCa.ts';
import { startConnectProxy, type RunningProxy } from '../net/connectProxy.ts';

const runTs = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

let dir: string;
let caFile: string;
const keyFiles = new Map<RunningEmulator, string>();
let tlsFront: TlsServer;
let frontPort: number;
let tlsEmu: RunningEmulator;
let plainEmu: RunningEmulator;
let proxy: RunningProxy;
const sockets = new Set<Socket>();

/** The CLI in its own process, with only the environment a person would set (no inherited proxy variables). */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(https?_proxy|no_proxy|all_proxy|node_extra_ca_certs|nhs_auth_use_system_ca)$/i.test(k),
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runTs, ...args], {
      env: { ...base, NHS_AUTH_API_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function tokenArgs(emu: RunningEmulator, tokenUrl: string): string[] {
  const d = emu.demo!;
  return [
    'token',
    'client-credentials',
    '--token-url',
    tokenUrl,
    '--api-key',
    d.app.apiKey,
    '--key',
    keyFiles.get(emu)!,
    '--kid',
    d.kid,
  ];
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nhs-auth-cli-proxy-'));
  const ca = makePrivateCa({ dnsNames: ['token.test'] });
  caFile = join(dir, 'inspecting-proxy-ca.pem');
  await writeFile(caFile, ca.caPem);
  // TLS in front of the emulator, whose public base URL is https://token.test:<front port>.
  let emuPort = 0;
  tlsFront = createTlsServer({ key: ca.serverKeyPem, cert: ca.serverCertPem }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const upstream = connect(emuPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => tlsFront.listen(0, '127.0.0.1', r));
  frontPort = (tlsFront.address() as AddressInfo).port;
  tlsEmu = await startEmulator({ demoApp: true, baseUrl: `https://token.test:${frontPort}` });
  emuPort = tlsEmu.port;
  plainEmu = await startEmulator({ demoApp: true });
  proxy = await startConnectProxy({ routes: { 'token.test': frontPort } });
  for (const [name, emu] of [
    ['tls', tlsEmu],
    ['plain', plainEmu],
  ] as const) {
    const file = join(dir, `${name}-key.pem`);
    await writeFile(file, emu.demo?.privateKeyPem ?? '', { mode: 0o600 });
    keyFiles.set(emu, file);
  }
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => tlsFront.close(() => r()));
  await tlsEmu.close();
  await plainEmu.close();
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
});

describe('nhs-auth behind a proxy and a TLS-inspecting CA', () => {
  test('HTTPS_PROXY and NODE_EXTRA_CA_CERTS: a token from a host only the proxy reaches', async () => {
    const before = proxy.hits.length;
    const r = await cli(tokenArgs(tlsEmu, `https://token.test:${frontPort}/oauth2/token`), {
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /token_type:\s+Bearer/);
    assert.deepEqual(
      proxy.hits.slice(before).map((h) => `${h.method} ${h.target}`),
      [`CONNECT token.test:${frontPort}`],
    );
  });

  test('without the CA: exit 1, ERR_HTTP_TLS explained as an inspecting proxy, with the CLI fix first', async () => {
    const r = await cli(tokenArgs(tlsEmu, `https://token.test:${frontPort}/oauth2/token`), {
      HTTPS_PROXY: proxy.url,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_HTTP_TLS/);
    assert.match(
      r.stderr,
      /certificate authority this machine does not trust \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
    assert.match(r.stderr, /inspects HTTPS/);
    assert.match(r.stderr, /Fix: For the nhs-auth CLI: set NODE_EXTRA_CA_CERTS/);
    assert.ok(!r.stderr.includes(tlsEmu.demo!.app.apiKey), 'no API key in the error');
  });

  test('HTTP_PROXY carries a plain-http token call; NO_PROXY sends it direct', async () => {
    const url = plainEmu.tokenUrl();
    const before = proxy.hits.length;
    const viaProxy = await cli(tokenArgs(plainEmu, url), { HTTP_PROXY: proxy.url });
    assert.equal(viaProxy.code, 0, viaProxy.stderr);
    // undici tunnels http through CONNECT as well.
    assert.deepEqual(
      proxy.hits.slice(before).map((h) => `${h.method} ${h.target}`),
      [`CONNECT ${new URL(url).host}`],
    );
    const mark = proxy.hits.length;
    const direct = await cli(tokenArgs(plainEmu, url), {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'localhost,127.0.0.1',
    });
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(proxy.hits.length, mark, 'the NO_PROXY host was reached without the proxy');
  });

  test('a NO_PROXY host that only the proxy could resolve fails as DNS, with the proxy advice', async () => {
    const mark = proxy.hits.length;
    const r = await cli(tokenArgs(tlsEmu, `https://token.test:${frontPort}/oauth2/token`), {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '.test',
      NODE_EXTRA_CA_CERTS: caFile,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_HTTP_DNS/);
    assert.match(r.stderr, /HTTPS_PROXY/);
    assert.equal(proxy.hits.length, mark);
  });
});
