// grant_type=client_credentials with a signed JWT client assertion (application-restricted).
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { validateClientAssertion } from '../clientAssertion.ts';
import { applicationScopes } from '../productScopes.ts';
import { ACCESS_TOKEN_MS, expiresInSeconds, shortened } from '../lifetimes.ts';
import { jsonReply, platformReply } from '../replies.ts';

export async function clientCredentialsGrant(ctx: GrantContext): Promise<Reply> {
  const { state, form } = ctx;
  const result = await validateClientAssertion(form, {
    apps: state.apps,
    jwksCache: state.jwksCache,
    jtiStore: state.jtiStore,
    tokenUrl: ctx.tokenUrl,
  });
  if (!result.ok) return result.reply;
  const scopes = applicationScopes(result.app);
  if (scopes.length === 0) return platformReply('unauthorizedClient');
  const accessMs = shortened(form, '_access_token_expiry_ms', ACCESS_TOKEN_MS);
  const issuedAt = Date.now();
  const accessToken = state.tokens.issueAccess({
    apiKey: result.app.apiKey,
    kind: 'application',
    scopes,
    expiresAt: issuedAt + accessMs,
  });
  return jsonReply(200, {
    access_token: accessToken,
    expires_in: expiresInSeconds(accessMs),
    token_type: 'Bearer',
    issued_at: String(issuedAt),
  });
}
