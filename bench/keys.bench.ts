// Key generation vs `openssl genrsa 4096`, and assertion signing vs a bare crypto.sign of the same bytes.
// Run: node bench/keys.bench.ts   (Node 24)
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateKeyPair } from '../src/core/keys/generateKeyPair.ts';
import { signClientAssertion } from '../src/core/assertion/signClientAssertion.ts';

const KEYGEN_RUNS = Number(process.env.KEYGEN_RUNS ?? 5);
const SIGN_SECONDS = Number(process.env.SIGN_SECONDS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timeIt(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** ops/s over one time slice. */
async function slice(fn: () => Promise<unknown> | unknown, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

/**
 * Alternates short slices of the two functions so that load from other processes on a
 * shared machine hits both alike; reports the median of each and of the per-round ratios.
 */
async function compare(
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
): Promise<{ a: number; b: number; ratio: number; rounds: number }> {
  for (let i = 0; i < 20; i++) {
    await a();
    await b();
  }
  const rounds = Math.max(4, Math.round((SIGN_SECONDS * 1000) / 500));
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const x = await slice(a, 250);
    const y = await slice(b, 250);
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), rounds };
}

const dir = mkdtempSync(join(tmpdir(), 'nhs-auth-bench-'));
try {
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length} cores, Node ${process.version}, ${execFileSync('openssl', ['version']).toString().trim()}`,
  );
  console.log(
    `RSA-4096 key generation, ${KEYGEN_RUNS} runs each (interleaved; RSA keygen time varies a lot run to run)`,
  );
  const ours: number[] = [];
  const theirs: number[] = [];
  let privateKeyPem = '';
  for (let i = 0; i < KEYGEN_RUNS; i++) {
    ours.push(await timeIt(async () => ({ privateKeyPem } = await generateKeyPair())));
    theirs.push(
      await timeIt(() =>
        execFileSync('openssl', ['genrsa', '-out', join(dir, `k${i}.pem`), '4096'], { stdio: 'ignore' }),
      ),
    );
  }
  const row = (name: string, xs: number[]): string =>
    `  ${name.padEnd(28)} median ${median(xs).toFixed(0).padStart(6)} ms   min ${Math.min(...xs)
      .toFixed(0)
      .padStart(6)} ms   max ${Math.max(...xs)
      .toFixed(0)
      .padStart(6)} ms`;
  console.log(row('generateKeyPair (node)', ours));
  console.log(row('openssl genrsa 4096', theirs));
  console.log(`  ratio node/openssl (median): ${(median(ours) / median(theirs)).toFixed(2)}`);

  const tokenUrl = 'https://int.api.service.nhs.uk/oauth2-mock/token';
  const apiKey = 'Abcdefghijklmnopqrstuvwxyz012345';
  const fixed = {
    privateKeyPem,
    kid: 'test-1',
    apiKey,
    tokenUrl,
    jti: '00000000-0000-4000-8000-000000000000',
    now: 1_700_000_000_000,
  };
  const sample = await signClientAssertion(fixed);
  const signingInput = Buffer.from(sample.split('.').slice(0, 2).join('.'));
  const key = createPrivateKey(privateKeyPem);
  const res = await compare(
    () => signClientAssertion({ privateKeyPem, kid: 'test-1', apiKey, tokenUrl }),
    () => sign('sha512', signingInput, key),
  );
  console.log(`\nRS512 signing, sequential on one thread, ${res.rounds} alternating rounds of 250 ms each`);
  console.log(`  signClientAssertion (PEM in, JWT out)  ${res.a.toFixed(0).padStart(6)} ops/s (median)`);
  console.log(`  crypto.sign sha512, same bytes         ${res.b.toFixed(0).padStart(6)} ops/s (median)`);
  console.log(`  ratio signClientAssertion/bare (median of rounds): ${res.ratio.toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
