// One token call as the log keeps it: what was sent and what came back, with every secret already
// removed when the entry is made, so nothing downstream (output channel, curl, support bundle) can leak.
import { randomUUID } from 'node:crypto';
import { decodeJwtParts } from '../jwt/decode.ts';
import {
  isApiKeyFieldName,
  isSecretFieldName,
  maskApiKey,
  maskFieldValue,
  redact,
  redactHeaders,
  redactUrl,
} from './redact.ts';

export interface DecodedAssertion {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  error?: string;
}

export interface RequestLogEntry {
  id: string;
  /** ISO instant the request started (local clock). */
  startedAt: string;
  durationMs?: number;
  method: string;
  url: string;
  grant?: string;
  attempt: number;
  requestHeaders: Record<string, string>;
  bodyFormat: 'form' | 'json' | 'none';
  /** Request fields in order, secret values masked. */
  requestFields: [string, string][];
  /** The client assertion decoded (header and payload; the signature is never kept). */
  clientAssertion?: DecodedAssertion;
  status?: number;
  messageId?: string;
  responseHeaders?: Record<string, string>;
  /** Redacted, at most 4 000 characters. */
  responseBody?: string;
  error?: { code: string; message: string };
}

export interface RequestLogInput {
  method: string;
  url: string;
  grant?: string;
  attempt?: number;
  startedAt: number;
  durationMs?: number;
  headers?: Record<string, string>;
  bodyFormat?: 'form' | 'json' | 'none';
  fields?: Record<string, string>;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  error?: { code: string; message: string };
  /** Exact values to strip wherever they appear (client secret, tokens, API key). */
  secrets?: readonly (string | undefined)[];
  apiKey?: string;
}

const KEPT_RESPONSE_HEADERS = ['content-type', 'date', 'retry-after', 'allow', 'location', 'content-length'];
const MAX_BODY_CHARS = 4000;

export function decodeAssertionForLog(assertion: string, apiKey?: string): DecodedAssertion {
  try {
    const { header, payload } = decodeJwtParts(assertion);
    const p = { ...payload };
    for (const claim of ['iss', 'sub']) {
      const v = p[claim];
      if (typeof v === 'string' && (apiKey === undefined || v === apiKey)) p[claim] = maskApiKey(v);
    }
    return { header, payload: p };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function maskField(
  name: string,
  value: string,
  apiKey: string | undefined,
  secrets: readonly (string | undefined)[],
): string {
  if (name === 'client_assertion') return '<client assertion: decoded separately>';
  if (name.toLowerCase() === 'code' || isSecretFieldName(name)) return maskFieldValue(name, value);
  if (isApiKeyFieldName(name) || (apiKey !== undefined && value === apiKey)) return maskApiKey(value);
  return redact(value, secrets);
}

/** Redacts a JSON response body field by field; falls back to text redaction. */
export function redactResponseBody(text: string, secrets: readonly (string | undefined)[]): string {
  const redacted = redact(text, secrets);
  return redacted.length > MAX_BODY_CHARS
    ? `${redacted.slice(0, MAX_BODY_CHARS)}… (${redacted.length - MAX_BODY_CHARS} more characters)`
    : redacted;
}

export function createRequestLogEntry(input: RequestLogInput): RequestLogEntry {
  const secrets = [...(input.secrets ?? []), input.apiKey];
  const fields = Object.entries(input.fields ?? {});
  const assertion = input.fields?.['client_assertion'];
  const headers = redactHeaders(input.headers ?? {}, secrets);
  let messageId: string | undefined;
  if (input.responseBody) {
    const m = /"message_id"\s*:\s*"([^"]{1,200})"/.exec(input.responseBody);
    if (m) messageId = m[1];
  }
  const responseHeaders: Record<string, string> = {};
  for (const k of KEPT_RESPONSE_HEADERS) {
    const v = input.responseHeaders?.[k];
    if (v !== undefined) responseHeaders[k] = v;
  }
  return {
    id: randomUUID(),
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.durationMs,
    method: input.method,
    url: redactUrl(input.url, secrets),
    grant: input.grant,
    attempt: input.attempt ?? 1,
    requestHeaders: headers,
    bodyFormat: input.bodyFormat ?? (fields.length ? 'form' : 'none'),
    requestFields: fields.map(([k, v]) => [k, maskField(k, v, input.apiKey, secrets)]),
    clientAssertion: assertion ? decodeAssertionForLog(assertion, input.apiKey) : undefined,
    status: input.status,
    messageId,
    responseHeaders: input.responseHeaders ? responseHeaders : undefined,
    responseBody:
      input.responseBody !== undefined ? redactResponseBody(input.responseBody, secrets) : undefined,
    error: input.error
      ? { code: input.error.code, message: redact(input.error.message, secrets) }
      : undefined,
  };
}
