// Drives a mock IdP over real HTTP, as a browser would: GET the sign-in form, POST a username,
// take the code from the redirect and exchange it for an ID token (separate authentication).
import { randomBytes } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';
import { httpRequest } from '../http/httpRequest.ts';
import type { HttpTransport } from '../http/transport.ts';
import { IDP_PATHS } from './idp/mockIdp.ts';
import type { IdpProvider } from './types.ts';

export interface MockSignInOptions {
  provider: IdpProvider;
  username: string;
  clientId: string;
  clientSecret: string;
  /** Where the IdP sends the code (never fetched): the app's registered redirect URI. */
  redirectUri: string;
  /** How the requests go out (the extension passes the host's fetch); default undici. */
  transport?: HttpTransport;
}

const TIMEOUT_MS = 30_000;

export async function mockSignIn(emulatorUrl: string, o: MockSignInOptions): Promise<string> {
  const base = `${emulatorUrl.replace(/\/+$/, '')}${IDP_PATHS[o.provider]}`;
  const redirectUri = o.redirectUri;
  const state = randomBytes(12).toString('base64url');
  const authorize = new URL(`${base}/authorize`);
  authorize.search = new URLSearchParams({
    client_id: o.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: o.provider === 'cis2' ? 'openid nationalrbacaccess' : 'openid profile',
    state,
  }).toString();

  const send = (
    url: string,
    init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  ) => httpRequest({ url, ...init, timeoutMs: TIMEOUT_MS, transport: o.transport });
  const page = await send(authorize.toString(), { method: 'GET' });
  const html = page.bodyText;
  if (page.status !== 200 || !html.includes('name="username"')) {
    const reason = /<p>([^<]{1,200})<\/p>/.exec(html)?.[1];
    throw new AuthExplorerError(
      'ERR_HTTP_STATUS',
      `mock ${o.provider} sign-in page answered HTTP ${page.status}${reason ? `: ${reason}` : ''}`,
      { status: page.status },
    );
  }
  const posted = await send(authorize.toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: o.username }).toString(),
  });
  const location = posted.headers.location;
  if (posted.status !== 302 || typeof location !== 'string') {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `mock ${o.provider} sign-in rejected user '${o.username}' (HTTP ${posted.status})`,
    );
  }
  const back = new URL(location);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) {
    throw new AuthExplorerError(
      'ERR_OAUTH',
      `mock ${o.provider} sign-in returned no code: ${back.searchParams.get('error') ?? 'state mismatch'}`,
    );
  }
  const tokenRes = await send(`${base}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    }).toString(),
  });
  const text = tokenRes.bodyText;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AuthExplorerError(
      'ERR_HTTP_NOT_JSON',
      `mock ${o.provider} token endpoint answered non-JSON (HTTP ${tokenRes.status})`,
    );
  }
  if (tokenRes.status !== 200 || typeof parsed.id_token !== 'string') {
    throw new AuthExplorerError(
      'ERR_OAUTH',
      `mock ${o.provider} token endpoint: ${String(parsed.error ?? tokenRes.status)} ${String(parsed.error_description ?? '')}`.trim(),
      {
        status: tokenRes.status,
      },
    );
  }
  return parsed.id_token;
}
