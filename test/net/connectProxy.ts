// A forward HTTP proxy on 127.0.0.1 for tests, as corporate proxies work: CONNECT tunnels for https
// and absolute-form requests for http. It records every request it carries, and can map host names
// that do not resolve (e.g. token.test) to loopback ports, so a request that reaches its server
// proves it went through the proxy. Optional Basic authentication (407 without it).
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyHit {
  method: string;
  /** host:port for CONNECT, the absolute URL otherwise. */
  target: string;
  authorized: boolean;
}

export interface RunningProxy {
  url: string;
  port: number;
  hits: ProxyHit[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Host name (lower case) → loopback port; other hosts are connected to as given. */
  routes?: Record<string, number>;
  /** "user:password" the proxy requires in Proxy-Authorization: Basic. */
  credentials?: string;
}

export async function startConnectProxy(options: ProxyOptions = {}): Promise<RunningProxy> {
  const hits: ProxyHit[] = [];
  const sockets = new Set<Socket>();
  const routes = options.routes ?? {};
  const resolve = (host: string, port: number): { host: string; port: number } => {
    const mapped = routes[host.toLowerCase()];
    return mapped !== undefined ? { host: '127.0.0.1', port: mapped } : { host, port };
  };
  const authorized = (req: IncomingMessage): boolean => {
    if (!options.credentials) return true;
    return (
      req.headers['proxy-authorization'] === `Basic ${Buffer.from(options.credentials).toString('base64')}`
    );
  };
  const server: Server = createServer((req, res) => {
    const ok = authorized(req);
    hits.push({ method: req.method ?? 'GET', target: req.url ?? '', authorized: ok });
    if (!ok) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
      res.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400);
      res.end('absolute-form URL expected');
      return;
    }
    const to = resolve(target.hostname, Number(target.port || 80));
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: to.host,
        port: to.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const ok = authorized(req);
    hits.push({ method: 'CONNECT', target: req.url ?? '', authorized: ok });
    if (!ok) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const to = resolve(host.replace(/^\[|\]$/g, ''), Number(port));
    const upstream = connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
