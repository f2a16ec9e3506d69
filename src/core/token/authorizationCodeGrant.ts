// Combined authentication: exchange the code from the loopback redirect for tokens.
import { requestToken } from './requestToken.ts';
import type { ClientAuth, TokenCallOptions, TokenResult } from './requestToken.ts';
import type { TokenProvider } from './tokenProvider.ts';

export interface AuthorizationCodeInput extends TokenCallOptions {
  provider: TokenProvider;
  code: string;
  /** Must equal the registered callback byte for byte. */
  redirectUri: string;
  clientAuth: ClientAuth;
  codeVerifier?: string;
}

export function authorizationCodeGrant(input: AuthorizationCodeInput): Promise<TokenResult> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
  };
  if (input.codeVerifier) params['code_verifier'] = input.codeVerifier;
  return requestToken({ ...input, grant: 'authorization_code', params });
}
