// The CLI's io captured line by line, for tests that run `main(argv, io)` in-process.
import type { CliIo } from '../src/cli/command.ts';

export interface CapturedIo extends CliIo {
  stdout: string[];
  stderr: string[];
}

export function capture(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
