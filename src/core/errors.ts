// Every failure the core reports carries a stable code; the UI and CLI turn codes into words.
export type ErrorCode =
  // input parsing
  | 'ERR_JWT_MALFORMED'
  | 'ERR_PEM_INVALID'
  | 'ERR_KEY_TYPE'
  | 'ERR_KEY_SIZE'
  | 'ERR_PKCS12_PASSPHRASE'
  | 'ERR_PKCS12_INVALID'
  | 'ERR_JWKS_INVALID'
  | 'ERR_URL_INVALID'
  | 'ERR_APPS_FILE'
  | 'ERR_ARGUMENT'
  | 'ERR_CANCELLED'
  | 'ERR_PREFLIGHT'
  // keys and profiles
  | 'ERR_KID_EXISTS'
  | 'ERR_KID_UNKNOWN'
  | 'ERR_PROFILE_UNKNOWN'
  | 'ERR_NO_ACTIVE_KEY'
  | 'ERR_SECRET_MISSING'
  // network and responses
  | 'ERR_HTTP_TIMEOUT'
  | 'ERR_HTTP_CONNECT'
  | 'ERR_HTTP_DNS'
  | 'ERR_HTTP_TLS'
  | 'ERR_HTTP_RESET'
  | 'ERR_HTTP_RESPONSE_TOO_LARGE'
  | 'ERR_HTTP_NOT_JSON'
  | 'ERR_HTTP_STATUS'
  | 'ERR_OAUTH'
  | 'ERR_APIGEE_FAULT'
  | 'ERR_RATE_LIMITED'
  | 'ERR_REFRESH_OUTCOME_UNKNOWN'
  | 'ERR_REFRESH_NOT_ROTATED'
  | 'ERR_SESSION_BUSY'
  | 'ERR_REFRESH_PERIOD_OVER'
  | 'ERR_NO_REFRESH_TOKEN'
  | 'ERR_SESSION_MISSING'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_OAUTH_STATE'
  | 'ERR_REDIRECT_FORWARDED'
  | 'ERR_SESSION_STORE'
  | 'ERR_INTERNAL';

export class AuthExplorerError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthExplorerError';
    this.code = code;
    this.details = details;
  }
}

export function isAuthExplorerError(e: unknown): e is AuthExplorerError {
  return e instanceof AuthExplorerError;
}

/** Wraps anything thrown into an AuthExplorerError so callers always have a code. */
export function toAuthExplorerError(e: unknown): AuthExplorerError {
  if (e instanceof AuthExplorerError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AuthExplorerError('ERR_INTERNAL', message, {}, { cause: e });
}
