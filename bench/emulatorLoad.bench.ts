// A long seeded load run against the emulator, memory measured after each round: abandoned
// /authorize sign-ins (a pending state each), unredeemed mock-IdP codes, client_credentials (a jti and
// an access token each) and injected faults that are never used. Memory must level off once the
// stores reach their caps instead of growing with every request. Loopback only; bounded in count.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SignJWT } from 'jose';
import { Pool } from 'undici';
import { startEmulator } from '../src/core/emulator/server.ts';
import type { RunningEmulator } from '../src/core/emulator/server.ts';

const ROUNDS = Number(process.env.NHS_AUTH_BENCH_ROUNDS ?? 10);
const PER_ROUND = { authorize: 5000, idpCodes: 2000, clientCredentials: 200, faults: 200 };
const CONCURRENCY = 16;
const REDIRECT = 'https://app.example/callback';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A seeded xorshift, so every run sends the same mix.
let seed = 0x5eed11;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'load-1', use: 'sig' } as Record<string, unknown>;
const app = {
  name: 'Load',
  apiKey: 'load-app-key-0001',
  clientSecret: 'load-secret-0001',
  redirectUri: REDIRECT,
  jwks: { keys: [jwk] },
  products: ['urn:nhsd:apim:app:level3:hello-world', 'urn:nhsd:apim:user-nhs-cis2:aal3:hello-world'],
};

interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

async function send(pool: Pool, reqs: Req[]): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < reqs.length; i = next++) {
        const r = reqs[i]!;
        const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
        await res.body.dump();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

async function roundRequests(emu: RunningEmulator, round: number): Promise<Req[]> {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const control: Record<string, string> = {
    'content-type': 'application/json',
    ...(emu.controlToken ? { authorization: `Bearer ${emu.controlToken}` } : {}),
  };
  const reqs: Req[] = [];
  for (let i = 0; i < PER_ROUND.authorize; i++) {
    const q = new URLSearchParams({
      client_id: app.apiKey,
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: `s${round}-${i}-${Math.floor(rand() * 1e9)}`,
    });
    reqs.push({ method: 'GET', path: `/oauth2/authorize?${q}` });
  }
  for (let i = 0; i < PER_ROUND.idpCodes; i++) {
    const q = new URLSearchParams({
      client_id: app.apiKey,
      redirect_uri: REDIRECT,
      response_type: 'code',
      state: `c${i}`,
    });
    reqs.push({
      method: 'POST',
      path: `/mock-cis2/authorize?${q}`,
      headers: form,
      body: 'username=656005750104',
    });
  }
  const aud = emu.tokenUrl();
  for (let i = 0; i < PER_ROUND.clientCredentials; i++) {
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'load-1' })
      .setIssuer(app.apiKey)
      .setSubject(app.apiKey)
      .setAudience(aud)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
      .sign(privateKey);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    reqs.push({ method: 'POST', path: '/oauth2/token', headers: form, body });
  }
  for (let i = 0; i < PER_ROUND.faults; i++) {
    reqs.push({
      method: 'POST',
      path: '/_emulator/faults',
      headers: control,
      body: JSON.stringify({ path: `/never-called/${round}/${i}`, status: 503 }),
    });
  }
  // Shuffle with the seeded generator so the kinds interleave.
  for (let i = reqs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [reqs[i], reqs[j]] = [reqs[j]!, reqs[i]!];
  }
  return reqs;
}

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const emu = await startEmulator({ apps: [app] });
const pool = new Pool(emu.url, { connections: CONCURRENCY });
const perRound = Object.values(PER_ROUND).reduce((a, b) => a + b, 0);
console.log(
  `emulator load: ${ROUNDS} rounds of ${perRound} requests (concurrency ${CONCURRENCY}) on ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}`,
);
const base = heapMiB();
console.log(`round  requests  heapUsed MiB  +MiB vs start  statuses  state`);
const heaps: number[] = [];
const started = performance.now();
for (let round = 1; round <= ROUNDS; round++) {
  const statuses = await send(pool, await roundRequests(emu, round));
  const heap = heapMiB();
  heaps.push(heap);
  const state = typeof emu.stats === 'function' ? JSON.stringify(emu.stats()) : '(no stats)';
  console.log(
    `${String(round).padStart(5)}  ${String(round * perRound).padStart(8)}  ${heap.toFixed(1).padStart(12)}  ${(heap - base).toFixed(1).padStart(13)}  ${JSON.stringify(Object.fromEntries(statuses))}  ${state}`,
  );
}
const half = Math.floor(ROUNDS / 2);
const slope = (heaps[ROUNDS - 1]! - heaps[half - 1]!) / (((ROUNDS - half) * perRound) / 10_000);
console.log(
  `growth over the second half: ${slope.toFixed(2)} MiB per 10 000 requests; total ${(heaps[ROUNDS - 1]! - base).toFixed(1)} MiB after ${ROUNDS * perRound} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await pool.close();
await emu.close();
