// POST /oauth2[-mock]/token: content type, grant_type dispatch.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { formOf, headerOf } from './request.ts';
import { emptyReply, platformReply } from './replies.ts';
import { clientCredentialsGrant } from './grants/clientCredentials.ts';
import { ID_TOKEN_TYPE, tokenExchangeGrant, TOKEN_EXCHANGE_GRANT } from './grants/tokenExchange.ts';
import { CLIENT_ASSERTION_TYPE } from '../platform/clientAssertionRules.ts';
import { authorizationCodeGrant } from './grants/authorizationCode.ts';
import { refreshTokenGrant } from './grants/refreshToken.ts';

export async function tokenEndpoint(
  state: EmulatorState,
  req: EmulatorRequest,
  tokenUrl: string,
): Promise<Reply> {
  if (req.method !== 'POST') return emptyReply(405, { allow: 'POST' });
  // A plain string comparison on the platform, so "; charset=UTF-8" fails too (unsure).
  if (headerOf(req, 'content-type') !== 'application/x-www-form-urlencoded') {
    return platformReply('contentType');
  }
  const form = formOf(req);
  const grantType = form.get('grant_type');
  const ctx = { state, form, tokenUrl };
  // An id_token subject_token_type selects the token-exchange flow whatever the grant_type says
  // (flow PostTokenTokenExchange): its client_assertion_type check, then its grant_type check.
  if (form.get('subject_token_type') === ID_TOKEN_TYPE && grantType !== TOKEN_EXCHANGE_GRANT) {
    return platformReply(
      form.get('client_assertion_type') === CLIENT_ASSERTION_TYPE
        ? 'exchangeGrantTypeInvalid'
        : 'assertionType',
    );
  }
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(ctx);
    case TOKEN_EXCHANGE_GRANT:
      return tokenExchangeGrant(ctx);
    case 'authorization_code':
      return authorizationCodeGrant(ctx);
    case 'refresh_token':
      return refreshTokenGrant(ctx);
    default:
      break;
  }
  // With an id_token subject_token_type, a missing or wrong grant_type reads "grant_type is invalid".
  if (form.has('subject_token_type')) return platformReply('exchangeGrantTypeInvalid');
  if (!grantType) return platformReply('grantTypeMissing');
  return platformReply('unsupportedGrantType');
}
