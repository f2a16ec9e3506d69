// grant_type=refresh_token: single-use rotation, count +1, the period end never moves later.
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { authenticateClient, presenceOfClientCredentials } from './clientSecret.ts';
import { issuePair, userTokenReply } from './userTokens.ts';
import { shortened } from '../lifetimes.ts';
import { platformReply } from '../replies.ts';

export function refreshTokenGrant(ctx: GrantContext): Reply {
  const { state, form } = ctx;
  const missing = presenceOfClientCredentials(form);
  if (missing) return missing;
  const token = form.get('refresh_token');
  if (!token) return platformReply('refreshTokenMissing');
  const client = authenticateClient(state, form);
  if (!client.ok) return client.reply;
  const peek = state.tokens.peekRefresh(token);
  if (!peek || peek.apiKey !== client.app.apiKey) return platformReply('refreshTokenInvalid');
  const entry = state.tokens.takeRefresh(token);
  const now = Date.now();
  if (!entry) return platformReply('refreshTokenInvalid');
  if (entry.expiresAt <= now || entry.periodEnd <= now) return platformReply('refreshPeriodExpired');
  // Only this grant reads all three overrides. The validity is checked after the token is used
  // (RaiseFault.TokenRefreshTimelimitExceeded follows OAuthV2.GenerateRefreshToken), so it is burnt.
  const validityMs = shortened(form, '_refresh_tokens_validity_ms', entry.periodEnd - entry.firstIssuedAt);
  if (now - entry.firstIssuedAt >= validityMs) return platformReply('refreshPeriodExpired');
  const pair = issuePair(state, now, {
    apiKey: entry.apiKey,
    provider: entry.provider,
    scopes: entry.scopes,
    user: entry.user ?? { auth: 'exchange' },
    refreshCount: entry.refreshCount + 1,
    firstIssuedAt: entry.firstIssuedAt,
    periodEnd: Math.min(entry.periodEnd, entry.firstIssuedAt + validityMs),
    // A refreshed pair keeps the lifetimes its session was first issued with unless this form shortens them.
    accessTokenMs: shortened(form, '_access_token_expiry_ms', entry.accessTokenMs),
    refreshTokenMs: shortened(form, '_refresh_token_expiry_ms', entry.refreshTokenMs),
  });
  return userTokenReply(pair);
}
