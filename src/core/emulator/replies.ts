// Response bodies in the platform's shapes: OAuth-style errors, Apigee faults, plain JSON.
import type { Reply } from './types.ts';
import { newMessageId } from './messageId.ts';
import { PLATFORM_ERRORS } from '../platform/platformErrors.ts';
import type { PlatformErrorId } from '../platform/platformErrors.ts';

export const UNKNOWN_ERROR_TEXT = PLATFORM_ERRORS.unknownError.error_description;

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** `{"error","error_description","message_id"}` as the identity service sends it. */
export function oauthError(status: number, error: string, description: string): Reply {
  return jsonReply(status, { error, error_description: description, message_id: newMessageId() });
}

export function invalidRequest(status: number, description: string): Reply {
  return oauthError(status, 'invalid_request', description);
}

export function unknownError(): Reply {
  return oauthError(500, 'unknown_error', UNKNOWN_ERROR_TEXT);
}

export function apigeeFault(status: number, faultstring: string, errorcode: string): Reply {
  return jsonReply(status, { fault: { faultstring, detail: { errorcode } } });
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: '' };
}

export function redirectReply(location: string): Reply {
  return { status: 302, headers: { location }, body: '' };
}

export function htmlReply(status: number, html: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

/** The emulator's own control API errors (not a platform shape). */
export function controlError(status: number, error: string, message: string): Reply {
  return jsonReply(status, { error, message });
}

/** One of the platform's verbatim errors, by its id in the platform contract, with a fresh message_id. */
export function platformReply(id: PlatformErrorId): Reply {
  const e = PLATFORM_ERRORS[id];
  return oauthError(e.status, e.error, e.error_description);
}
