// GET /oauth2[-mock]/authorize and /callback: combined authentication through a mock IdP.
import type { Reply, IdpProvider } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { randomUUID } from 'node:crypto';
import { emptyReply, platformReply, redirectReply } from './replies.ts';
import { lacksOAuthService, userLevel, userScopes } from './productScopes.ts';

/** The client id the emulated platform itself uses at its mock IdPs. */
export const PLATFORM_IDP_CLIENT_ID = 'nhs-auth-emulator-platform';

function withQuery(base: string, params: Record<string, string>): string {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export function authorizeEndpoint(state: EmulatorState, req: EmulatorRequest, basePath: string): Reply {
  if (req.method !== 'GET') return emptyReply(405, { allow: 'GET' });
  const q = req.query;
  const clientId = q.get('client_id');
  if (!clientId) return platformReply('clientIdMissing');
  const app = state.apps.get(clientId);
  if (!app) return platformReply('clientIdInvalid');
  if (lacksOAuthService(app)) return platformReply('apiKeyNoAccess');
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) return platformReply('redirectUriMissing');
  if (redirectUri !== app.redirectUri) return platformReply('redirectUriInvalid');
  if (app.status === 'revoked') return platformReply('appNotApproved');
  const clientState = q.get('state');
  if (!clientState)
    return redirectReply(
      withQuery(redirectUri, { error: 'invalid_request', error_description: 'state is missing' }),
    );
  const responseType = q.get('response_type');
  if (!responseType)
    return redirectReply(
      withQuery(redirectUri, {
        error: 'invalid_request',
        error_description: 'response_type is missing',
        state: clientState,
      }),
    );
  if (responseType !== 'code') {
    return redirectReply(
      withQuery(redirectUri, {
        error: 'unsupported_response_type',
        error_description: 'response_type is invalid',
        state: clientState,
      }),
    );
  }
  // CIS2 is the default; scope=nhs-login picks NHS login (the combined-auth toggle is taken as on).
  const provider: IdpProvider = q.get('scope') === 'nhs-login' ? 'nhs-login' : 'cis2';
  const platformState = state.sessions.start({ apiKey: app.apiKey, redirectUri, clientState, provider });
  const idp = state.idps[provider];
  const params: Record<string, string> = {
    client_id: PLATFORM_IDP_CLIENT_ID,
    redirect_uri: `${req.origin}/${basePath}/callback`,
    response_type: 'code',
    scope: provider === 'cis2' ? 'openid nationalrbacaccess' : 'openid profile',
    state: platformState,
    max_age: '300',
  };
  if (provider === 'cis2') params.acr_values = q.get('acr_values') ?? 'AAL3_ANY';
  return redirectReply(withQuery(`${req.origin}${idp.path}/authorize`, params));
}

export function callbackEndpoint(state: EmulatorState, req: EmulatorRequest, basePath: string): Reply {
  if (req.method !== 'GET') return emptyReply(405, { allow: 'GET' });
  const pending = state.sessions.finish(req.query.get('state') ?? '');
  if (!pending) return platformReply('callbackState');
  const user = state.idps[pending.provider].redeemCode(
    req.query.get('code') ?? '',
    PLATFORM_IDP_CLIENT_ID,
    `${req.origin}/${basePath}/callback`,
  );
  if (!user) {
    const error = req.query.get('error');
    const params: Record<string, string> = { error: error ?? 'access_denied', state: pending.clientState };
    const description = req.query.get('error_description');
    if (description) params.error_description = description;
    return redirectReply(withQuery(pending.redirectUri, params));
  }
  // RaiseFault.VerifyAccessLevel: no product scope for this user's level fails here, not at /token.
  const app = state.apps.get(pending.apiKey);
  const scopes = app ? userScopes(app, pending.provider, userLevel(user)) : [];
  if (scopes.length === 0) return platformReply('unauthorizedClient');
  const sid = pending.provider === 'cis2' ? randomUUID() : undefined;
  const code = state.sessions.issueCode({
    apiKey: pending.apiKey,
    redirectUri: pending.redirectUri,
    provider: pending.provider,
    user,
    scopes,
    ...(sid ? { sid } : {}),
  });
  return redirectReply(withQuery(pending.redirectUri, { code, state: pending.clientState }));
}
