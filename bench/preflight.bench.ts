// Pre-flight costs: a JWKS URL check against a loopback server (one GET, parse, compare), how closely
// the check keeps its deadline against a server that never answers, the ID-token pre-flight, and the
// pairing check across many profiles. Bounded loops, loopback only.
// Run: node bench/preflight.bench.ts   (Node 24)
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { checkJwksUrl } from '../src/core/preflight/checkJwksUrl.ts';
import { preflightIdToken } from '../src/core/preflight/idTokenPreflight.ts';
import { environmentPairingFindings } from '../src/core/preflight/environmentPairing.ts';
import type { PairingProfile } from '../src/core/preflight/environmentPairing.ts';

const JWKS_RUNS = Number(process.env.JWKS_RUNS ?? 200);
const DEADLINE_RUNS = Number(process.env.DEADLINE_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`,
);

const key = generateKeyPairSync('rsa', { modulusLength: 4096 });
const jwk = {
  ...(key.publicKey.export({ format: 'jwk' }) as { n: string; e: string }),
  kid: 'test-1',
  use: 'sig',
  alg: 'RS512',
};
const body = JSON.stringify({ keys: [jwk] });
const hanging = new Set<ServerResponse>();
const server = createServer((req, res) => {
  if (req.url === '/hang') {
    hanging.add(res);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  const localKeys = [{ kid: 'test-1', n: jwk.n, e: jwk.e }];
  for (let i = 0; i < 10; i++) await checkJwksUrl(`${base}/jwks.json`, { localKeys });
  const times: number[] = [];
  for (let i = 0; i < JWKS_RUNS; i++) {
    const t0 = performance.now();
    const r = await checkJwksUrl(`${base}/jwks.json`, { localKeys });
    times.push(performance.now() - t0);
    if (r.findings.some((f) => f.severity === 'error')) throw new Error('the good JWKS was refused');
  }
  console.log(`\ncheckJwksUrl, good 4096-bit JWKS on 127.0.0.1, ${JWKS_RUNS} sequential checks`);
  console.log(
    `  median ${median(times).toFixed(2)} ms   p95 ${pct(times, 0.95).toFixed(2)} ms   max ${Math.max(...times).toFixed(2)} ms`,
  );

  const deadline = 500;
  const late: number[] = [];
  for (let i = 0; i < DEADLINE_RUNS; i++) {
    const t0 = performance.now();
    const r = await checkJwksUrl(`${base}/hang`, { timeoutMs: deadline });
    late.push(performance.now() - t0 - deadline);
    if (!r.findings.some((f) => f.rule === 'jwks-unreachable-timeout')) throw new Error('no timeout finding');
  }
  console.log(
    `\ndeadline against a server that never answers (timeoutMs ${deadline}; the platform's own is 55 000), ${DEADLINE_RUNS} runs`,
  );
  console.log(
    `  reported after deadline + median ${median(late).toFixed(1)} ms (max ${Math.max(...late).toFixed(1)} ms)`,
  );
} finally {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const input = `${b64({ alg: 'RS512', typ: 'JWT', kid: 'k' })}.${b64({ iss: 'https://auth.aos.signin.nhs.uk', aud: 'c', exp: Math.floor(Date.now() / 1000) + 3600, identity_proofing_level: 'P9' })}`;
const idToken = `${input}.${sign('sha512', Buffer.from(input), key.privateKey).toString('base64url')}`;
const products = ['urn:nhsd:apim:user-nhs-login:P9:pds', 'urn:nhsd:apim:user-nhs-cis2:aal3:pds'];
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < 1000) {
  preflightIdToken(idToken, { environmentId: 'int', productScopes: products });
  n++;
}
console.log(
  `\npreflightIdToken (decode + every rule), 1 s on one thread: ${Math.round((n * 1000) / (performance.now() - t0))} tokens/s`,
);

for (const count of [10, 100, 300]) {
  const envs = ['int', 'int-mock', 'prod', 'dev', 'sandbox'] as const;
  const profiles: PairingProfile[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    name: `p${i}`,
    environmentId: envs[i % envs.length]!,
    keys: [
      { kid: `test-${i}`, thumbprint: `t${i % 7}` },
      { kid: `prod-${i}`, thumbprint: `u${i}` },
    ],
    apiKeyFingerprint: `f${i % 11}`,
  }));
  const runs: number[] = [];
  let findings = 0;
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    findings = environmentPairingFindings(profiles).length;
    runs.push(performance.now() - s);
  }
  console.log(
    `environmentPairingFindings, ${String(count).padStart(3)} profiles × 2 keys: median ${median(runs).toFixed(2)} ms (${findings} findings)`,
  );
}
