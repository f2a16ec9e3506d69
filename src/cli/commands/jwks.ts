// `nhs-auth jwks check`: fetch a JWKS URL the way the platform does and say whether it would accept it.
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { publicJwk } from '../../core/keys/jwks.ts';
import { checkJwksUrl, PLATFORM_JWKS_TIMEOUT_MS } from '../../core/preflight/checkJwksUrl.ts';
import type { LocalPublicKey } from '../../core/preflight/checkJwksUrl.ts';
import { hasPreflightErrors } from '../../core/preflight/findings.ts';
import { countLine, printFindings } from '../printFindings.ts';
import { parseCommandArgs, readTextFile } from '../options.ts';

const usage = `Usage: nhs-auth jwks check URL [--kid KID] [--key PEMFILE] [--timeout SECONDS] [--json]
  Fetches URL as the platform does (GET, User-Agent: APIM, no redirects, ${PLATFORM_JWKS_TIMEOUT_MS / 1000} s timeout)
  and reports every reason it would refuse the key, with the platform's exact error and the fix.
  --kid: the KID your client assertions name; it must be published.
  --key: your public or private key PEM; the published key must have the same modulus.
  Exit status: 1 when the platform would refuse the JWKS, 0 otherwise.`;

async function localKey(path: string, kid: string | undefined): Promise<LocalPublicKey> {
  const jwk = await publicJwk(await readTextFile(path, 'key file'), kid ?? 'local');
  return { kid, n: jwk.n, e: jwk.e };
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      kid: { type: 'string' },
      key: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (positionals.length !== 1)
    throw new AuthExplorerError('ERR_ARGUMENT', 'jwks check needs exactly one URL.');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!(s > 0) || s > 300)
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        `--timeout must be a number of seconds between 0 and 300, got '${values.timeout}'.`,
      );
    timeoutMs = s * 1000;
  }
  const localKeys = values.key ? [await localKey(values.key, values.kid)] : undefined;
  const report = await checkJwksUrl(positionals[0]!, { kid: values.kid, localKeys, timeoutMs });
  const refused = hasPreflightErrors(report.findings);
  if (values.json) {
    io.out(JSON.stringify({ ...report, accepted: !refused }, null, 2));
  } else {
    io.out(`JWKS URL: ${report.url}`);
    if (report.response)
      io.out(
        `fetched:  HTTP ${report.response.status} in ${report.response.durationMs} ms${report.response.keyCount !== undefined ? `, ${report.response.keyCount} key(s)` : ''}`,
      );
    printFindings(io, report.findings);
    io.out(
      refused
        ? `REFUSED: ${countLine(report.findings)}. The platform reports only the first; fix them in order.`
        : `OK: the platform can fetch this JWKS${values.kid ? ` and find kid '${values.kid}'` : ''} (${countLine(report.findings)}).`,
    );
  }
  return refused ? 1 : 0;
}

export const jwksCommand: CliCommand = {
  name: 'jwks',
  summary: 'check a JWKS URL the way the platform fetches it',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest, io);
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `Unknown jwks subcommand '${sub ?? ''}'. Use: nhs-auth jwks check URL.`,
    );
  },
};
