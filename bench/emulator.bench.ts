// Emulator throughput: client_credentials with full RS512 verification, next to a bare node:http
// server returning a fixed token body. 2000 requests, concurrency 16, over 127.0.0.1.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { importPKCS8, SignJWT } from 'jose';
import { Pool } from 'undici';
import { startEmulator } from '../src/core/emulator/server.ts';

const REQUESTS = 2000;
const CONCURRENCY = 16;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
}

async function run(origin: string, path: string, bodies: string[]): Promise<Figures> {
  const pool = new Pool(origin, { connections: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const t0 = performance.now();
        const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bodies[i] });
        await res.body.text();
        latencies.push(performance.now() - t0);
        if (res.statusCode === 200) ok++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { rps: bodies.length / elapsed, p50: q(0.5), p99: q(0.99), ok };
}

const emulator = await startEmulator();
const demo = emulator.demo;
if (!demo) throw new Error('no demo app');
const key = await importPKCS8(demo.privateKeyPem, 'RS512');
const aud = emulator.tokenUrl();
// Pre-sign: every request needs a fresh jti, and signing is the client's cost, not the server's.
const bodies: string[] = [];
for (let i = 0; i < REQUESTS + 200; i++) {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: demo.kid })
    .setIssuer(demo.app.apiKey)
    .setSubject(demo.app.apiKey)
    .setAudience(aud)
    .setJti(randomUUID())
    .setExpirationTime('5m')
    .sign(key);
  bodies.push(new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt }).toString());
}

const fixed = JSON.stringify({ access_token: 'x'.repeat(32), expires_in: '599', token_type: 'Bearer', issued_at: String(Date.now()) });
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(fixed));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareOrigin = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;

// Warm-up (JIT, connections), with its own jtis.
await run(emulator.url, '/oauth2/token', bodies.slice(REQUESTS));
await run(bareOrigin, '/oauth2/token', bodies.slice(0, 200));
const em = await run(emulator.url, '/oauth2/token', bodies.slice(0, REQUESTS));
const bs = await run(bareOrigin, '/oauth2/token', bodies.slice(0, REQUESTS));

console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(`${REQUESTS} requests, concurrency ${CONCURRENCY}, 127.0.0.1, RS512 4096-bit client assertions`);
console.log('');
console.log('server                          req/s    p50 ms   p99 ms   200s');
const row = (name: string, x: Figures): string =>
  `${name.padEnd(30)} ${x.rps.toFixed(0).padStart(6)}  ${x.p50.toFixed(2).padStart(7)}  ${x.p99.toFixed(2).padStart(7)}  ${String(x.ok).padStart(5)}`;
console.log(row('emulator client_credentials', em));
console.log(row('bare node:http fixed body', bs));
console.log('');
console.log(`ratio bare/emulator: ${(bs.rps / em.rps).toFixed(1)}x`);

await emulator.close();
bare.closeAllConnections();
await new Promise<void>((r) => bare.close(() => r()));
