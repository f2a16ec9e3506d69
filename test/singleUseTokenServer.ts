// A platform-like token server on 127.0.0.1 for the refresh rules: each refresh token works once and
// the answer rotates it, after `delayMs`. Shared by the lease tests and the lease bench.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SingleUseTokenServer {
  url: string;
  /** Requests answered so far. */
  hits: () => number;
  /** The one refresh token the server accepts now. */
  issued: () => string;
  /** Forget the chain and accept only `refreshToken` from now on. */
  reset: (refreshToken: string) => void;
  close: () => Promise<void>;
}

export async function singleUseTokenServer(delayMs: number): Promise<SingleUseTokenServer> {
  let hits = 0;
  let n = 0;
  let latest = 'RT-0';
  const valid = new Set([latest]);
  const s = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      hits++;
      const rt = new URLSearchParams(body).get('refresh_token') ?? '';
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        if (!valid.delete(rt)) {
          res.statusCode = 401;
          res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'refresh_token is invalid' }));
          return;
        }
        n++;
        latest = `RT-${n}`;
        valid.add(latest);
        res.end(
          JSON.stringify({
            access_token: `AT-${n}`,
            expires_in: '599',
            token_type: 'Bearer',
            refresh_token: latest,
            refresh_token_expires_in: '3000',
            refresh_count: String(n),
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    hits: () => hits,
    issued: () => latest,
    reset: (refreshToken) => {
      valid.clear();
      latest = refreshToken;
      valid.add(latest);
    },
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}
