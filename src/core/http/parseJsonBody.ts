// A token endpoint must answer JSON. An HTML page (a proxy's error page, a captive portal, a login page)
// is an error even with status 200: peers show it as "success" (bruno#3342).
import { AuthExplorerError } from '../errors.ts';
import { redact } from '../log/redact.ts';
import type { HttpResponse } from './httpRequest.ts';

const EXCERPT_CHARS = 300;

export function bodyExcerpt(text: string, secrets: readonly string[] = []): string {
  const flat = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** Parses the body as JSON, or throws ERR_HTTP_NOT_JSON with the status and a short redacted excerpt. */
export function parseJsonBody(res: HttpResponse, secrets: readonly string[] = []): unknown {
  const contentType = res.headers['content-type'] ?? '';
  const text = res.bodyText;
  const looksHtml = /^\s*</.test(text) || /text\/html/i.test(contentType);
  if (!looksHtml && text.trim() !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // fall through to the error below
    }
  }
  const what =
    text.trim() === ''
      ? 'an empty body'
      : looksHtml
        ? 'an HTML page'
        : `a non-JSON body (${contentType || 'no content type'})`;
  throw new AuthExplorerError(
    'ERR_HTTP_NOT_JSON',
    `${res.method} ${res.url} answered HTTP ${res.status} with ${what} instead of JSON.`,
    {
      method: res.method,
      url: res.url,
      status: res.status,
      contentType,
      excerpt: bodyExcerpt(text, secrets),
      html: looksHtml,
      retryAfter: res.headers['retry-after'],
    },
  );
}
