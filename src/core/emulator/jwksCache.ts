// Fetches an app's JWKS from its jwks-resource-url the way the platform does: User-Agent APIM,
// cached 3600 s per URL, and not re-fetched for an unknown kid. The fetch comes before the signature
// check, as on the platform, so anyone who knows an API key can trigger it: one fetch per URL is in
// flight at a time and a failure is remembered for a few seconds, so it is no probe or amplifier.
// The URL itself is set only by whoever holds the control token (or the apps file).
import { httpRequest } from '../http/httpRequest.ts';
import type { HttpTransport } from '../http/transport.ts';

const CACHE_MS = 3600 * 1000;
const MAX_BYTES = 1024 * 1024;
// The platform waits 55 s; a local emulator gives up sooner so tests of dead URLs stay quick.
const TIMEOUT_MS = 10_000;
const FAILURE_KEPT_MS = 10_000;
const MAX_URLS = 1000;

export interface Jwks {
  keys: Record<string, unknown>[];
}

export class JwksCache {
  readonly #entries = new Map<string, { jwks: Jwks | undefined; until: number }>();
  readonly #inFlight = new Map<string, Promise<Jwks | undefined>>();
  readonly #transport: HttpTransport | undefined;

  /** transport: how the JWKS is fetched (the extension's embedded emulator passes the host's fetch). */
  constructor(transport?: HttpTransport) {
    this.#transport = transport;
  }

  /** The key set, or undefined when the URL cannot be reached or does not answer a JWKS. */
  async get(url: string): Promise<Jwks | undefined> {
    const hit = this.#entries.get(url);
    if (hit && hit.until > Date.now()) return hit.jwks;
    const pending = this.#inFlight.get(url);
    if (pending) return pending;
    const fetching = fetchJwks(url, this.#transport)
      .then((jwks) => {
        if (this.#entries.size >= MAX_URLS) this.#entries.clear();
        this.#entries.set(url, { jwks, until: Date.now() + (jwks ? CACHE_MS : FAILURE_KEPT_MS) });
        return jwks;
      })
      .finally(() => this.#inFlight.delete(url));
    this.#inFlight.set(url, fetching);
    return fetching;
  }

  clear(): void {
    this.#entries.clear();
  }
}

async function fetchJwks(url: string, transport: HttpTransport | undefined): Promise<Jwks | undefined> {
  try {
    // Too large, unreachable or slow: all throw, all mean "no JWKS" below.
    const res = await httpRequest({
      url,
      method: 'GET',
      headers: { 'user-agent': 'APIM', accept: 'application/json' },
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: MAX_BYTES,
      transport,
    });
    if (res.status !== 200) return undefined;
    const parsed: unknown = JSON.parse(res.bodyText);
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as Jwks).keys))
      return undefined;
    const keys = (parsed as Jwks).keys.filter((k) => typeof k === 'object' && k !== null);
    return { keys };
  } catch {
    return undefined;
  }
}
