// The shape of one `nhs-auth` subcommand. Each lives in its own file under src/cli/commands/.
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** All of standard input (for `--…-file -`); process.stdin when absent. */
  readStdin?(): Promise<string>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit status. */
  run(args: string[], io: CliIo): Promise<number>;
}
