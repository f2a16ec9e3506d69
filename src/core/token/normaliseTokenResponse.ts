// Token responses come in several dialects: the NHS platform sends every value as a JSON string
// ("599", "0"), others send numbers, wrap the fields ({"oauth": {...}}) or send created_at as ISO text.
import { AuthExplorerError } from '../errors.ts';
import type { TokenProvider } from './tokenProvider.ts';

export interface NormalisedToken {
  accessToken: string;
  tokenType: string;
  expiresInSeconds?: number;
  refreshToken?: string;
  refreshTokenExpiresInSeconds?: number;
  refreshCount?: number;
  /** Issue instant on the SERVER clock (issued_at epoch ms or created_at ISO), when the server sent one. */
  serverIssuedAt?: number;
  idToken?: string;
  issuedTokenType?: string;
  scope?: string;
  /** The keys of the token object as sent, for the inspector. */
  keys: string[];
}

function toNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n)) {
    throw new AuthExplorerError(
      'ERR_TOKEN_RESPONSE_INVALID',
      `The token response field ${field} is not a number: ${JSON.stringify(value).slice(0, 40)}.`,
      { field },
    );
  }
  return n;
}

function toOptionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function issuedAt(obj: Record<string, unknown>): number | undefined {
  const raw = obj['issued_at'];
  if (raw !== undefined) {
    const n = toNumber(raw, 'issued_at');
    // Apigee sends epoch milliseconds; tolerate epoch seconds from other servers.
    if (n !== undefined) return n < 1e11 ? n * 1000 : n;
  }
  const created = obj['created_at'];
  if (typeof created === 'string') {
    const t = Date.parse(created);
    if (Number.isFinite(t)) return t;
  } else if (typeof created === 'number') {
    return created < 1e11 ? created * 1000 : created;
  }
  return undefined;
}

/** Unwraps and normalises a successful token response body, or throws ERR_TOKEN_RESPONSE_INVALID. */
export function normaliseTokenResponse(
  body: unknown,
  provider: Pick<TokenProvider, 'responseWrapperKey'>,
): NormalisedToken {
  let obj = body;
  if (provider.responseWrapperKey && obj && typeof obj === 'object' && !Array.isArray(obj)) {
    obj = (obj as Record<string, unknown>)[provider.responseWrapperKey];
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new AuthExplorerError(
      'ERR_TOKEN_RESPONSE_INVALID',
      provider.responseWrapperKey
        ? `The token response has no "${provider.responseWrapperKey}" object.`
        : 'The token response is not a JSON object.',
    );
  }
  const o = obj as Record<string, unknown>;
  const accessToken = o['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AuthExplorerError('ERR_TOKEN_RESPONSE_INVALID', 'The token response has no access_token.', {
      keys: Object.keys(o),
    });
  }
  return {
    accessToken,
    tokenType: toOptionalString(o['token_type']) ?? 'Bearer',
    expiresInSeconds: toNumber(o['expires_in'], 'expires_in'),
    refreshToken: toOptionalString(o['refresh_token']),
    refreshTokenExpiresInSeconds: toNumber(o['refresh_token_expires_in'], 'refresh_token_expires_in'),
    refreshCount: toNumber(o['refresh_count'], 'refresh_count'),
    serverIssuedAt: issuedAt(o),
    idToken: toOptionalString(o['id_token']),
    issuedTokenType: toOptionalString(o['issued_token_type']),
    scope: toOptionalString(o['scope']),
    keys: Object.keys(o),
  };
}
