// Option helpers shared by the keys/assertion/lint commands.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { AuthExplorerError } from '../core/errors.ts';
import {
  ENVIRONMENTS,
  getEnvironment,
  isEnvironmentId,
  parseHttpUrl,
  tokenUrlFor,
} from '../core/environments.ts';

/** node:util parseArgs, with its TypeErrors turned into ERR_ARGUMENT. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new AuthExplorerError('ERR_ARGUMENT', (e as Error).message, {}, { cause: e });
  }
}

export const ENV_NAMES = ENVIRONMENTS.map((e) => e.id).join(', ');

/**
 * The token URL from --env and/or --token-url. Local and custom need --token-url;
 * for platform environments --token-url is optional and must then agree with --env.
 */
export function resolveTokenUrl(
  env: string | undefined,
  tokenUrl: string | undefined,
  required: boolean,
): string | undefined {
  if (env !== undefined) {
    if (!isEnvironmentId(env))
      throw new AuthExplorerError('ERR_ARGUMENT', `Unknown --env '${env}'. Use one of: ${ENV_NAMES}.`);
    const info = getEnvironment(env);
    if (env === 'local' || env === 'custom') {
      if (!tokenUrl)
        throw new AuthExplorerError(
          'ERR_ARGUMENT',
          `--env ${env} needs --token-url (for the emulator, e.g. http://127.0.0.1:4010/oauth2/token).`,
        );
      parseHttpUrl(tokenUrl, 'token URL');
      return tokenUrl;
    }
    const url = tokenUrlFor(info);
    if (tokenUrl !== undefined && tokenUrl !== url) {
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        `--env ${env} means ${url}, but --token-url is ${tokenUrl}. Give one of them.`,
      );
    }
    return url;
  }
  if (tokenUrl !== undefined) {
    parseHttpUrl(tokenUrl, 'token URL');
    return tokenUrl;
  }
  if (required) throw new AuthExplorerError('ERR_ARGUMENT', `Give --env (${ENV_NAMES}) or --token-url.`);
  return undefined;
}

/** Reads a small text file (keys, JWKS) with a clear error instead of an ENOENT stack. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (e as Error).message;
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `Cannot read the ${what} '${path}': ${why}.`,
      { path },
      { cause: e },
    );
  }
}
