// The seam under httpRequest: how bytes reach a server. The extension sends through the host's fetch
// (VS Code applies the user's http.proxy, proxy authentication and the system certificates to it);
// the CLI and the emulator send through undici, whose global dispatcher the CLI sets from
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (see envDispatcher.ts). Deadlines, caps, cancellation, coded
// errors and retries live above the seam, in httpRequest and its callers, so they hold on both.
import type { HttpMethod } from './httpRequest.ts';

export interface TransportRequest {
  url: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  /** Aborted on the caller's cancellation and on httpRequest's deadline. */
  signal: AbortSignal;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading the body and releases the connection. */
  discard(): void;
}

export interface HttpTransport {
  /** For the request log and error details: 'undici' or 'fetch'. */
  readonly name: string;
  /** Sends the request; rejects with the transport's own error, which httpRequest classifies. Never follows redirects. */
  send(request: TransportRequest): Promise<TransportResponse>;
}
