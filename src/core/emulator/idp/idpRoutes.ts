// HTTP face of a mock IdP: discovery, JWKS, a plain HTML sign-in form, and the token endpoint.
import type { Reply } from '../types.ts';
import type { EmulatorState } from '../state.ts';
import type { EmulatorRequest } from '../request.ts';
import { formOf, headerOf } from '../request.ts';
import type { MockIdp } from './mockIdp.ts';
import { findMockUser, MOCK_USERS } from './mockUsers.ts';
import { PLATFORM_IDP_CLIENT_ID } from '../authorize.ts';
import { emptyReply, htmlReply, jsonReply, redirectReply } from '../replies.ts';
import { newOpaqueToken } from '../tokenStore.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function oidcError(status: number, error: string, description: string): Reply {
  return jsonReply(status, { error, error_description: description });
}

/**
 * The redirect URIs a client may use: the platform's own /callback on this emulator's origin, or the
 * app's registered redirectUri. Anything else is refused, so the IdP is no open redirect.
 */
function registeredRedirects(state: EmulatorState, clientId: string, origin: string): string[] | undefined {
  if (clientId === PLATFORM_IDP_CLIENT_ID)
    return [`${origin}/oauth2/callback`, `${origin}/oauth2-mock/callback`];
  const app = state.apps.get(clientId);
  if (!app) return undefined;
  return app.redirectUri ? [app.redirectUri] : [];
}

function signInPage(idp: MockIdp, error?: string): string {
  const title = idp.provider === 'cis2' ? 'Mock CIS2 sign-in' : 'Mock NHS login sign-in';
  const users = MOCK_USERS.filter((u) => u.provider === idp.provider)
    .map((u) => `<li><code>${u.username}</code> ${escapeHtml(u.description)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>NHS Auth Explorer emulator: no password, pick a test user.</p>
${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form id="kc-form-login" method="post">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="off">
<button type="submit">Sign in</button>
</form>
<ul id="users">
${users}
</ul>
</body></html>
`;
}

export async function idpRoute(
  state: EmulatorState,
  idp: MockIdp,
  req: EmulatorRequest,
  sub: string,
): Promise<Reply | undefined> {
  const issuer = `${req.origin}${idp.path}`;
  switch (sub) {
    case '/.well-known/openid-configuration':
      return jsonReply(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS512'],
        scopes_supported: idp.provider === 'cis2' ? ['openid', 'nationalrbacaccess'] : ['openid', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        grant_types_supported: ['authorization_code'],
      });
    case '/jwks':
      return jsonReply(200, { keys: [idp.publicJwk] });
    case '/authorize':
      return authorize(state, idp, req);
    case '/token':
      return token(state, idp, req, issuer);
    default:
      return undefined;
  }
}

function authorize(state: EmulatorState, idp: MockIdp, req: EmulatorRequest): Reply {
  if (req.method !== 'GET' && req.method !== 'POST') return emptyReply(405, { allow: 'GET, POST' });
  const q = req.query;
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri');
  const allowed = registeredRedirects(state, clientId, req.origin);
  if (!allowed)
    return htmlReply(400, '<!doctype html><title>Error</title><p>Invalid parameter: client_id</p>');
  if (!redirectUri || !allowed.includes(redirectUri))
    return htmlReply(400, '<!doctype html><title>Error</title><p>Invalid parameter: redirect_uri</p>');
  if (q.get('response_type') !== 'code') {
    const u = new URL(redirectUri);
    u.searchParams.set('error', 'unsupported_response_type');
    const st = q.get('state');
    if (st) u.searchParams.set('state', st);
    return redirectReply(u.toString());
  }
  if (req.method === 'GET') return htmlReply(200, signInPage(idp));
  const username = formOf(req).get('username')?.trim() ?? '';
  const user = findMockUser(idp.provider, username);
  if (!user)
    return htmlReply(200, signInPage(idp, `Unknown user '${username}'. Pick one of the users listed below.`));
  const u = new URL(redirectUri);
  u.searchParams.set('code', idp.issueCode(clientId, redirectUri, user));
  const st = q.get('state');
  if (st) u.searchParams.set('state', st);
  return redirectReply(u.toString());
}

function clientCredentials(req: EmulatorRequest, form: URLSearchParams): { id: string; secret: string } {
  const auth = headerOf(req, 'authorization');
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0)
      return {
        id: decodeURIComponent(decoded.slice(0, i)),
        secret: decodeURIComponent(decoded.slice(i + 1)),
      };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

async function token(
  state: EmulatorState,
  idp: MockIdp,
  req: EmulatorRequest,
  issuer: string,
): Promise<Reply> {
  if (req.method !== 'POST') return emptyReply(405, { allow: 'POST' });
  const form = formOf(req);
  let client: { id: string; secret: string };
  try {
    client = clientCredentials(req, form);
  } catch {
    return oidcError(401, 'invalid_client', 'Invalid client authentication');
  }
  const app = state.apps.get(client.id);
  if (!app || !app.clientSecret || app.clientSecret !== client.secret)
    return oidcError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
  if (form.get('grant_type') !== 'authorization_code')
    return oidcError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  const code = form.get('code');
  if (!code) return oidcError(400, 'invalid_request', 'Missing parameter: code');
  const user = idp.redeemCode(code, client.id, form.get('redirect_uri') ?? undefined);
  if (!user) return oidcError(400, 'invalid_grant', 'Code not valid');
  const accessToken = newOpaqueToken();
  const idToken = await idp.issueIdToken(user, client.id, issuer, accessToken);
  return jsonReply(200, {
    access_token: accessToken,
    expires_in: 300,
    token_type: 'Bearer',
    id_token: idToken,
    scope: idp.provider === 'cis2' ? 'openid nationalrbacaccess' : 'openid profile',
  });
}
