// The VS Code server as `npm start` and every browser-level test run it: VS Code's own server
// (lib/vscode of code-server, loaded in this process the way code-server loads it) behind a fence:
// - bound to 127.0.0.1 only;
// - VS Code's connection token: the printed URL carries it once (?tkn=), then a cookie; every other
//   request and every WebSocket handshake without it is refused by VS Code itself;
// - Host must be this loopback origin (DNS rebinding) and Origin, when sent, must be too, on every
//   request and WebSocket upgrade (a page elsewhere cannot drive the workbench);
// - POST /mint-key, which the bare server lacks: the workbench seals SecretStorage with the key half
//   it returns, so it is generated once, kept 0600 in the data folder, and served only to a
//   request that carries the token. Without it every secret is lost on reload.
// Run as: node workbenchServer.mjs <config.json>. Prints `workbench server listening on <port>`.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { lib, port, dataDir, tokenFile, keyHalfFile, extraArgs = {} } = config;
const token = readFileSync(tokenFile, 'utf8').trim();
const keyHalf = readFileSync(keyHalfFile);

const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));

/** Why a request is refused by the fence, or undefined when it may pass to VS Code. */
function fenceRefusal(headers) {
  if (!allowedHosts.has(String(headers.host ?? '').toLowerCase()))
    return { status: 421, text: 'Misdirected request: this server answers only on its loopback address.' };
  if (headers.origin !== undefined && !allowedOrigins.has(String(headers.origin).toLowerCase()))
    return { status: 403, text: 'Forbidden: cross-origin request.' };
  return undefined;
}

function sameSecret(a, b) {
  const x = Buffer.from(String(a ?? ''));
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(cookieHeader) {
  for (const part of String(cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'vscode-tkn') return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

// server-main.js starts a server from process.argv when imported on its own; this variable is how
// code-server tells it that it is being embedded.
process.env.CODE_SERVER_PARENT_PID = String(process.pid);
const { loadCodeWithNls } = await import(pathToFileURL(join(lib, 'out', 'server-main.js')).href);
const serverModule = await loadCodeWithNls();
const d = (name) => join(dataDir, name);
const vscode = await serverModule.createServer(null, {
  _: [],
  'accept-server-license-terms': true,
  'connection-token-file': tokenFile,
  'server-data-dir': d('server-data'),
  'user-data-dir': d('user-data'),
  'extensions-dir': d('extensions'),
  logsPath: d('logs'),
  'disable-telemetry': true,
  'disable-update-check': true,
  // The scratch workspace is this tool's own; a person opening another folder still gets VS Code's trust prompt.
  'disable-workspace-trust': true,
  ...extraArgs,
});

const refuse = (res, { status, text }) => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
};

const server = createServer((req, res) => {
  const refusal = fenceRefusal(req.headers);
  if (refusal) return refuse(res, refusal);
  if (req.url === '/mint-key' || req.url?.startsWith('/mint-key?')) {
    if (req.method !== 'POST') return refuse(res, { status: 405, text: 'Method not allowed.' });
    if (!sameSecret(cookieToken(req.headers.cookie), token))
      return refuse(res, { status: 403, text: 'Forbidden.' });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
    return res.end(keyHalf);
  }
  const proxied = /^\/proxy\/(\d{1,5})(\/[^]*)?$/.exec(req.url ?? '');
  if (proxied) return sendStraightTo(req, res, Number(proxied[1]), proxied[2] ?? '/');
  vscode.handleRequest(req, res);
});

/**
 * The workbench sends a loopback URL that an extension opens (the emulator's sign-in page, a
 * callback listener) to /proxy/<port>/<path>. The browser runs on this machine (the server binds
 * 127.0.0.1), so it is sent straight to that port: the page then talks to its own origin, as it
 * would in VS Code desktop. Only for a request that carries the token, and only to loopback.
 */
function sendStraightTo(req, res, targetPort, rest) {
  if (!sameSecret(cookieToken(req.headers.cookie), token))
    return refuse(res, { status: 403, text: 'Forbidden.' });
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return refuse(res, { status: 405, text: 'Method not allowed.' });
  if (!(targetPort > 0 && targetPort < 65536)) return refuse(res, { status: 400, text: 'Bad port.' });
  res.writeHead(302, { Location: `http://127.0.0.1:${targetPort}${rest}`, 'Cache-Control': 'no-store' });
  res.end();
}
server.on('upgrade', (req, socket) => {
  const refusal = fenceRefusal(req.headers);
  if (refusal) {
    socket.end(
      `HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.text}`,
    );
    return;
  }
  vscode.handleUpgrade(req, socket);
});
server.listen(port, '127.0.0.1', () => console.log(`workbench server listening on ${port}`));
for (const sig of ['SIGTERM', 'SIGINT'])
  process.on(sig, () => {
    server.close();
    vscode.dispose?.();
    process.exit(0);
  });
