// `nhs-auth lint`: every reason the platform would reject a client assertion, before sending it.
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { hasErrors, lintAssertion } from '../../core/assertion/lintAssertion.ts';
import type { LintFinding } from '../../core/assertion/lintAssertion.ts';
import { parseJwks } from '../../core/keys/jwks.ts';
import { ENV_NAMES, parseCommandArgs, readTextFile, resolveTokenUrl } from '../options.ts';
import { decodeJwtParts } from '../../core/jwt/decode.ts';
import { environmentOfTokenUrl, getEnvironment, isEnvironmentId } from '../../core/environments.ts';
import { kidEnvironmentFindings } from '../../core/preflight/environmentPairing.ts';
import { lintSubjectToken } from './lintSubjectToken.ts';

const usage = `Usage: nhs-auth lint JWT (--env NAME | --token-url URL) [--api-key KEY] [--jwks FILE] [--json]
       nhs-auth lint --subject-token (JWT | - | @FILE) --env NAME [--scope SCOPE ...] [--level LEVEL] [--json]
  JWT may be '-' to read it from stdin.
  --subject-token: an NHS login or CIS2 ID token to check before a token exchange: the platform's
    subject_token rules, its issuer against the identity provider paired with --env, and the user's
    level against the app's product scopes (--scope, repeatable) or the level they need (--level P9|aal3).
    Prefer - (stdin) or @FILE: a token on the command line is visible to other processes.
  --env: ${ENV_NAMES} (local and custom also need --token-url).
  --jwks: the JWKS you registered; checks the kid is published and the signature verifies.
  --api-key defaults to NHS_AUTH_API_KEY when set.
  Exit status: 1 when the platform would reject the assertion, 0 otherwise.`;

const MAX_STDIN_BYTES = 1024 * 1024;

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_STDIN_BYTES)
      throw new AuthExplorerError('ERR_ARGUMENT', 'stdin is over 1 MB; that is not a client assertion.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function print(io: CliIo, findings: LintFinding[], checkedSignature: boolean): void {
  for (const f of findings) {
    io.out(`${f.severity === 'error' ? 'error  ' : 'warning'} [${f.rule}] ${f.message}`);
    if (f.platformError) {
      const e = f.platformError;
      const inferred = (f as { inferred?: boolean }).inferred ? ' (inferred)' : '';
      io.out(
        `        platform${inferred}: HTTP ${e.status} {"error":${JSON.stringify(e.error)},"error_description":${JSON.stringify(e.error_description)}}`,
      );
    }
    io.out(`        fix: ${f.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (errors === 0) {
    io.out(
      `OK: the platform should accept this assertion${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.${checkedSignature ? '' : ' Signature not checked: pass --jwks.'}`,
    );
  } else {
    io.out(
      `${errors} error${errors > 1 ? 's' : ''}, ${warnings} warning${warnings === 1 ? '' : 's'}. The platform reports only the first error; fix them in order.`,
    );
  }
}

/** A KID named for the other kind of environment (test-N on production, prod-N on a test one). */
function kidPairing(jwt: string, env: string | undefined, tokenUrl: string | undefined): LintFinding[] {
  const info =
    env !== undefined && isEnvironmentId(env)
      ? getEnvironment(env)
      : tokenUrl
        ? environmentOfTokenUrl(tokenUrl)
        : undefined;
  if (!info) return [];
  let kid: unknown;
  try {
    kid = decodeJwtParts(jwt).header.kid;
  } catch {
    return [];
  }
  return kidEnvironmentFindings(kid, info).map((f) => ({ ...f, severity: 'warning' as const }));
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: "check a client assertion against the platform's rules, with exact errors and fixes",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        env: { type: 'string' },
        'token-url': { type: 'string' },
        'api-key': { type: 'string' },
        jwks: { type: 'string' },
        json: { type: 'boolean' },
        'subject-token': { type: 'string' },
        scope: { type: 'string', multiple: true },
        level: { type: 'string' },
      },
      true,
    );
    if (values['subject-token'] !== undefined) {
      if (positionals.length > 0)
        throw new AuthExplorerError(
          'ERR_ARGUMENT',
          'Give either a client assertion to lint or --subject-token, not both.',
        );
      return lintSubjectToken(io, {
        token: values['subject-token'],
        env: values.env,
        tokenUrl: values['token-url'],
        scopes: values.scope,
        level: values.level,
        json: values.json,
        readStdin,
      });
    }
    if (values.scope !== undefined || values.level !== undefined)
      throw new AuthExplorerError('ERR_ARGUMENT', '--scope and --level go with --subject-token.');
    if (positionals.length !== 1)
      throw new AuthExplorerError('ERR_ARGUMENT', 'lint needs exactly one JWT argument (or - for stdin).');
    const tokenUrl = resolveTokenUrl(values.env, values['token-url'], true);
    const jwt = positionals[0] === '-' ? await readStdin() : positionals[0]!;
    const jwks = values.jwks ? parseJwks(await readTextFile(values.jwks, 'JWKS file')) : undefined;
    const findings = await lintAssertion(jwt, {
      tokenUrl,
      apiKey: values['api-key'] ?? process.env.NHS_AUTH_API_KEY,
      jwks,
    });
    findings.push(...kidPairing(jwt, values.env, tokenUrl));
    if (values.json) io.out(JSON.stringify(findings, null, 2));
    else print(io, findings, jwks !== undefined);
    return hasErrors(findings) ? 1 : 0;
  },
};
