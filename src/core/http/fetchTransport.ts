// The fetch transport: the extension's. In VS Code's extension host the global fetch is the one VS Code
// patches with the user's proxy settings (http.proxy, http.noProxy, proxy authentication) and the
// system certificate store, as for VS Code itself (microsoft/vscode#228697); a bundled HTTP client
// would bypass them. fetch is looked up per request, so a patch applied after load still counts.
import type { HttpTransport, TransportRequest, TransportResponse } from './transport.ts';

export function fetchTransport(fetchImpl?: typeof fetch): HttpTransport {
  return {
    name: 'fetch',
    async send(req: TransportRequest): Promise<TransportResponse> {
      const f = fetchImpl ?? globalThis.fetch;
      const res = await f(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        // As the undici transport: a 3xx is the answer (a token endpoint that redirects is a finding, not a hop).
        redirect: 'manual',
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const stream = res.body;
      return {
        status: res.status,
        headers,
        // Node's web streams are async-iterable (the DOM typings do not say so).
        body: stream ? (stream as unknown as AsyncIterable<Uint8Array>) : emptyBody(),
        discard: () => {
          stream?.cancel().catch(() => undefined);
        },
      };
    },
  };
}

async function* emptyBody(): AsyncIterable<Uint8Array> {
  // A response without a body (HEAD, 204, 304).
}
