// Token-endpoint throughput, each server in a process of its own, driven by one autocannon load
// generator in this process: a bare node:http server with a fixed body (the floor), the emulator,
// and oidc-provider (configured for client_credentials with private_key_jwt RS512), side by side.
// Every request carries a fresh-jti RS512 assertion signed with a 4096-bit key before the run, so
// signing is no part of the figures. Then a long run against the emulator, its resident memory
// sampled after every round. Loopback only.
//   npm run bench -- throughput         (BENCH_REPEATS, BENCH_REQUESTS, BENCH_LONG_ROUNDS to change)
import { fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signClientAssertion } from '../src/core/assertion/signClientAssertion.ts';
import { CLIENT_ASSERTION_TYPE } from '../src/core/platform/clientAssertionRules.ts';

const here = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WARMUP = 300;
const CONNECTIONS = 16;
const LONG_ROUNDS = Number(process.env.BENCH_LONG_ROUNDS ?? 5);
const CLIENT_ID = 'bench-app-key-0001';

const SERVERS = [
  { name: 'bare node:http', file: 'bareServer.mjs' },
  { name: 'emulator', file: 'emulatorServer.mjs' },
  { name: 'oidc-provider', file: 'oidcProviderServer.mjs', clientIdParam: true },
];

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', use: 'sig', alg: 'RS512' };

function start(server) {
  const child = fork(join(here, 'servers', server.file), [], {
    env: { ...process.env, BENCH_PUBLIC_JWK: JSON.stringify(publicJwk), BENCH_CLIENT_ID: CLIENT_ID },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${server.name} exited (${code}) before it listened`)));
    child.once('message', (m) => {
      child.removeAllListeners('exit');
      resolve({ child, tokenUrl: `${m.origin}${m.tokenPath}`, origin: m.origin, tokenPath: m.tokenPath });
    });
  });
}

function sample(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send({ type: 'sample' });
  });
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  await exited;
}

/** Form bodies, each with a fresh jti, for this server's token URL. */
async function bodies(n, tokenUrl, clientIdParam) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const assertion = await signClientAssertion({
      privateKey,
      kid: publicJwk.kid,
      apiKey: CLIENT_ID,
      tokenUrl,
    });
    const form = {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    };
    if (clientIdParam) form.client_id = CLIENT_ID;
    out.push(new URLSearchParams(form).toString());
  }
  return out;
}

async function load(origin, path, forms) {
  let next = 0;
  const t0 = performance.now();
  const result = await autocannon({
    url: origin,
    connections: CONNECTIONS,
    amount: forms.length,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: forms[next++ % forms.length] }),
      },
    ],
  });
  const elapsed = performance.now() - t0;
  const total = result.requests.total;
  // Timed here: autocannon's duration, start and finish follow its 1 s ticks, too coarse for a 1-2 s run.
  return {
    rps: (total * 1000) / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

console.log(
  `token endpoint throughput: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${REPEATS} repeats; each: ${WARMUP} warm-up then ${REQUESTS} requests, ${CONNECTIONS} connections, one autocannon, each server its own process, fresh-jti RS512 4096-bit assertions`,
);
const figures = new Map(SERVERS.map((s) => [s.name, []]));
for (let r = 0; r < REPEATS; r++) {
  // Rotated order, so drift on a shared machine does not always favour the same server.
  const order = SERVERS.map((_, i) => SERVERS[(i + r) % SERVERS.length]);
  for (const server of order) {
    const running = await start(server);
    try {
      const forms = await bodies(WARMUP + REQUESTS, running.tokenUrl, server.clientIdParam);
      await load(running.origin, running.tokenPath, forms.slice(0, WARMUP));
      const f = await load(running.origin, running.tokenPath, forms.slice(WARMUP));
      f.rss = (await sample(running.child)).rss;
      figures.get(server.name).push(f);
      console.log(
        `  repeat ${r + 1}  ${server.name.padEnd(15)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  2xx ${f.ok}  other ${f.other}  rss ${(f.rss / 2 ** 20).toFixed(0)} MiB`,
      );
      if (f.ok !== REQUESTS)
        console.log(
          `  ${server.name}: ${REQUESTS - f.ok} requests did not get a 2xx: the figures above are not comparable`,
        );
    } finally {
      await stop(running.child);
    }
  }
}

console.log('\nserver            req/s median (spread)   p50 ms   p99 ms');
for (const [name, fs] of figures) {
  console.log(
    `${name.padEnd(17)} ${median(fs.map((f) => f.rps))
      .toFixed(0)
      .padStart(6)} (${spread(fs.map((f) => f.rps))})`.padEnd(42) +
      `${median(fs.map((f) => f.p50))
        .toFixed(1)
        .padStart(5)}  ${median(fs.map((f) => f.p99))
        .toFixed(1)
        .padStart(7)}`,
  );
}
const ratio = (a, b) => figures.get(a).map((f, i) => f.rps / figures.get(b)[i].rps);
for (const [a, b] of [
  ['emulator', 'bare node:http'],
  ['oidc-provider', 'bare node:http'],
  ['emulator', 'oidc-provider'],
]) {
  const xs = ratio(a, b);
  console.log(
    `ratio ${a}/${b}: ${median(xs).toFixed(2)}x (per repeat ${xs.map((x) => x.toFixed(2)).join(', ')})`,
  );
}

if (LONG_ROUNDS > 0) {
  console.log(
    `\nemulator memory over a long run: ${LONG_ROUNDS} rounds of ${REQUESTS} client_credentials requests (RSS and heap after a GC)`,
  );
  const running = await start(SERVERS[1]);
  try {
    const base = await sample(running.child);
    console.log(
      `  start     rss ${(base.rss / 2 ** 20).toFixed(1)} MiB  heap ${(base.heapUsed / 2 ** 20).toFixed(1)} MiB`,
    );
    for (let round = 1; round <= LONG_ROUNDS; round++) {
      const f = await load(
        running.origin,
        running.tokenPath,
        await bodies(REQUESTS, running.tokenUrl, false),
      );
      const s = await sample(running.child);
      console.log(
        `  round ${String(round).padStart(2)}  rss ${(s.rss / 2 ** 20).toFixed(1)} MiB  heap ${(s.heapUsed / 2 ** 20).toFixed(1)} MiB  ${f.rps.toFixed(0)} req/s  2xx ${f.ok}  state ${JSON.stringify(s.stats)}`,
      );
    }
  } finally {
    await stop(running.child);
  }
}
