// The embedded emulator of the NHS England API Platform's OAuth service: one node:http server,
// loopback by default, serving /oauth2 and /oauth2-mock, two mock IdPs, Hello World and a control API.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AuthExplorerError } from '../errors.ts';
import type {
  DemoApp,
  EmulatorAppConfig,
  EmulatorOptions,
  HandlerFailure,
  Reply,
  RunningEmulator,
} from './types.ts';
import { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { route } from './router.ts';
import { faultReply } from './faults.ts';
import { apigeeFault, unknownError } from './replies.ts';
import { createDemoApp } from './demoApp.ts';
import {
  checkControlRequest,
  checkFence,
  createFence,
  newControlToken,
  withForwardedOrigin,
} from './fence.ts';
import type { Fence } from './fence.ts';

export type {
  DemoApp,
  EmulatorAppConfig,
  EmulatorOptions,
  EmulatorStats,
  HandlerFailure,
  RunningEmulator,
} from './types.ts';
export { parseAppsFile } from './appsFile.ts';
export { isLoopbackHost } from './fence.ts';

const MAX_BODY_BYTES = 64 * 1024;
// Past this much discarded upload the socket is cut instead of drained.
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
// A client has this long to send its headers, and its whole request (Node's default is 300 s).
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

function normaliseBaseUrl(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new AuthExplorerError('ERR_URL_INVALID', `baseUrl is not an absolute URL: ${baseUrl}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new AuthExplorerError('ERR_URL_INVALID', 'baseUrl must be http or https');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const baseUrl = options.baseUrl ? normaliseBaseUrl(options.baseUrl) : undefined;
  const state = await EmulatorState.create(options.transport);
  const apps = options.apps ?? [];
  apps.forEach((a, i) => state.apps.add(a, `apps[${i}]`));
  let demo: DemoApp | undefined;
  if (options.demoApp ?? apps.length === 0) {
    demo = await createDemoApp();
    state.apps.add(demo.app, 'demoApp');
  }

  const controlToken = options.controlToken ?? newControlToken();
  if (controlToken.length < 16 || !/^[\x21-\x7e]+$/.test(controlToken)) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      'controlToken must be at least 16 printable characters without spaces',
    );
  }
  state.statusApiKey = controlToken;
  const sockets = new Set<Socket>();
  // The fence needs the port, known only once listening; no request arrives before that.
  const fenceOf: { current?: Fence } = {};
  const report = (failure: HandlerFailure): void => {
    try {
      // Control paths may carry an API key (/_emulator/apps/<key>): keep their first two segments only.
      const path = failure.path.startsWith('/_emulator/')
        ? failure.path.split('/').slice(0, 3).join('/')
        : failure.path;
      options.onHandlerError?.({ ...failure, path });
    } catch {
      /* a failing hook must not take the server down */
    }
  };
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req, res) => {
      handle(state, fenceOf.current!, baseUrl, req, res, report).catch((error: unknown) => {
        report({ method: req.method ?? 'GET', path: pathOf(req.url), error });
        if (!res.headersSent) writeReply(res, unknownError());
        else res.destroy();
      });
    },
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  fenceOf.current = createFence(port, host, baseUrl, controlToken);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const listenOrigin = `http://${hostForUrl === '0.0.0.0' || hostForUrl === '[::]' ? '127.0.0.1' : hostForUrl}:${port}`;
  const url = baseUrl ?? listenOrigin;

  return {
    url,
    port,
    tokenUrl: (basePath = 'oauth2') => `${url}/${basePath}/token`,
    addApp: (app: EmulatorAppConfig) => {
      state.apps.add(app, 'app');
    },
    putApp: (app: EmulatorAppConfig) => {
      state.apps.put(app, 'app');
    },
    deleteApp: (apiKey: string) => state.apps.delete(apiKey),
    allowForwardedOrigin: (origin: string) => {
      fenceOf.current = withForwardedOrigin(fenceOf.current!, origin);
    },
    controlToken,
    stats: () => ({
      apps: state.apps.size,
      pendingSignIns: state.sessions.size,
      idpCodes: state.idps['nhs-login'].pendingCodes + state.idps.cis2.pendingCodes,
      tokens: state.tokens.size,
      jtis: state.jtiStore.size,
      faults: state.faults.size,
    }),
    ...(demo ? { demo } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        reject(new Error('upload too large'));
        return;
      }
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `close`: the request body was not read, so the connection cannot be reused. */
function writeReply(res: ServerResponse, reply: Reply, close = false): void {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    ...reply.headers,
    'x-content-type-options': 'nosniff',
  };
  headers['content-length'] = String(Buffer.byteLength(reply.body));
  if (close) headers['connection'] = 'close';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The path alone: a query may hold a code or a token. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.slice(0, 200);
}

async function handle(
  state: EmulatorState,
  fence: Fence,
  baseUrl: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  report: (failure: HandlerFailure) => void,
): Promise<void> {
  // The fence comes first: nothing from a foreign Host or Origin is read, counted or answered.
  const fenced = checkFence(fence, req.headers);
  if (!fenced.ok) {
    writeReply(res, fenced.reply, true);
    return;
  }
  const origin = baseUrl ?? fence.forwarded?.get(fenced.host) ?? `http://${fenced.host}`;
  let path: string;
  let query: URLSearchParams;
  try {
    const u = new URL(req.url ?? '/', 'http://emulator.invalid');
    path = u.pathname;
    query = u.searchParams;
  } catch {
    path = '/';
    query = new URLSearchParams();
  }
  if (path.startsWith('/_emulator/')) {
    const refused = checkControlRequest(fence, req.method ?? 'GET', req.headers);
    if (refused) {
      writeReply(res, refused, true);
      return;
    }
  }
  const fault = state.faults.take(path);
  if (fault?.reset === 'before') {
    req.socket.destroy();
    return;
  }
  let body: Buffer | 'too-large';
  try {
    body = await readBody(req);
  } catch {
    req.socket.destroy();
    return;
  }
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  if (res.destroyed) return;
  const canned = fault ? faultReply(fault) : undefined;
  if (canned) {
    writeReply(res, canned);
    return;
  }
  let reply: Reply;
  if (body === 'too-large') {
    reply = apigeeFault(413, 'Body buffer overflow', 'protocol.http.TooBigBody');
  } else {
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path,
      query,
      headers: req.headers,
      body,
      origin,
    };
    try {
      reply = await route(state, request);
    } catch (error) {
      report({ method: request.method, path, error });
      reply = unknownError();
    }
  }
  if (fault?.reset === 'after') {
    // The work is done (a refresh token is already burnt); the answer is lost on the wire.
    req.socket.destroy();
    return;
  }
  writeReply(res, reply);
}
