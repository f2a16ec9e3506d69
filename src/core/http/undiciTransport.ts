// The undici transport: the CLI's and the emulator's. Without a dispatcher it uses undici's global
// one, which the CLI replaces with an environment proxy agent at start-up (envDispatcher.ts).
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { HttpTransport, TransportRequest, TransportResponse } from './transport.ts';

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function undiciTransport(dispatcher?: Dispatcher): HttpTransport {
  return {
    name: 'undici',
    async send(req: TransportRequest): Promise<TransportResponse> {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        dispatcher,
        // httpRequest's own deadline covers connect, headers and body together; undici's per-phase timers stay wider.
        headersTimeout: req.timeoutMs + 1000,
        bodyTimeout: req.timeoutMs + 1000,
      });
      return {
        status: res.statusCode,
        headers: normaliseHeaders(res.headers as Record<string, string | string[] | undefined>),
        body: res.body as AsyncIterable<Uint8Array>,
        discard: () => res.body.destroy(),
      };
    },
  };
}

/** undici's global dispatcher (the environment proxy agent in the CLI). */
export const defaultTransport: HttpTransport = undiciTransport();
