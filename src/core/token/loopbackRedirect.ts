// A one-shot HTTP listener on 127.0.0.1 that receives the authorization redirect, checks state
// (a mismatch ends the flow: it may be a forged redirect) and hands back the code.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';

export interface LoopbackRedirectInput {
  expectedState: string;
  /** A registered callback such as http://127.0.0.1:8765/callback; when absent, a free port and /callback. */
  redirectUri?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoopbackRedirect {
  redirectUri: string;
  /** Resolves with the code once a redirect with the right state arrives. */
  result: Promise<{ code: string; state: string }>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
  });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p>`,
  );
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startLoopbackRedirect(input: LoopbackRedirectInput): Promise<LoopbackRedirect> {
  let port = 0;
  let path = '/callback';
  let host = '127.0.0.1';
  if (input.redirectUri) {
    let u: URL;
    try {
      u = new URL(input.redirectUri);
    } catch (e) {
      throw new AuthExplorerError(
        'ERR_URL_INVALID',
        `Not a valid redirect URI: ${input.redirectUri}`,
        {},
        { cause: e },
      );
    }
    if (u.protocol !== 'http:' || !LOOPBACK_HOSTS.has(u.hostname)) {
      throw new AuthExplorerError(
        'ERR_URL_INVALID',
        `The loopback listener needs an http://127.0.0.1 (or localhost) redirect URI, not ${input.redirectUri}.`,
      );
    }
    port = Number(u.port || 80);
    path = u.pathname;
    host = u.hostname === '[::1]' ? '::1' : '127.0.0.1';
  }
  let settle!: { resolve: (v: { code: string; state: string }) => void; reject: (e: unknown) => void };
  let settled = false;
  const result = new Promise<{ code: string; state: string }>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined); // the caller may close without awaiting

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404).end();
      return;
    }
    if (settled) {
      page(res, 409, 'Already handled', 'This sign-in has already finished. You can close this tab.');
      return;
    }
    const q = url.searchParams;
    const state = q.get('state') ?? '';
    const error = q.get('error');
    if (!sameString(state, input.expectedState)) {
      page(
        res,
        400,
        'Sign-in rejected',
        'The state parameter does not match the sign-in that was started. Start again from the editor.',
      );
      finish(
        new AuthExplorerError(
          'ERR_OAUTH_STATE',
          'The redirect carried a state that does not match the one sent; the flow was stopped (possible forged redirect).',
          { error: error ?? undefined },
        ),
      );
      return;
    }
    if (error) {
      page(res, 400, 'Sign-in failed', `${error}: ${q.get('error_description') ?? ''}`);
      finish(
        new AuthExplorerError(
          'ERR_OAUTH',
          `The authorize step failed: ${error}: ${q.get('error_description') ?? '(no description)'}`,
          {
            error,
            error_description: q.get('error_description') ?? undefined,
            phase: 'authorize',
          },
        ),
      );
      return;
    }
    const code = q.get('code');
    if (!code) {
      page(res, 400, 'Sign-in failed', 'The redirect carried no code.');
      finish(
        new AuthExplorerError('ERR_OAUTH', 'The redirect carried no authorization code.', {
          phase: 'authorize',
        }),
      );
      return;
    }
    page(res, 200, 'Signed in', 'You can close this tab and return to the editor.');
    finish(undefined, { code, state });
  });

  const timer = setTimeout(() => {
    finish(
      new AuthExplorerError(
        'ERR_CANCELLED',
        `No sign-in redirect arrived within ${Math.round((input.timeoutMs ?? 300_000) / 1000)} s.`,
        { reason: 'timeout' },
      ),
    );
  }, input.timeoutMs ?? 300_000);
  timer.unref?.();
  const onAbort = (): void => finish(new AuthExplorerError('ERR_CANCELLED', 'The sign-in was cancelled.'));
  input.signal?.addEventListener('abort', onAbort, { once: true });

  function finish(error: unknown, value?: { code: string; state: string }): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
    if (error) settle.reject(error);
    else if (value) settle.resolve(value);
    // Let the browser receive its page before the listener goes away.
    setImmediate(() => server.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new AuthExplorerError(
          'ERR_HTTP_CONNECT',
          `Cannot listen on ${host}:${port}: ${(e as Error).message}`,
          {},
          { cause: e },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const redirectUri = input.redirectUri ?? `http://127.0.0.1:${boundPort}${path}`;
  return {
    redirectUri,
    result,
    close: () =>
      new Promise<void>((resolve) => {
        finish(new AuthExplorerError('ERR_CANCELLED', 'The sign-in listener was closed.'));
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
