// `nhs-auth lint --subject-token`: an ID token checked before it is sent to the token exchange.
import type { CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { getEnvironment, isEnvironmentId, parseHttpUrl } from '../../core/environments.ts';
import { hasPreflightErrors } from '../../core/preflight/findings.ts';
import { preflightIdToken } from '../../core/preflight/idTokenPreflight.ts';
import { countLine, printFindings } from '../printFindings.ts';
import { ENV_NAMES, readTextFile } from '../options.ts';

export interface SubjectTokenArgs {
  token: string;
  env?: string;
  tokenUrl?: string;
  scopes?: string[];
  level?: string;
  json?: boolean;
  readStdin: () => Promise<string>;
}

async function tokenText(arg: string, readStdin: () => Promise<string>): Promise<string> {
  if (arg === '-') return (await readStdin()).trim();
  if (arg.startsWith('@')) return (await readTextFile(arg.slice(1), 'ID token file')).trim();
  return arg.trim();
}

export async function lintSubjectToken(io: CliIo, a: SubjectTokenArgs): Promise<number> {
  if (a.env === undefined)
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `lint --subject-token needs --env (${ENV_NAMES}): the API environment decides which identity provider's tokens it accepts.`,
    );
  if (!isEnvironmentId(a.env))
    throw new AuthExplorerError('ERR_ARGUMENT', `Unknown --env '${a.env}'. Use one of: ${ENV_NAMES}.`);
  const emulatorUrl = a.tokenUrl ? parseHttpUrl(a.tokenUrl, 'token URL').origin : undefined;
  const token = await tokenText(a.token, a.readStdin);
  const findings = preflightIdToken(token, {
    environmentId: a.env,
    emulatorUrl,
    productScopes: a.scopes,
    requiredLevel: a.level,
  });
  const refused = hasPreflightErrors(findings);
  if (a.json) {
    io.out(JSON.stringify(findings, null, 2));
  } else {
    printFindings(io, findings);
    const env = getEnvironment(a.env).label;
    io.out(
      refused
        ? `REFUSED: the ${env} token exchange would reject this ID token (${countLine(findings)}). The platform reports only the first; fix them in order.`
        : `OK: the ${env} token exchange should accept this ID token's header and claims (${countLine(findings)}). Its signature is checked by the platform against the identity provider's keys.`,
    );
  }
  return refused ? 1 : 0;
}
