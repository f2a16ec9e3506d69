// Turns a token endpoint's error response into a coded error carrying the platform's own fields,
// which the explainer then maps to causes and a fix.
import { AuthExplorerError } from '../errors.ts';
import type { HttpResponse } from '../http/httpRequest.ts';
import { bodyExcerpt, parseJsonBody } from '../http/parseJsonBody.ts';
import { parseRetryAfterMs } from '../http/retry.ts';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function tokenErrorFromResponse(
  res: HttpResponse,
  secrets: readonly string[],
  extra: Record<string, unknown> = {},
): AuthExplorerError {
  const base = {
    ...extra,
    method: res.method,
    url: res.url,
    status: res.status,
    retryAfterMs: parseRetryAfterMs(res.headers['retry-after']),
    allow: res.headers['allow'],
  };
  if (res.bodyText.trim() === '') {
    return new AuthExplorerError(
      'ERR_HTTP_STATUS',
      `${res.method} ${res.url} answered HTTP ${res.status} with an empty body.`,
      base,
    );
  }
  let body: unknown;
  try {
    body = parseJsonBody(res, secrets);
  } catch (e) {
    if (e instanceof AuthExplorerError)
      return new AuthExplorerError(e.code, e.message, { ...base, ...e.details });
    throw e;
  }
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const excerpt = bodyExcerpt(res.bodyText, secrets);
  const fault = o['fault'] as Record<string, unknown> | undefined;
  if (fault && typeof fault === 'object') {
    const faultstring = str(fault['faultstring']) ?? '';
    const errorcode = str((fault['detail'] as Record<string, unknown> | undefined)?.['errorcode']);
    return new AuthExplorerError(
      res.status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_APIGEE_FAULT',
      `HTTP ${res.status}: ${faultstring}${errorcode ? ` (${errorcode})` : ''}`,
      {
        ...base,
        faultstring,
        errorcode,
        excerpt,
      },
    );
  }
  const error = str(o['error']);
  const description = str(o['error_description']);
  const messageId = str(o['message_id']);
  if (res.status === 429) {
    return new AuthExplorerError(
      'ERR_RATE_LIMITED',
      `HTTP 429: ${str(o['message']) ?? description ?? 'rate limited'}`,
      {
        ...base,
        error,
        error_description: description,
        message_id: messageId,
        message: str(o['message']),
        excerpt,
      },
    );
  }
  if (error) {
    return new AuthExplorerError(
      'ERR_OAUTH',
      `HTTP ${res.status} ${error}: ${description ?? '(no description)'}`,
      {
        ...base,
        error,
        error_description: description,
        message_id: messageId,
        excerpt,
      },
    );
  }
  const message = str(o['message']);
  return new AuthExplorerError('ERR_HTTP_STATUS', `HTTP ${res.status}${message ? `: ${message}` : ''}`, {
    ...base,
    message,
    message_id: messageId,
    excerpt,
  });
}
