// grant_type=refresh_token. On the NHS platform the refresh token is single-use, so requestToken()
// never retries once the request may have reached the server (ERR_REFRESH_OUTCOME_UNKNOWN instead).
import { requestToken } from './requestToken.ts';
import type { ClientAuth, TokenCallOptions, TokenResult } from './requestToken.ts';
import type { TokenProvider } from './tokenProvider.ts';

export interface RefreshInput extends TokenCallOptions {
  provider: TokenProvider;
  refreshToken: string;
  /** The platform wants client_id + client_secret in the body (client_secret_post). */
  clientAuth: ClientAuth;
  /** Some providers ask for the redirect_uri again. */
  redirectUri?: string;
}

export function refreshTokenGrant(input: RefreshInput): Promise<TokenResult> {
  const params: Record<string, string> = { grant_type: 'refresh_token', refresh_token: input.refreshToken };
  if (input.redirectUri !== undefined) params['redirect_uri'] = input.redirectUri;
  return requestToken({ ...input, grant: 'refresh_token', params });
}
