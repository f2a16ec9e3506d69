// Asks a running emulator (embedded or external) which mock users its IdPs accept, from its index,
// so a client never keeps its own copy of the list.
import { request } from 'undici';
import { AuthExplorerError } from '../errors.ts';
import type { IdpProvider } from './types.ts';

export interface ListedMockUser {
  provider: IdpProvider;
  username: string;
  description: string;
}

const MAX_INDEX_BYTES = 1024 * 1024;

export async function listMockUsers(emulatorUrl: string, timeoutMs = 10_000): Promise<ListedMockUser[]> {
  const url = `${emulatorUrl.replace(/\/+$/, '')}/`;
  const res = await request(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res.body) {
    size += (c as Buffer).length;
    if (size > MAX_INDEX_BYTES)
      throw new AuthExplorerError('ERR_HTTP_RESPONSE_TOO_LARGE', `the emulator index at ${url} is over 1 MB`);
    chunks.push(c as Buffer);
  }
  if (res.statusCode !== 200)
    throw new AuthExplorerError(
      'ERR_HTTP_STATUS',
      `the emulator index at ${url} answered HTTP ${res.statusCode}`,
      { status: res.statusCode },
    );
  let index: unknown;
  try {
    index = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AuthExplorerError(
      'ERR_HTTP_NOT_JSON',
      `the emulator index at ${url} is not JSON: is this URL an NHS Auth Explorer emulator?`,
      { status: res.statusCode },
    );
  }
  const list = (index as { mockUsers?: unknown }).mockUsers;
  if (!Array.isArray(list))
    throw new AuthExplorerError(
      'ERR_HTTP_NOT_JSON',
      `the emulator index at ${url} lists no mockUsers: is this URL an NHS Auth Explorer emulator?`,
      { status: res.statusCode },
    );
  return list.flatMap((u): ListedMockUser[] => {
    const v = u as Record<string, unknown>;
    if (
      (v.provider !== 'nhs-login' && v.provider !== 'cis2') ||
      typeof v.username !== 'string' ||
      !v.username
    )
      return [];
    return [
      {
        provider: v.provider,
        username: v.username,
        description: typeof v.description === 'string' ? v.description : '',
      },
    ];
  });
}
