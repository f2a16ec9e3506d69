// Every failure the core reports carries a stable code and details typed per code; the UI and CLI turn
// codes into words (src/core/explain/codeExplanations.ts holds one explanation per code).

/** What any error may carry about the request it comes from: the token client adds grant and attempt. */
export interface RequestDetails {
  method?: string;
  url?: string;
  /** The HTTP status of the answer, when one arrived. */
  status?: number;
  grant?: string;
  attempt?: number;
  /** False only when it is known that nothing was sent; decides whether a retry is safe. */
  mayHaveReachedServer?: boolean;
  profileId?: string;
}

/** A request that failed below HTTP: no answer, or no complete one. */
export interface NetworkDetails extends RequestDetails {
  /** The low-level code (ECONNREFUSED, UND_ERR_SOCKET, PROXY_407, ...). */
  causeCode?: string;
  timeoutMs?: number;
  elapsedMs?: number;
  /** The transport that sent it ("undici" or "fetch"). */
  transport?: string;
  /** address:port of a proxy that could not be reached. */
  proxy?: string;
  /** The status with which a proxy refused to open a tunnel. */
  proxyStatus?: number;
  /** TLS: the certificate's issuer is not trusted here. */
  untrustedIssuer?: boolean;
}

/** An answer that arrived but is an error or cannot be read. */
export interface ResponseDetails extends RequestDetails {
  retryAfterMs?: number;
  retryAfter?: string;
  /** The Allow header of a 405. */
  allow?: string;
  contentType?: string;
  /** The start of the body, redacted. */
  excerpt?: string;
  html?: boolean;
  message?: string;
  message_id?: string;
}

/** An OAuth error body ({"error", "error_description", "message_id"}). */
export interface OAuthDetails extends ResponseDetails {
  error?: string;
  error_description?: string;
  /** "authorize" when the error came back on the sign-in redirect. */
  phase?: 'authorize';
}

/** An Apigee fault ({"fault": {"faultstring", "detail": {"errorcode"}}}). */
export interface FaultDetails extends ResponseDetails {
  faultstring?: string;
  errorcode?: string;
}

export interface PathDetails extends RequestDetails {
  path?: string;
}

export interface KidDetails extends RequestDetails {
  kid?: string;
}

/** The details each code carries. A new code is added here, and then needs an explanation. */
export interface ErrorDetails {
  // input parsing
  ERR_JWT_MALFORMED: RequestDetails & { part?: 'header' | 'payload'; parts?: number };
  ERR_PEM_INVALID: RequestDetails;
  ERR_KEY_TYPE: RequestDetails & { labels?: readonly string[]; type?: string };
  ERR_KEY_SIZE: RequestDetails & { bits?: number; modulusLength?: number };
  ERR_PKCS12_PASSPHRASE: RequestDetails;
  ERR_PKCS12_INVALID: RequestDetails & { count?: number };
  ERR_JWKS_INVALID: RequestDetails & { index?: number; kid?: string; field?: string };
  ERR_URL_INVALID: RequestDetails & { what?: string; tokenUrl?: string };
  ERR_APPS_FILE: RequestDetails;
  /** A value given by the caller that cannot be used; the message names it. */
  ERR_ARGUMENT: PathDetails & KidDetails & { id?: string };
  /** A file this tool was asked to write could not be written. */
  ERR_FILE_WRITE: PathDetails;
  /** The operation is offered only by the Local emulator environment. */
  ERR_NEEDS_EMULATOR: RequestDetails & { environmentId?: string };
  /** The environment has no authorize endpoint, so no browser sign-in. */
  ERR_NO_AUTHORIZE_ENDPOINT: RequestDetails & { environmentId?: string };
  /** NHS_AUTH_USE_SYSTEM_CA is set but the operating system's certificates cannot be read. */
  ERR_SYSTEM_CA: RequestDetails & { setting?: string };
  ERR_CANCELLED: RequestDetails & { elapsedMs?: number; reason?: 'timeout' };
  ERR_PREFLIGHT: RequestDetails & { rules?: readonly string[] };
  // keys and profiles
  ERR_KID_EXISTS: PathDetails & KidDetails;
  ERR_KID_UNKNOWN: KidDetails;
  ERR_PROFILE_UNKNOWN: RequestDetails;
  ERR_NO_ACTIVE_KEY: RequestDetails;
  ERR_SECRET_MISSING: KidDetails;
  // network and responses
  ERR_HTTP_TIMEOUT: NetworkDetails;
  ERR_HTTP_CONNECT: NetworkDetails;
  ERR_HTTP_DNS: NetworkDetails;
  ERR_HTTP_TLS: NetworkDetails;
  ERR_HTTP_RESET: NetworkDetails;
  ERR_HTTP_RESPONSE_TOO_LARGE: ResponseDetails & { limit?: number; declared?: number };
  ERR_HTTP_NOT_JSON: ResponseDetails;
  ERR_HTTP_STATUS: ResponseDetails;
  ERR_OAUTH: OAuthDetails;
  ERR_APIGEE_FAULT: FaultDetails;
  ERR_RATE_LIMITED: OAuthDetails & FaultDetails;
  ERR_REFRESH_OUTCOME_UNKNOWN: NetworkDetails &
    OAuthDetails &
    FaultDetails & {
      /** The code of the failure that left the outcome unknown. */
      networkCode?: ErrorCode;
      reason?: string;
      attempts?: number;
      /** Another window's refresh failed this way. */
      otherWindow?: boolean;
    };
  ERR_REFRESH_NOT_ROTATED: RequestDetails;
  ERR_SESSION_BUSY: RequestDetails & { waitedMs?: number };
  ERR_REFRESH_PERIOD_OVER: RequestDetails & {
    refreshPeriodEndsAt?: number;
    refreshTokenExpiresAt?: number;
    refreshCount?: number;
  };
  ERR_NO_REFRESH_TOKEN: RequestDetails;
  ERR_SESSION_MISSING: RequestDetails;
  ERR_TOKEN_RESPONSE_INVALID: ResponseDetails & { keys?: readonly string[]; field?: string };
  ERR_OAUTH_STATE: RequestDetails & { error?: string };
  ERR_REDIRECT_FORWARDED: RequestDetails & { redirectUri?: string; external?: string; remoteName?: string };
  /** lease: the cross-window refresh lock could not be made in dir. */
  ERR_SESSION_STORE: RequestDetails & { lease?: boolean; dir?: string };
  ERR_INTERNAL: RequestDetails;
}

export type ErrorCode = keyof ErrorDetails;

export class AuthExplorerError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: Readonly<ErrorDetails[C]>;

  constructor(code: C, message: string, details?: ErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthExplorerError';
    this.code = code;
    this.details = details ?? ({} as ErrorDetails[C]);
  }

  /** Narrows the error, and so its details, to one code: `if (e.is('ERR_OAUTH')) e.details.error`. */
  is<K extends ErrorCode>(code: K): this is AuthExplorerError<K> {
    return (this.code as ErrorCode) === code;
  }
}

/** An AuthExplorerError of any one code: checking `code` (a switch, `===`) narrows `details` with it. */
export type AnyAuthExplorerError = { [C in ErrorCode]: AuthExplorerError<C> }[ErrorCode];

export function isAuthExplorerError(e: unknown): e is AnyAuthExplorerError {
  return e instanceof AuthExplorerError;
}

/** True for an AuthExplorerError with this code, narrowed to it. */
export function hasErrorCode<K extends ErrorCode>(e: unknown, code: K): e is AuthExplorerError<K> {
  return e instanceof AuthExplorerError && e.is(code);
}

/** Wraps anything thrown into an AuthExplorerError so callers always have a code. */
export function toAuthExplorerError(e: unknown): AnyAuthExplorerError {
  if (isAuthExplorerError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AuthExplorerError('ERR_INTERNAL', message, {}, { cause: e });
}
