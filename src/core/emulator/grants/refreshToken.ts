// grant_type=refresh_token: single-use rotation, count +1, the period end never moves.
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { authenticateClient, presenceOfClientCredentials } from './clientSecret.ts';
import { issuePair, userTokenReply } from './userTokens.ts';
import { shortened } from '../lifetimes.ts';
import { invalidRequest, oauthError } from '../replies.ts';

export function refreshTokenGrant(ctx: GrantContext): Reply {
  const { state, form } = ctx;
  const missing = presenceOfClientCredentials(form);
  if (missing) return missing;
  const token = form.get('refresh_token');
  if (!token) return invalidRequest(400, 'refresh_token is missing');
  const client = authenticateClient(state, form);
  if (!client.ok) return client.reply;
  const peek = state.tokens.peekRefresh(token);
  if (!peek || peek.apiKey !== client.app.apiKey) return oauthError(401, 'invalid_grant', 'refresh_token is invalid');
  const entry = state.tokens.takeRefresh(token);
  const now = Date.now();
  if (!entry) return oauthError(401, 'invalid_grant', 'refresh_token is invalid');
  if (entry.expiresAt <= now || entry.periodEnd <= now) return oauthError(401, 'invalid_grant', 'refresh token refresh period has expired');
  const pair = issuePair(state, now, {
    apiKey: entry.apiKey,
    provider: entry.provider,
    scopes: entry.scopes,
    refreshCount: entry.refreshCount + 1,
    periodEnd: entry.periodEnd,
    accessTokenMs: shortened(form, '_access_token_expiry_ms', entry.accessTokenMs),
    refreshTokenMs: shortened(form, '_refresh_token_expiry_ms', entry.refreshTokenMs),
  });
  return userTokenReply(pair);
}
