// grant_type=authorization_code after /authorize → mock IdP → /callback (combined auth).
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { authenticateClient, presenceOfClientCredentials } from './clientSecret.ts';
import { issueFirstPair, userTokenReply } from './userTokens.ts';
import { platformReply } from '../replies.ts';

export function authorizationCodeGrant(ctx: GrantContext): Reply {
  const { state, form } = ctx;
  const missing = presenceOfClientCredentials(form);
  if (missing) return missing;
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return platformReply('redirectUriMissing');
  const code = form.get('code');
  if (!code) return platformReply('codeMissing');
  const client = authenticateClient(state, form);
  if (!client.ok) return client.reply;
  if (redirectUri !== client.app.redirectUri) return platformReply('redirectUriInvalid');
  const issued = state.sessions.takeCode(code);
  if (!issued || issued.apiKey !== client.app.apiKey || issued.redirectUri !== redirectUri) {
    return platformReply('codeInvalid');
  }
  const user = {
    auth: 'combined' as const,
    username: issued.user.username,
    ...(issued.user.selectedRoleId ? { selectedRoleId: issued.user.selectedRoleId } : {}),
    ...(issued.sid ? { sid: issued.sid } : {}),
  };
  const pair = issueFirstPair(
    state,
    form,
    { apiKey: client.app.apiKey, provider: issued.provider, scopes: issued.scopes, user },
    'authorization_code',
  );
  return userTokenReply(pair);
}
