// Maps the many shapes of a failed request (undici errors, socket errors, aborts) onto a few stable codes,
// and says whether the server may have seen the request: that decides whether a retry is safe.
import { AuthExplorerError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

export interface NetworkFailureInfo {
  code: ErrorCode;
  /** False only when we know nothing was sent (DNS, refused connection, TLS handshake). */
  mayHaveReachedServer: boolean;
  /** The low-level code (ECONNREFUSED, UND_ERR_SOCKET, ...), for the log. */
  causeCode?: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

function collectCodes(e: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    if (typeof cur === 'object' && cur !== null) {
      const code = (cur as { code?: unknown }).code;
      if (typeof code === 'string') codes.push(code);
      const errors = (cur as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connects
      if (Array.isArray(errors)) for (const inner of errors) codes.push(...collectCodes(inner));
      cur = (cur as { cause?: unknown }).cause;
    } else break;
  }
  return codes;
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)
  );
}

export function classifyNetworkError(e: unknown): NetworkFailureInfo {
  const codes = collectCodes(e);
  for (const c of codes) {
    if (DNS_CODES.has(c)) return { code: 'ERR_HTTP_DNS', mayHaveReachedServer: false, causeCode: c };
  }
  for (const c of codes) {
    if (CONNECT_CODES.has(c)) return { code: 'ERR_HTTP_CONNECT', mayHaveReachedServer: false, causeCode: c };
  }
  for (const c of codes) {
    if (isTlsCode(c)) return { code: 'ERR_HTTP_TLS', mayHaveReachedServer: false, causeCode: c };
  }
  for (const c of codes) {
    if (c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT' || c === 'ETIMEDOUT') {
      return { code: 'ERR_HTTP_TIMEOUT', mayHaveReachedServer: true, causeCode: c };
    }
  }
  for (const c of codes) {
    if (RESET_CODES.has(c)) return { code: 'ERR_HTTP_RESET', mayHaveReachedServer: true, causeCode: c };
  }
  return { code: 'ERR_HTTP_RESET', mayHaveReachedServer: true, causeCode: codes[0] };
}

export function networkErrorMessage(info: NetworkFailureInfo, method: string, url: string, timeoutMs: number): string {
  const target = `${method} ${url}`;
  switch (info.code) {
    case 'ERR_HTTP_DNS':
      return `Could not resolve the host name for ${target} (${info.causeCode ?? 'DNS failure'}).`;
    case 'ERR_HTTP_CONNECT':
      return `Could not connect for ${target} (${info.causeCode ?? 'connection failed'}); nothing was sent.`;
    case 'ERR_HTTP_TLS':
      return `The TLS handshake failed for ${target} (${info.causeCode ?? 'TLS error'}); nothing was sent.`;
    case 'ERR_HTTP_TIMEOUT':
      return `No complete response within ${Math.round(timeoutMs / 1000)} s for ${target}; the server may still have processed the request.`;
    default:
      return `The connection was closed before a complete response for ${target} (${info.causeCode ?? 'reset'}); the server may have processed the request.`;
  }
}

export function networkError(e: unknown, method: string, url: string, timeoutMs: number, elapsedMs: number): AuthExplorerError {
  const info = classifyNetworkError(e);
  return new AuthExplorerError(
    info.code,
    networkErrorMessage(info, method, url, timeoutMs),
    { method, url, mayHaveReachedServer: info.mayHaveReachedServer, causeCode: info.causeCode, timeoutMs, elapsedMs },
    { cause: e },
  );
}
