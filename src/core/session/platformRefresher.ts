// The refresh function a RefreshManager calls, for a provider and a client secret held by the caller.
import type { SessionSnapshot } from './sessionSnapshot.ts';
import { refreshTokenGrant } from '../token/refreshTokenGrant.ts';
import type { ClientAuthMethod, TokenProvider } from '../token/tokenProvider.ts';
import type { TokenCallOptions, TokenResult } from '../token/requestToken.ts';
import { AuthExplorerError } from '../errors.ts';

export interface RefresherInput extends TokenCallOptions {
  provider: TokenProvider;
  clientId: string;
  clientSecret: string;
  clientAuthMethod?: Extract<ClientAuthMethod, 'client_secret_post' | 'client_secret_basic'>;
}

export function platformRefresher(
  input: RefresherInput,
): (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult> {
  return (session, signal) => {
    if (!session.refreshToken)
      return Promise.reject(
        new AuthExplorerError('ERR_NO_REFRESH_TOKEN', 'This session has no refresh token.'),
      );
    return refreshTokenGrant({
      ...input,
      signal: signal ?? input.signal,
      refreshToken: session.refreshToken,
      clientAuth: {
        method: input.clientAuthMethod ?? 'client_secret_post',
        clientId: input.clientId,
        clientSecret: input.clientSecret,
      },
    });
  };
}
