// The emulator's fence: which Host and Origin headers it answers, and the control API's bearer token.
// A page the developer visits must not drive it: DNS rebinding is stopped by the Host allow-list,
// cross-site form posts and fetches by the Origin check, and the control API also needs its token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './types.ts';
import { jsonReply } from './replies.ts';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A fresh control token: 32 random bytes, base64url. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface Fence {
  /** Lower-case host[:port] values the Host header may carry. */
  readonly hosts: ReadonlySet<string>;
  /** Origins (scheme://host[:port]) a browser request may come from. */
  readonly origins: ReadonlySet<string>;
  readonly controlToken: string;
  /** Forwarded addresses (host → origin), e.g. https://name-4010.app.github.dev: pages there keep their scheme. */
  readonly forwarded?: ReadonlyMap<string, string>;
}

/**
 * The fence plus one forwarded origin: the address at which VS Code's port forwarding (Remote-SSH, WSL,
 * Dev Containers, Codespaces) lets the user's browser reach this emulator. Only its owner calls this.
 */
export function withForwardedOrigin(fence: Fence, origin: string): Fence {
  const u = new URL(origin);
  const host = u.host.toLowerCase();
  const forwarded = new Map(fence.forwarded ?? []);
  forwarded.set(host, u.origin.toLowerCase());
  return {
    ...fence,
    hosts: new Set([...fence.hosts, host]),
    origins: new Set([...fence.origins, u.origin.toLowerCase()]),
    forwarded,
  };
}

/**
 * 127.0.0.1, localhost and [::1] on the port, the listen address itself when it is a specific one,
 * and the host of the public base URL.
 */
export function createFence(
  port: number,
  listenHost: string,
  baseUrl: string | undefined,
  controlToken: string,
): Fence {
  const hosts = new Set(LOOPBACK_NAMES.map((n) => `${n}:${port}`));
  const listen = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  if (listenHost !== '0.0.0.0' && listenHost !== '::') hosts.add(`${listen.toLowerCase()}:${port}`);
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  if (baseUrl) {
    const u = new URL(baseUrl);
    hosts.add(u.host.toLowerCase());
    origins.add(u.origin.toLowerCase());
  }
  return { hosts, origins, controlToken };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function refused(status: number, error: string, message: string): Reply {
  return jsonReply(status, { error, message });
}

/** The fenced Host, or a refusal: 421 for a Host not on the list, 403 for a foreign Origin. */
export function checkFence(
  fence: Fence,
  headers: IncomingHttpHeaders,
): { ok: true; host: string } | { ok: false; reply: Reply } {
  const host = header(headers, 'host')?.trim().toLowerCase();
  if (!host || !fence.hosts.has(host)) {
    return {
      ok: false,
      reply: refused(
        421,
        'misdirected_request',
        'This emulator answers only on its loopback address (Host 127.0.0.1, localhost or [::1] with its port) or its configured base URL.',
      ),
    };
  }
  const origin = header(headers, 'origin')?.trim().toLowerCase();
  if (origin !== undefined && !fence.origins.has(origin)) {
    return {
      ok: false,
      reply: refused(
        403,
        'forbidden_origin',
        'Requests from another web origin are refused: the emulator is driven by your tools, not by web pages.',
      ),
    };
  }
  return { ok: true, host };
}

/** The control API's own checks: the bearer token, and JSON for anything that changes state. */
export function checkControlRequest(
  fence: Fence,
  method: string,
  headers: IncomingHttpHeaders,
): Reply | undefined {
  const auth = header(headers, 'authorization') ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  const given = Buffer.from(m?.[1] ?? '');
  const expected = Buffer.from(fence.controlToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ...refused(
        401,
        'unauthorized',
        'The control API needs Authorization: Bearer <control token> (printed by nhs-auth emulator as "control token:").',
      ),
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="nhs-auth-emulator"' },
    };
  }
  if (method === 'POST' || method === 'PUT') {
    const type = (header(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return refused(415, 'unsupported_media_type', 'The control API takes Content-Type: application/json.');
  }
  return undefined;
}
