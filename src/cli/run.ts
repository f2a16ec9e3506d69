// Entry point of the bundled CLI (dist/cli.cjs). Every request of this process (token calls, the JWKS
// check, the emulator's own fetches) goes out through undici's global dispatcher, set here from the
// environment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, NODE_EXTRA_CA_CERTS, NHS_AUTH_USE_SYSTEM_CA.
import { setGlobalDispatcher } from 'undici';
import { envDispatcher } from '../core/http/envDispatcher.ts';
import { describeError } from './describeError.ts';
import { main } from './main.ts';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

// A reader that stops early (`nhs-auth --help | head`) closes the pipe: that is not a failure of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  setGlobalDispatcher(envDispatcher(process.env));
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
} catch (e) {
  io.err(describeError(e));
  process.exitCode = 1;
}
