// Application-restricted access: grant_type=client_credentials with a signed client assertion.
import { requestToken } from './requestToken.ts';
import type { TokenCallOptions, TokenResult } from './requestToken.ts';
import type { TokenProvider } from './tokenProvider.ts';

export interface ClientCredentialsInput extends TokenCallOptions {
  provider: TokenProvider;
  /** Called once per attempt; see assertionSigner(). */
  assertion: () => Promise<string>;
}

export function clientCredentialsGrant(input: ClientCredentialsInput): Promise<TokenResult> {
  return requestToken({
    ...input,
    grant: 'client_credentials',
    params: { grant_type: 'client_credentials' },
    clientAuth: { method: 'private_key_jwt', assertion: input.assertion },
  });
}
