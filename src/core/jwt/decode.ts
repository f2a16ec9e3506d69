// Local, offline decoding of compact JWS tokens. Nothing here verifies a signature.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AuthExplorerError } from '../errors.ts';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
  /** The header and payload exactly as sent, for signature checks. */
  signingInput: string;
}

/** Decodes a compact JWT or throws ERR_JWT_MALFORMED with the part that is wrong. */
export function decodeJwtParts(token: string): DecodedJwt {
  const trimmed = token.trim();
  const parts = trimmed.split('.');
  if (parts.length !== 3) {
    throw new AuthExplorerError(
      'ERR_JWT_MALFORMED',
      `A JWT has three dot-separated parts; this has ${parts.length}.`,
      { parts: parts.length },
    );
  }
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(trimmed) as Record<string, unknown>;
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_JWT_MALFORMED',
      'The JWT header is not base64url-encoded JSON.',
      { part: 'header' },
      { cause: e },
    );
  }
  try {
    payload = decodeJwt(trimmed) as Record<string, unknown>;
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_JWT_MALFORMED',
      'The JWT payload is not base64url-encoded JSON object.',
      { part: 'payload' },
      { cause: e },
    );
  }
  return { header, payload, signature: parts[2] ?? '', signingInput: `${parts[0]}.${parts[1]}` };
}

/** True when the text looks like a compact JWS (three base64url parts); opaque tokens are not. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token.trim());
}
