// The project's emulator in a process of its own, with one app whose public key the bench passes
// in (BENCH_PUBLIC_JWK, BENCH_CLIENT_ID). Run by bench/throughput.bench.mjs.
import { startEmulator } from '../../src/core/emulator/server.ts';
import { reportReady } from './childProtocol.mjs';

const jwk = JSON.parse(process.env.BENCH_PUBLIC_JWK);
const emulator = await startEmulator({
  apps: [
    {
      name: 'Bench',
      apiKey: process.env.BENCH_CLIENT_ID,
      jwks: { keys: [jwk] },
      products: ['urn:nhsd:apim:app:level3:hello-world'],
    },
  ],
});
reportReady({ origin: emulator.url, tokenPath: '/oauth2/token', stats: () => emulator.stats() });
