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
  /** TLS only: the certificate's issuer is not trusted here, the mark of a TLS-inspecting proxy. */
  untrustedIssuer?: boolean;
  /** The HTTP status with which a proxy refused to open a tunnel (407: proxy authentication). */
  proxyStatus?: number;
  /** The address:port a refused or failed connect went to (for telling a dead proxy from a dead server). */
  connectedTo?: string;
}

/** address:port of the first socket error that carries them. */
function socketAddress(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    const { address, port, errors } = cur as { address?: unknown; port?: unknown; errors?: unknown };
    if (typeof address === 'string' && typeof port === 'number')
      return `${address.includes(':') ? `[${address}]` : address}:${port}`;
    if (Array.isArray(errors))
      for (const inner of errors) {
        const found = socketAddress(inner);
        if (found) return found;
      }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
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

// OpenSSL's verdicts when the chain ends at a CA that is not in the trust store: what a proxy that
// re-signs HTTPS with an organisation's own CA produces.
const UNTRUSTED_ISSUER_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** undici's ProxyAgent fails a refused CONNECT with this message (no code of its own). */
function proxyRefusal(e: unknown): number | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    const m = /Proxy response \((\d{3})\)/.exec(String((cur as { message?: unknown }).message ?? ''));
    if (m) return Number(m[1]);
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
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
  const proxyStatus = proxyRefusal(e);
  if (proxyStatus !== undefined)
    return {
      code: 'ERR_HTTP_CONNECT',
      mayHaveReachedServer: false,
      causeCode: `PROXY_${proxyStatus}`,
      proxyStatus,
    };
  for (const c of codes) {
    if (DNS_CODES.has(c)) return { code: 'ERR_HTTP_DNS', mayHaveReachedServer: false, causeCode: c };
  }
  for (const c of codes) {
    if (CONNECT_CODES.has(c))
      return {
        code: 'ERR_HTTP_CONNECT',
        mayHaveReachedServer: false,
        causeCode: c,
        connectedTo: socketAddress(e),
      };
  }
  for (const c of codes) {
    if (isTlsCode(c))
      return {
        code: 'ERR_HTTP_TLS',
        mayHaveReachedServer: false,
        causeCode: c,
        untrustedIssuer: UNTRUSTED_ISSUER_CODES.has(c) || undefined,
      };
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

/** The connect went to another port than the URL's: to a proxy. */
function proxyAddress(info: NetworkFailureInfo, url: string): string | undefined {
  if (!info.connectedTo) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return info.connectedTo.endsWith(`:${port}`) ? undefined : info.connectedTo;
}

export function networkErrorMessage(
  info: NetworkFailureInfo & { viaProxy?: string },
  method: string,
  url: string,
  timeoutMs: number,
): string {
  const target = `${method} ${url}`;
  switch (info.code) {
    case 'ERR_HTTP_DNS':
      return `Could not resolve the host name for ${target} (${info.causeCode ?? 'DNS failure'}).`;
    case 'ERR_HTTP_CONNECT':
      if (info.viaProxy)
        return `Could not connect to the proxy at ${info.viaProxy} for ${target} (${info.causeCode ?? 'connection failed'}); nothing was sent.`;
      if (info.proxyStatus !== undefined) {
        const why = info.proxyStatus === 407 ? ': proxy authentication required' : '';
        return `The proxy refused to open a tunnel for ${target} (HTTP ${info.proxyStatus}${why}); nothing was sent.`;
      }
      return `Could not connect for ${target} (${info.causeCode ?? 'connection failed'}); nothing was sent.`;
    case 'ERR_HTTP_TLS':
      if (info.untrustedIssuer) {
        return `The certificate presented for ${target} was issued by a certificate authority this machine does not trust (${info.causeCode}); a proxy that inspects HTTPS re-signs certificates with its organisation's own CA. Nothing was sent.`;
      }
      return `The TLS handshake failed for ${target} (${info.causeCode ?? 'TLS error'}); nothing was sent.`;
    case 'ERR_HTTP_TIMEOUT':
      return `No complete response within ${Math.round(timeoutMs / 1000)} s for ${target}; the server may still have processed the request.`;
    default:
      return `The connection was closed before a complete response for ${target} (${info.causeCode ?? 'reset'}); the server may have processed the request.`;
  }
}

export function networkError(
  e: unknown,
  method: string,
  url: string,
  timeoutMs: number,
  elapsedMs: number,
  transport?: string,
): AuthExplorerError {
  const classified = classifyNetworkError(e);
  const info = { ...classified, viaProxy: proxyAddress(classified, url) };
  const marks = {
    ...(info.viaProxy ? { proxy: info.viaProxy } : {}),
    ...(info.untrustedIssuer ? { untrustedIssuer: true } : {}),
    ...(info.proxyStatus !== undefined ? { proxyStatus: info.proxyStatus } : {}),
  };
  return new AuthExplorerError(
    info.code,
    networkErrorMessage(info, method, url, timeoutMs),
    {
      method,
      url,
      mayHaveReachedServer: info.mayHaveReachedServer,
      causeCode: info.causeCode,
      timeoutMs,
      elapsedMs,
      transport,
      ...marks,
    },
    { cause: e },
  );
}
