// `nhs-auth explain`: what a platform error means and how to fix it, from a pasted body or log line.
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { explainText } from '../../core/explain/explainText.ts';
import { parseCommandArgs } from '../options.ts';
import { readStdin } from './lint.ts';

const usage = `Usage: nhs-auth explain (TEXT | -) [--status N] [--json]
  TEXT: a platform error body ({"error":…,"error_description":…} or an Apigee {"fault":…}), a CI log
    line that contains one, an error_description on its own, or an Apigee errorcode.
  -: read the text from stdin (paste a log, then Ctrl-D).
  --status: the HTTP status, when the text does not say it.
  Exit status: 0 when the error was recognised, 1 when it was not.`;

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'explain a platform error (a body, a log line or a message): likely causes and the fix',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { status: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length === 0)
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        'explain needs the error text (or - to read it from stdin).',
      );
    let status: number | undefined;
    if (values.status !== undefined) {
      if (!/^[1-5]\d\d$/.test(values.status))
        throw new AuthExplorerError(
          'ERR_ARGUMENT',
          `--status must be an HTTP status from 100 to 599, not '${values.status}'.`,
        );
      status = Number(values.status);
    }
    const text =
      positionals.length === 1 && positionals[0] === '-'
        ? await (io.readStdin ?? readStdin)()
        : positionals.join(' ');
    if (!text.trim()) throw new AuthExplorerError('ERR_ARGUMENT', 'explain got empty text.');
    const { explanation: x, recognised } = explainText(text, status);
    if (values.json) {
      io.out(
        JSON.stringify(
          recognised
            ? { recognised, ...x }
            : { recognised, id: x.id, title: 'Not a platform error this tool knows', fix: x.fix },
          null,
          2,
        ),
      );
      return recognised ? 0 : 1;
    }
    if (!recognised) {
      // The text is not echoed back: a pasted log line may hold a token.
      io.out('Not a platform error this tool knows.');
      io.out(
        '  Paste the whole response body (the JSON with error and error_description, or the Apigee fault) if you have it.',
      );
      io.out(`  fix: ${x.fix}`);
      return 1;
    }
    io.out(`${x.title} [${x.id}]`);
    const p = x.platform;
    const said = [p?.error, p?.error_description].filter((v) => v).join(': ');
    if (said)
      io.out(
        `  platform: ${p?.status ? `HTTP ${p.status} ` : ''}${said}${p?.message_id ? ` (message_id ${p.message_id})` : ''}`,
      );
    io.out('  likely causes:');
    for (const c of x.causes) io.out(`    - ${c}`);
    io.out(`  fix: ${x.fix}`);
    return 0;
  },
};
