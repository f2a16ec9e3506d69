// `nhs-auth token …`: request a platform token from a terminal or CI, with the same client, retries
// and explanations as the extension. Tokens are printed only when asked for (--json, --print-token).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError, toAuthExplorerError } from '../../core/errors.ts';
import { explainError } from '../../core/explain/explainError.ts';
import { maskSecret, redact } from '../../core/log/redact.ts';
import { assertionSigner } from '../../core/token/assertionSigner.ts';
import { clientCredentialsGrant } from '../../core/token/clientCredentials.ts';
import { refreshTokenGrant } from '../../core/token/refreshTokenGrant.ts';
import type { TokenResult } from '../../core/token/requestToken.ts';
import { tokenExchangeGrant } from '../../core/token/tokenExchange.ts';
import { nhsPlatformProvider } from '../../core/token/tokenProvider.ts';
import { validateHttpUrl } from '../../core/environments.ts';
import { ENV_NAMES, resolveTokenUrl } from '../options.ts';
import { SecretReader } from '../secretInput.ts';
import { refreshTokenNotRotated } from '../../core/token/refreshOutcome.ts';
import { writeSecretFile } from '../writeSecretFile.ts';

const USAGE = `Usage:
  nhs-auth token client-credentials --env ENV|--token-url URL --api-key KEY --key PEMFILE --kid KID
  nhs-auth token exchange --env ENV|--token-url URL --api-key KEY --key PEMFILE --kid KID --subject-token-file FILE
  nhs-auth token refresh --env ENV|--token-url URL --client-id KEY --client-secret-file FILE --refresh-token-file FILE [--refresh-token-out FILE]

Options:
  --env ENV           the platform environment whose token URL to use: ${ENV_NAMES}
                      (local and custom also need --token-url)
  --json              print the server's response body (contains the tokens)
  --print-token       print the access token after the summary
  --timeout S         whole-request timeout in seconds (default 30, the platform team's advice)
  --param NAME=VALUE  extra form field, repeatable (e.g. the emulator's _access_token_expiry_ms)
  --no-retry          send once, no retries
  --refresh-token-out FILE  refresh: write the new refresh token to FILE (mode 0600) instead of printing it

A refresh always hands back the new refresh token (printed, in --json, or in --refresh-token-out):
platform refresh tokens are single-use, so the one you sent is used up.

Secrets: --client-secret-file, --refresh-token-file and --subject-token-file read a file, or standard
input when given '-'; or set NHS_AUTH_CLIENT_SECRET, NHS_AUTH_REFRESH_TOKEN, NHS_AUTH_SUBJECT_TOKEN.
--client-secret, --refresh-token and --subject-token still work but are visible to other local users (ps).
Plain http is refused except to 127.0.0.1, localhost or [::1]: secrets would cross the network in clear text.`;

const OPTIONS = {
  env: { type: 'string' },
  'token-url': { type: 'string' },
  'api-key': { type: 'string' },
  key: { type: 'string' },
  kid: { type: 'string' },
  'subject-token': { type: 'string' },
  'subject-token-file': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-secret-file': { type: 'string' },
  'refresh-token': { type: 'string' },
  'refresh-token-file': { type: 'string' },
  json: { type: 'boolean' },
  'print-token': { type: 'boolean' },
  timeout: { type: 'string' },
  param: { type: 'string', multiple: true },
  'no-retry': { type: 'boolean' },
  'refresh-token-out': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(values: Values, name: keyof Values, envName?: string): string {
  const v = (values[name] as string | undefined) ?? (envName ? process.env[envName] : undefined);
  if (!v)
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `--${String(name)} is required${envName ? ` (or set ${envName})` : ''}.`,
    );
  return v;
}

function timeoutMs(values: Values): number | undefined {
  if (values.timeout === undefined) return undefined;
  const s = Number(values.timeout);
  if (!Number.isFinite(s) || s <= 0 || s > 600)
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `--timeout must be a number of seconds between 0 and 600, got ${values.timeout}.`,
    );
  return Math.round(s * 1000);
}

function extraParams(values: Values): Record<string, string> | undefined {
  if (!values.param?.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of values.param) {
    const i = p.indexOf('=');
    if (i <= 0) throw new AuthExplorerError('ERR_ARGUMENT', `--param expects NAME=VALUE, got ${p}.`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `Cannot read the private key file ${path}: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
}

function seconds(n: number | undefined): string {
  return n === undefined ? 'unknown' : `${n} s`;
}

function summary(result: TokenResult, io: CliIo): void {
  const t = result.token;
  io.out(`token_type:    ${t.tokenType}`);
  io.out(`expires_in:    ${seconds(t.expiresInSeconds)}`);
  if (t.refreshToken !== undefined) {
    io.out(`refresh_count: ${t.refreshCount ?? 'not sent'}`);
    io.out(`refresh token expires in: ${seconds(t.refreshTokenExpiresInSeconds)}`);
  }
  io.out(`access_token:  ${maskSecret(t.accessToken)} (use --print-token or --json to see it)`);
  if (result.attempts > 1) io.out(`attempts:      ${result.attempts}`);
  io.out(`duration:      ${result.durationMs} ms`);
}

/** The sent refresh token is burnt: the rotated one must reach the user, and they are told where it is. */
async function handBackRefreshToken(
  result: TokenResult,
  values: Values,
  io: CliIo,
  providerName: string,
): Promise<number> {
  const rotated = result.token.refreshToken;
  if (!rotated) throw refreshTokenNotRotated(providerName);
  const out = values['refresh-token-out'];
  if (out) {
    await writeSecretFile(out, `${rotated}\n`);
    io.err(`nhs-auth: the new refresh token is in ${out} (mode 0600); the one you sent is used up.`);
  } else if (values.json) {
    io.err(
      'nhs-auth: the new refresh token is refresh_token in the JSON above; the one you sent is used up.',
    );
  } else {
    io.out(`refresh_token: ${rotated}`);
    io.err(
      'nhs-auth: keep the refresh_token above: refresh tokens are single-use, so the one you sent is used up.',
    );
  }
  return 0;
}

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'request a token: client-credentials | exchange | refresh',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    let values: Values;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }));
    } catch (e) {
      io.err(`nhs-auth token: ${(e as Error).message}`);
      io.err(USAGE);
      return 2;
    }
    const sub = positionals[0];
    if (!sub || !['client-credentials', 'exchange', 'refresh'].includes(sub) || positionals.length > 1) {
      io.err(
        sub
          ? `nhs-auth token: unknown subcommand '${positionals.join(' ')}'.`
          : 'nhs-auth token: a subcommand is required.',
      );
      io.err(USAGE);
      return 2;
    }
    const secrets: string[] = [];
    let tokenUrl: string | undefined;
    let apiKey: string | undefined;
    let timeout: number | undefined;
    try {
      tokenUrl = resolveTokenUrl(values.env, values['token-url'], true) as string;
      const insecure = validateHttpUrl(tokenUrl, 'token URL');
      if (insecure) throw new AuthExplorerError('ERR_URL_INVALID', insecure, { url: tokenUrl });
      timeout = timeoutMs(values);
      const secretReader = new SecretReader(io, io.readStdin);
      const provider = nhsPlatformProvider(tokenUrl);
      const common = {
        provider,
        timeoutMs: timeout,
        extraParams: extraParams(values),
        retry: values['no-retry']
          ? { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 }
          : undefined,
      };
      let result: TokenResult;
      if (sub === 'refresh') {
        apiKey = required(values, 'client-id');
        const clientSecret = await secretReader.required({
          flag: 'client-secret',
          envName: 'NHS_AUTH_CLIENT_SECRET',
          values,
        });
        const refreshToken = await secretReader.required({
          flag: 'refresh-token',
          envName: 'NHS_AUTH_REFRESH_TOKEN',
          values,
        });
        secrets.push(clientSecret, refreshToken);
        result = await refreshTokenGrant({
          ...common,
          apiKey,
          refreshToken,
          clientAuth: { method: 'client_secret_post', clientId: apiKey, clientSecret },
        });
      } else {
        apiKey = required(values, 'api-key');
        const pem = await readPem(required(values, 'key'));
        const assertion = assertionSigner({
          privateKeyPem: pem,
          kid: required(values, 'kid'),
          apiKey,
          tokenUrl,
        });
        if (sub === 'exchange') {
          const subjectToken = await secretReader.required({
            flag: 'subject-token',
            envName: 'NHS_AUTH_SUBJECT_TOKEN',
            values,
          });
          secrets.push(subjectToken);
          result = await tokenExchangeGrant({ ...common, apiKey, assertion, subjectToken });
        } else {
          result = await clientCredentialsGrant({ ...common, apiKey, assertion });
        }
      }
      if (values['refresh-token-out'] && sub !== 'refresh')
        throw new AuthExplorerError('ERR_ARGUMENT', '--refresh-token-out is for token refresh only.');
      if (values.json) io.out(JSON.stringify(result.body, null, 2));
      else summary(result, io);
      if (values['print-token'] && !values.json) io.out(result.token.accessToken);
      if (sub === 'refresh') return await handBackRefreshToken(result, values, io, provider.name);
      return 0;
    } catch (e) {
      const err = toAuthExplorerError(e);
      const x = explainError(err, {
        tokenUrl,
        apiKey,
        timeoutMs: timeout ?? 30_000,
        grant: sub === 'refresh' ? 'refresh_token' : undefined,
      });
      const clean = (s: string): string => redact(s, [...secrets, apiKey]);
      if (err.code === 'ERR_ARGUMENT') {
        // A wrong or missing option: its message is the whole story, said once.
        io.err(clean(`nhs-auth token: ${err.message}`));
        io.err("Run 'nhs-auth token --help' for the options.");
        return 1;
      }
      io.err(clean(`nhs-auth: ${err.code}: ${x.title}`));
      if (x.platform?.error_description || x.platform?.error) {
        io.err(
          clean(
            `  HTTP ${x.platform.status ?? '?'} ${x.platform.error ?? ''}: ${x.platform.error_description ?? ''}${x.platform.message_id ? ` (message_id ${x.platform.message_id})` : ''}`,
          ),
        );
      } else {
        io.err(clean(`  ${err.message}`));
      }
      io.err('Likely causes:');
      x.causes.forEach((c, i) => io.err(clean(`  ${i + 1}. ${c}`)));
      io.err(clean(`Fix: ${x.fix}`));
      return 1;
    }
  },
};
