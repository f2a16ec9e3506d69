// Injected faults from POST /_emulator/faults: latency, canned answers, presets, socket resets.
import { AuthExplorerError } from '../errors.ts';
import type { Reply } from './types.ts';
import { apigeeFault, jsonReply } from './replies.ts';

export type FaultPreset = 'rate-limit' | 'invalid-client-identifier';

export interface Fault {
  path: string;
  remaining: number;
  latencyMs?: number;
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  preset?: FaultPreset;
  reset?: 'before' | 'after';
}

const MAX_LATENCY_MS = 120_000;
// A fault answers data, never a page: only these types, so it cannot plant HTML on the emulator's origin.
const FAULT_CONTENT_TYPE = /^(application\/json|text\/plain)(\s*;\s*charset=utf-8)?$/i;
// Headers a fault may not set: they would change how a browser treats the body or the origin.
const FORBIDDEN_FAULT_HEADER =
  /^(content-type|content-disposition|x-content-type-options|set-cookie|content-security-policy|access-control-.*)$/i;

function bad(message: string): never {
  throw new AuthExplorerError('ERR_ARGUMENT', message);
}

/** Validates a fault body; throws ERR_ARGUMENT naming the field. */
export function parseFault(value: unknown): Fault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('fault must be a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v.path !== 'string' || !v.path.startsWith('/')) bad('path must be a string starting with "/"');
  const count = v.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100_000)
    bad('count must be an integer from 1 to 100000');
  const f: Fault = { path: v.path, remaining: count };
  if (v.latencyMs !== undefined) {
    if (
      typeof v.latencyMs !== 'number' ||
      !Number.isFinite(v.latencyMs) ||
      v.latencyMs < 0 ||
      v.latencyMs > MAX_LATENCY_MS
    ) {
      bad(`latencyMs must be a number from 0 to ${MAX_LATENCY_MS}`);
    }
    f.latencyMs = v.latencyMs;
  }
  if (v.status !== undefined) {
    if (typeof v.status !== 'number' || !Number.isInteger(v.status) || v.status < 200 || v.status > 599)
      bad('status must be an integer from 200 to 599');
    f.status = v.status;
  }
  if (v.body !== undefined) {
    if (typeof v.body !== 'string') bad('body must be a string');
    f.body = v.body;
  }
  if (v.contentType !== undefined) {
    if (typeof v.contentType !== 'string' || !FAULT_CONTENT_TYPE.test(v.contentType.trim()))
      bad('contentType must be application/json or text/plain');
    f.contentType = v.contentType.trim();
  }
  if (v.headers !== undefined) {
    if (typeof v.headers !== 'object' || v.headers === null || Array.isArray(v.headers))
      bad('headers must be an object of strings');
    const headers: Record<string, string> = {};
    for (const [k, h] of Object.entries(v.headers)) {
      if (typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n]/.test(h))
        bad(`headers.${k} must be a valid header name with a single-line string value`);
      if (FORBIDDEN_FAULT_HEADER.test(k))
        bad(`headers.${k} cannot be set by a fault (use contentType for JSON or plain text)`);
      headers[k.toLowerCase()] = h;
    }
    f.headers = headers;
  }
  if (v.preset !== undefined) {
    if (v.preset !== 'rate-limit' && v.preset !== 'invalid-client-identifier')
      bad('preset must be "rate-limit" or "invalid-client-identifier"');
    f.preset = v.preset;
  }
  if (v.reset !== undefined) {
    if (v.reset !== 'before' && v.reset !== 'after') bad('reset must be "before" or "after"');
    f.reset = v.reset;
  }
  if (f.status === undefined && (f.body !== undefined || f.contentType !== undefined))
    bad('status is required with body or contentType');
  return f;
}

// A fault not used within an hour is dropped; at most this many are pending at once.
const FAULT_TTL_MS = 60 * 60 * 1000;
export const MAX_PENDING_FAULTS = 1000;

/** Pending faults by path, so a request looks up its own path instead of scanning every fault. */
export class FaultQueue {
  readonly #byPath = new Map<string, { fault: Fault; expiresAt: number }[]>();
  #count = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get size(): number {
    return this.#count;
  }

  add(f: Fault): void {
    if (this.#count >= MAX_PENDING_FAULTS) this.#sweep();
    if (this.#count >= MAX_PENDING_FAULTS)
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        `at most ${MAX_PENDING_FAULTS} faults can be pending; DELETE /_emulator/faults clears them`,
      );
    const list = this.#byPath.get(f.path) ?? [];
    list.push({ fault: f, expiresAt: this.#now() + FAULT_TTL_MS });
    this.#byPath.set(f.path, list);
    this.#count += 1;
  }

  clear(): void {
    this.#byPath.clear();
    this.#count = 0;
  }

  list(): Fault[] {
    this.#sweep();
    return [...this.#byPath.values()].flat().map((e) => ({ ...e.fault }));
  }

  /** The first pending fault for this path, counted down by one. */
  take(path: string): Fault | undefined {
    const list = this.#byPath.get(path);
    if (!list) return undefined;
    const now = this.#now();
    while (list.length > 0 && list[0]!.expiresAt < now) this.#drop(path, list, 0);
    const entry = list[0];
    if (!entry) return undefined;
    entry.fault.remaining -= 1;
    if (entry.fault.remaining === 0) this.#drop(path, list, 0);
    return entry.fault;
  }

  #drop(path: string, list: { fault: Fault }[], i: number): void {
    list.splice(i, 1);
    this.#count -= 1;
    if (list.length === 0) this.#byPath.delete(path);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [path, list] of this.#byPath) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.expiresAt < now) this.#drop(path, list, i);
    }
  }
}

/** The canned answer a fault gives instead of the real handler, if any. */
export function faultReply(f: Fault): Reply | undefined {
  let reply: Reply | undefined;
  if (f.preset === 'rate-limit') reply = rateLimitReply();
  else if (f.preset === 'invalid-client-identifier')
    reply = apigeeFault(500, 'Invalid client identifier {0}', 'oauth.v2.InvalidClientIdentifier');
  if (f.status !== undefined) {
    reply = {
      status: f.status,
      headers: { 'content-type': f.contentType ?? reply?.headers['content-type'] ?? 'application/json' },
      body: f.body ?? reply?.body ?? '',
    };
  }
  if (reply && f.headers) reply.headers = { ...reply.headers, ...f.headers };
  return reply;
}

// The 429 body is unverified; this is the canary-api quota shape seen in 2021.
function rateLimitReply(): Reply {
  const expires = new Date(Date.now() + 1000);
  const expiresUtc = expires
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
  return jsonReply(
    429,
    {
      message: `Your application, Emulated app, has exceeded its quota of 300 requests every 1 minute(s) and is being rate limited. Please wait until ${expiresUtc} (UTC) before resuming requests.`,
      type: 'application',
      limit: '300',
      interval: '1',
      timeunit: 'minute',
      expires_ms: String(expires.getTime()),
      expires_utc: expiresUtc,
    },
    { 'retry-after': '1' },
  );
}
