// One HTTP exchange with the guarantees a token client needs: a deadline for the whole exchange (the
// platform team asks for at least 30 s on token calls), cancellation, a response size cap, failures
// mapped to stable codes, the server's Date for clock skew, and timings. The bytes go through a
// transport (transport.ts): the host's fetch in the extension, undici in the CLI and the emulator.
import { AuthExplorerError } from '../errors.ts';
import { networkError } from './classifyNetworkError.ts';
import { clockSkewFromDate } from './clockSkew.ts';
import type { HttpTransport, TransportResponse } from './transport.ts';
import { defaultTransport } from './undiciTransport.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

export interface HttpRequestOptions {
  url: string;
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline for the whole exchange, connect to last body byte. Default 30 000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default 1 MiB; a larger body fails with ERR_HTTP_RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  /** How the request is sent; default undici with its global dispatcher (the CLI's proxy agent). */
  transport?: HttpTransport;
  /** Injected clock for tests; defaults to Date.now. */
  now?: () => number;
}

export interface HttpResponse {
  method: HttpMethod;
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  startedAt: number;
  receivedAt: number;
  durationMs: number;
  /** Parsed Date header (server clock), when present. */
  serverDate?: number;
  /** Server clock minus local clock (0 when unknown or within the Date header's resolution). */
  clockSkewMs: number;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `Not a valid URL: ${JSON.stringify(url.slice(0, 200))}.`,
      { url: url.slice(0, 200) },
      { cause: e },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `Only http and https URLs are supported, not ${parsed.protocol}.`,
      { url },
    );
  }
  return parsed;
}

export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const now = options.now ?? Date.now;
  const method = options.method ?? 'GET';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(timeoutMs > 0))
    throw new AuthExplorerError('ERR_ARGUMENT', `timeoutMs must be positive, got ${timeoutMs}.`);
  const url = parseUrl(options.url).toString();
  if (options.signal?.aborted)
    throw new AuthExplorerError('ERR_CANCELLED', `Cancelled before sending ${method} ${url}.`, {
      method,
      url,
      mayHaveReachedServer: false,
    });

  // Our own deadline covers connect, headers and body together, on every transport.
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(new Error('deadline'));
  }, timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const startedAt = now();
  const transport = options.transport ?? defaultTransport;

  const fail = (e: unknown): never => {
    const elapsedMs = now() - startedAt;
    if (e instanceof AuthExplorerError) throw e;
    if (timedOut) {
      throw new AuthExplorerError(
        'ERR_HTTP_TIMEOUT',
        `No complete response within ${Math.round(timeoutMs / 1000)} s for ${method} ${url}; the server may still have processed the request.`,
        { method, url, mayHaveReachedServer: true, timeoutMs, elapsedMs },
        { cause: e },
      );
    }
    if (options.signal?.aborted) {
      throw new AuthExplorerError(
        'ERR_CANCELLED',
        `Cancelled ${method} ${url}.`,
        { method, url, mayHaveReachedServer: true, elapsedMs },
        { cause: e },
      );
    }
    throw networkError(e, method, url, timeoutMs, elapsedMs, transport.name);
  };

  try {
    let res: TransportResponse;
    try {
      res = await transport.send({
        url,
        method,
        headers: options.headers,
        body: options.body,
        signal,
        timeoutMs,
      });
    } catch (e) {
      return fail(e);
    }
    const headers = res.headers;
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.discard();
      throw new AuthExplorerError(
        'ERR_HTTP_RESPONSE_TOO_LARGE',
        `The response to ${method} ${url} declares ${declared} bytes, over the ${maxBytes}-byte limit.`,
        {
          method,
          url,
          status: res.status,
          limit: maxBytes,
          declared,
        },
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        size += buf.length;
        if (size > maxBytes) {
          res.discard();
          throw new AuthExplorerError(
            'ERR_HTTP_RESPONSE_TOO_LARGE',
            `The response to ${method} ${url} exceeded the ${maxBytes}-byte limit.`,
            {
              method,
              url,
              status: res.status,
              limit: maxBytes,
            },
          );
        }
        chunks.push(buf);
      }
    } catch (e) {
      return fail(e);
    }
    const receivedAt = now();
    const serverDateParsed = headers['date'] ? Date.parse(headers['date']) : NaN;
    return {
      method,
      url,
      status: res.status,
      headers,
      bodyText: Buffer.concat(chunks).toString('utf8'),
      startedAt,
      receivedAt,
      durationMs: receivedAt - startedAt,
      serverDate: Number.isFinite(serverDateParsed) ? serverDateParsed : undefined,
      clockSkewMs: clockSkewFromDate(headers['date'], startedAt, receivedAt),
    };
  } finally {
    clearTimeout(timer);
  }
}
