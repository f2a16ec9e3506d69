// `nhs-auth`: the extension's core on the command line, for CI and terminals.
import type { CliCommand, CliIo } from './command.ts';
import { describeError } from './describeError.ts';
import { tokenCommand } from './commands/token.ts';
import { emulatorCommand } from './commands/emulator.ts';
import { keysCommand } from './commands/keys.ts';
import { assertionCommand } from './commands/assertion.ts';
import { lintCommand } from './commands/lint.ts';
import { jwksCommand } from './commands/jwks.ts';
import { explainCommand } from './commands/explain.ts';

declare const __VERSION__: string | undefined;
const version = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

// Subcommands register here, one import each.
const commands: CliCommand[] = [
  tokenCommand,
  emulatorCommand,
  keysCommand,
  assertionCommand,
  lintCommand,
  jwksCommand,
  explainCommand,
];

function help(io: CliIo): void {
  io.out(`nhs-auth ${version}: NHS England API Platform auth from the command line`);
  io.out('');
  io.out('Usage: nhs-auth <command> [options]');
  io.out('');
  io.out('Commands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(12)} ${c.summary}`);
  io.out('');
  io.out('Options:');
  io.out('  --help       show help (also: nhs-auth <command> --help)');
  io.out('  --version    print the version');
  io.out('');
  io.out('Environment:');
  io.out('  HTTPS_PROXY, HTTP_PROXY  proxy for https / http URLs (http://[user:password@]host:port)');
  io.out(
    '  NO_PROXY                 hosts reached directly, comma-separated (e.g. localhost,127.0.0.1,.nhs.uk)',
  );
  io.out("  NODE_EXTRA_CA_CERTS      a PEM file of extra CAs to trust (a TLS-inspecting proxy's CA)");
  io.out("  NHS_AUTH_USE_SYSTEM_CA=1 also trust the operating system's certificate store");
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    help(io);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(version);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.err(`nhs-auth: unknown command '${first}'. Run 'nhs-auth --help' for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    io.err(describeError(e));
    return 1;
  }
}
