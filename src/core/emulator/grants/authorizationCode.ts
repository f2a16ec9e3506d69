// grant_type=authorization_code after /authorize → mock IdP → /callback (combined auth).
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { authenticateClient, presenceOfClientCredentials } from './clientSecret.ts';
import { issueFirstPair, userTokenReply } from './userTokens.ts';
import { userLevel, userScopes, UNAUTHORIZED_CLIENT_TEXT } from '../productScopes.ts';
import { invalidRequest, oauthError } from '../replies.ts';

export function authorizationCodeGrant(ctx: GrantContext): Reply {
  const { state, form } = ctx;
  const missing = presenceOfClientCredentials(form);
  if (missing) return missing;
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return invalidRequest(400, 'redirect_uri is missing');
  const code = form.get('code');
  if (!code) return invalidRequest(400, 'authorization_code is missing');
  const client = authenticateClient(state, form);
  if (!client.ok) return client.reply;
  if (redirectUri !== client.app.redirectUri) return invalidRequest(400, 'redirect_uri is invalid');
  const issued = state.sessions.takeCode(code);
  if (!issued || issued.apiKey !== client.app.apiKey || issued.redirectUri !== redirectUri) {
    return oauthError(400, 'invalid_grant', 'authorization_code is invalid');
  }
  const scopes = userScopes(client.app, issued.provider, userLevel(issued.user));
  if (scopes.length === 0) return oauthError(401, 'unauthorized_client', UNAUTHORIZED_CLIENT_TEXT);
  const pair = issueFirstPair(state, form, { apiKey: client.app.apiKey, provider: issued.provider, scopes });
  return userTokenReply(pair);
}
