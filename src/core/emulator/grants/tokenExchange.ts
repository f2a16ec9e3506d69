// grant_type=urn:ietf:params:oauth:grant-type:token-exchange: an IdP's ID token + a client assertion
// (separate authentication) gives a user-restricted token pair.
import type { Reply } from '../types.ts';
import type { GrantContext } from './grantContext.ts';
import { validateClientAssertion } from '../clientAssertion.ts';
import { validateSubjectToken } from '../subjectToken.ts';
import { issueFirstPair } from './userTokens.ts';
import { userScopes } from '../productScopes.ts';
import { jsonReply, platformReply } from '../replies.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

export async function tokenExchangeGrant(ctx: GrantContext): Promise<Reply> {
  const { state, form } = ctx;
  if (form.get('subject_token_type') !== ID_TOKEN_TYPE) return platformReply('subjectTokenType');
  const assertion = await validateClientAssertion(form, {
    apps: state.apps,
    jwksCache: state.jwksCache,
    jtiStore: state.jtiStore,
    tokenUrl: ctx.tokenUrl,
  });
  if (!assertion.ok) return assertion.reply;
  // The subject token is read only once the client assertion is verified (DecodeJWT.FromSubjectTokenFormParam).
  const subjectToken = form.get('subject_token');
  if (!subjectToken) return platformReply('subjectTokenMissing');
  const subject = await validateSubjectToken(state, subjectToken);
  if (!subject.ok) return subject.reply;
  const scopes = userScopes(assertion.app, subject.provider, subject.level);
  if (scopes.length === 0) return platformReply('unauthorizedClient');
  const pair = issueFirstPair(
    state,
    form,
    { apiKey: assertion.app.apiKey, provider: subject.provider, scopes, user: { auth: 'exchange' } },
    'token-exchange',
  );
  return jsonReply(200, {
    access_token: pair.access_token,
    expires_in: pair.expires_in,
    token_type: 'Bearer',
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    refresh_token: pair.refresh_token,
    refresh_token_expires_in: pair.refresh_token_expires_in,
    refresh_count: pair.refresh_count,
  });
}
