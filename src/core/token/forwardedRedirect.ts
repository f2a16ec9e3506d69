// In a remote window (Remote-SSH, WSL, Dev Containers, Codespaces) the loopback callback listener runs
// on the remote machine, and the browser that signs in runs on the user's. VS Code forwards the port
// (vscode.env.asExternalUri), but the platform redirects the browser to the redirect URI exactly as
// registered, so the flow completes only when the forwarded address is that same URI. This decides it.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type ForwardedRedirect =
  /** The browser reaches the listener at the registered URI. */
  | { kind: 'same' }
  /**
   * Reached through a workbench's port proxy on loopback (code-server's /proxy/<port>/): works when the
   * browser runs on the same machine as the server, as with npm start.
   */
  | { kind: 'proxied'; external: string }
  /** The browser would have to use another address: the platform's redirect cannot reach the listener. */
  | { kind: 'mismatch'; external: string };

function port(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

export function compareForwardedRedirect(redirectUri: string, externalUri: string): ForwardedRedirect {
  const r = new URL(redirectUri);
  const x = new URL(externalUri);
  const samePlace =
    r.protocol === x.protocol &&
    port(r) === port(x) &&
    (r.hostname === x.hostname ||
      (LOOPBACK.has(r.host.replace(/:\d+$/, '')) && LOOPBACK.has(x.host.replace(/:\d+$/, ''))));
  if (samePlace && x.pathname.replace(/\/+$/, '') === r.pathname.replace(/\/+$/, '')) return { kind: 'same' };
  if (LOOPBACK.has(x.hostname) && x.pathname.startsWith(`/proxy/${port(r)}/`))
    return { kind: 'proxied', external: externalUri };
  return { kind: 'mismatch', external: externalUri };
}
