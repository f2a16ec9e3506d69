// Overhead of the token client (retry wrapper, log entry with decoded assertion, redaction, JSON parsing,
// normalisation) against a bare undici request to the same emulator endpoint, on the undici transport
// (the CLI's) and for Hello World also on the fetch transport (the extension's). Assertions are pre-signed
// so RSA signing is not measured. Runs interleaved (client, bare, client, …) to share any drift.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startEmulator } from '../src/core/emulator/server.ts';
import { signClientAssertion } from '../src/core/assertion/signClientAssertion.ts';
import { clientCredentialsGrant } from '../src/core/token/clientCredentials.ts';
import { nhsPlatformProvider } from '../src/core/token/tokenProvider.ts';
import { httpRequest } from '../src/core/http/httpRequest.ts';
import { fetchTransport } from '../src/core/http/fetchTransport.ts';
import type { RequestLogEntry } from '../src/core/log/requestLogEntry.ts';

const N = Number(process.env['BENCH_N'] ?? 200);
const WARMUP = 20;

function stats(xs: number[]): { mean: number; p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, p50: q(0.5), p95: q(0.95) };
}

const emu = await startEmulator({ demoApp: true });
const demo = emu.demo!;
const tokenUrl = emu.tokenUrl();
const provider = nhsPlatformProvider(tokenUrl);
const total = 2 * (N + WARMUP);
process.stdout.write(`pre-signing ${total} RS512 assertions (4096-bit)… `);
const assertions: string[] = [];
for (let i = 0; i < total; i++)
  assertions.push(
    await signClientAssertion({
      privateKeyPem: demo.privateKeyPem,
      kid: demo.kid,
      apiKey: demo.app.apiKey,
      tokenUrl,
    }),
  );
console.log('done');

let next = 0;
const logs: RequestLogEntry[] = [];
async function viaClient(): Promise<void> {
  const a = assertions[next++]!;
  const r = await clientCredentialsGrant({
    provider,
    assertion: async () => a,
    apiKey: demo.app.apiKey,
    onLog: (e) => {
      logs.push(e);
      if (logs.length > 100) logs.length = 0;
    },
  });
  if (r.status !== 200) throw new Error('client failed');
}
async function bare(): Promise<void> {
  const a = assertions[next++]!;
  const res = await request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: a,
    }).toString(),
  });
  const body = (await res.body.json()) as { access_token?: string };
  if (res.statusCode !== 200 || !body.access_token) throw new Error('bare failed');
}
const helloUrl = `${emu.url}/hello-world/hello/world`;
async function helloClient(): Promise<void> {
  const r = await httpRequest({ url: helloUrl });
  JSON.parse(r.bodyText);
}
async function helloBare(): Promise<void> {
  const r = await request(helloUrl);
  await r.body.json();
}
// The extension's transport (the host's fetch; here Node's own) under the same client.
const viaFetch = fetchTransport();
async function helloClientFetch(): Promise<void> {
  const r = await httpRequest({ url: helloUrl, transport: viaFetch });
  JSON.parse(r.bodyText);
}

async function run(pairs: [string, () => Promise<void>, () => Promise<void>][]): Promise<void> {
  const rows: string[][] = [];
  for (const [name, a, b] of pairs) {
    const ta: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < WARMUP; i++) {
      await a();
      await b();
    }
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      await a();
      ta.push(performance.now() - t);
      t = performance.now();
      await b();
      tb.push(performance.now() - t);
    }
    const sa = stats(ta);
    const sb = stats(tb);
    rows.push([
      `${name}: client`,
      sa.mean.toFixed(3),
      sa.p50.toFixed(3),
      sa.p95.toFixed(3),
      (sa.mean / sb.mean).toFixed(2),
    ]);
    rows.push([`${name}: bare undici`, sb.mean.toFixed(3), sb.p50.toFixed(3), sb.p95.toFixed(3), '1.00']);
    rows.push([
      `${name}: overhead/call`,
      (sa.mean - sb.mean).toFixed(3),
      (sa.p50 - sb.p50).toFixed(3),
      '',
      '',
    ]);
  }
  const head = ['case', 'mean ms', 'p50 ms', 'p95 ms', 'ratio'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
console.log(`N = ${N} calls per side (after ${WARMUP} warm-up), interleaved, emulator on 127.0.0.1`);
await run([
  ['POST /oauth2/token client_credentials', viaClient, bare],
  ['GET /hello-world/hello/world', helloClient, helloBare],
  ['GET /hello-world/hello/world, fetch transport', helloClientFetch, helloBare],
]);
await emu.close();
