// Separate authentication: swap an NHS login or CIS2 ID token for a platform access token (RFC 8693).
import { requestToken } from './requestToken.ts';
import type { TokenCallOptions, TokenResult } from './requestToken.ts';
import type { TokenProvider } from './tokenProvider.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

export interface TokenExchangeInput extends TokenCallOptions {
  provider: TokenProvider;
  assertion: () => Promise<string>;
  /** The ID token from NHS login or CIS2. */
  subjectToken: string;
}

export function tokenExchangeGrant(input: TokenExchangeInput): Promise<TokenResult> {
  return requestToken({
    ...input,
    grant: 'token_exchange',
    params: {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: ID_TOKEN_TYPE,
      subject_token: input.subjectToken,
    },
    clientAuth: { method: 'private_key_jwt', assertion: input.assertion },
  });
}
