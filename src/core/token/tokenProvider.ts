// How to talk to one token endpoint. The NHS platform is one provider; others differ in body format,
// client authentication, response wrapping and whether a refresh token survives a failed refresh.

export type TokenBodyFormat = 'form' | 'json';
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'none';

export interface TokenProvider {
  /** Short label for logs and messages. */
  name: string;
  tokenUrl: string;
  /** The NHS platform requires exactly application/x-www-form-urlencoded (else 415). */
  bodyFormat: TokenBodyFormat;
  /** Key holding the token fields when the provider wraps them, e.g. "oauth". */
  responseWrapperKey?: string;
  /**
   * True when the old refresh token stays valid until the new access token is first used,
   * which makes retrying a refresh whose outcome is unknown safe. False for the NHS platform: single use.
   */
  refreshTokenSurvivesUntilUsed: boolean;
  /** True for the NHS platform and its emulator: enables platform-specific checks and explanations. */
  isNhsPlatform: boolean;
}

export function nhsPlatformProvider(tokenUrl: string): TokenProvider {
  return {
    name: 'NHS API Platform',
    tokenUrl,
    bodyFormat: 'form',
    refreshTokenSurvivesUntilUsed: false,
    isNhsPlatform: true,
  };
}
