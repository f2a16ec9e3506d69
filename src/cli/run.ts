// Entry point of the bundled CLI (dist/cli.cjs).
import { main } from './main.ts';

main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
