// Where the CLI takes a secret from: --NAME-file PATH, --NAME-file - (standard input), the environment,
// or --NAME on the command line. A command line is visible to every local user (ps, /proc), so that
// last way still works but earns a warning on standard error.
import { readFile } from 'node:fs/promises';
import { AuthExplorerError } from '../core/errors.ts';
import type { CliIo } from './command.ts';

export interface SecretSource {
  /** The option name without dashes, e.g. 'client-secret'; the file option is `${flag}-file`. */
  flag: string;
  envName: string;
  values: Readonly<Record<string, unknown>>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads secrets for one command; standard input can serve at most one of them. */
export class SecretReader {
  readonly #io: CliIo;
  readonly #stdin: () => Promise<string>;
  #stdinUsedBy: string | undefined;

  constructor(io: CliIo, stdin: () => Promise<string> = readStdin) {
    this.#io = io;
    this.#stdin = stdin;
  }

  /** The secret, or undefined when none of its sources is given. Trailing newlines of a file are dropped. */
  async read({ flag, envName, values }: SecretSource): Promise<string | undefined> {
    const fileFlag = `${flag}-file`;
    const inline = values[flag] as string | undefined;
    const file = values[fileFlag] as string | undefined;
    if (inline !== undefined && file !== undefined)
      throw new AuthExplorerError('ERR_ARGUMENT', `Give --${flag} or --${fileFlag}, not both.`);
    if (file !== undefined) {
      let text: string;
      if (file === '-') {
        if (this.#stdinUsedBy)
          throw new AuthExplorerError(
            'ERR_ARGUMENT',
            `Standard input already holds --${this.#stdinUsedBy}; give --${fileFlag} a file.`,
          );
        this.#stdinUsedBy = fileFlag;
        text = await this.#stdin();
      } else {
        try {
          text = await readFile(file, 'utf8');
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new AuthExplorerError(
            'ERR_ARGUMENT',
            `Cannot read --${fileFlag} '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable')}.`,
            { path: file },
          );
        }
      }
      const value = text.replace(/[\r\n]+$/, '');
      if (!value)
        throw new AuthExplorerError(
          'ERR_ARGUMENT',
          `--${fileFlag} ${file === '-' ? '(standard input)' : `'${file}'`} is empty.`,
        );
      return value;
    }
    if (inline !== undefined) {
      this.#io.err(
        `Warning: --${flag} on the command line is visible to other local users (ps). Prefer --${fileFlag} FILE, --${fileFlag} - (standard input) or ${envName}.`,
      );
      return inline;
    }
    return process.env[envName] || undefined;
  }

  async required(source: SecretSource): Promise<string> {
    const v = await this.read(source);
    if (!v)
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        `--${source.flag}-file (or ${source.envName}) is required.`,
      );
    return v;
  }
}
