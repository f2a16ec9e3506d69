// The NHS England API Platform's OAuth service errors, verbatim, keyed by a stable id: the one table
// the linter, the emulator and the explainer read. Strings come from the proxy's policies
// (https://github.com/NHSDigital/identity-service-api/tree/master/proxies/live/apiproxy) and its e2e tests.
import { CLIENT_ASSERTION_TYPE } from './clientAssertionRules.ts';

export interface PlatformError {
  status: number;
  error: string;
  error_description: string;
}

const req = (status: number, description: string): PlatformError => ({
  status,
  error: 'invalid_request',
  error_description: description,
});
const err = (status: number, error: string, description: string): PlatformError => ({
  status,
  error,
  error_description: description,
});

export const USERINFO_WRONG_AUTH_TEXT =
  'The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation';

export const PLATFORM_ERRORS = {
  // client_assertion (client_credentials and token exchange)
  assertionType: req(400, `Missing or invalid client_assertion_type - must be '${CLIENT_ASSERTION_TYPE}'`),
  assertionMissing: req(400, 'Missing client_assertion'),
  assertionMalformed: req(400, 'Malformed JWT in client_assertion'),
  assertionAlgMissing: req(400, "Missing 'alg' header in client_assertion JWT"),
  assertionAlg: req(
    400,
    "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
  ),
  assertionExpired: req(400, "Invalid 'exp' claim in client_assertion JWT - JWT has expired"),
  assertionKidMissing: req(400, "Missing 'kid' header in client_assertion JWT"),
  assertionTyp: req(400, "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"),
  assertionExpMissing: req(400, "Missing 'exp' claim in client_assertion JWT"),
  assertionExpType: req(400, "Invalid 'exp' claim in client_assertion JWT - must be an integer"),
  assertionIssSub: req(400, "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"),
  assertionJtiMissing: req(400, "Missing 'jti' claim in client_assertion JWT"),
  assertionJtiType: req(
    400,
    "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
  ),
  assertionJtiReused: req(400, "Non-unique 'jti' claim in client_assertion JWT"),
  assertionExpFuture: req(400, "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"),
  assertionIssUnknown: req(401, "Invalid 'iss'/'sub' claims in client_assertion JWT"),
  assertionAud: req(401, "Missing or invalid 'aud' claim in client_assertion JWT"),
  assertionKidUnknown: req(401, "Invalid 'kid' header in client_assertion JWT - no matching public key"),
  assertionSignature: err(401, 'public_key error', 'JWT signature verification failed'),
  publicKeyNotRegistered: err(
    403,
    'public_key error',
    'You need to register a public key to use this authentication method - please contact support to configure',
  ),
  jwksUnreachable: err(
    403,
    'public_key error',
    "The JWKS endpoint, for your client_assertion can't be reached",
  ),
  unauthorizedClient: err(
    401,
    'unauthorized_client',
    'you have tried to request authorization but your application is not configured to use this authorization grant type',
  ),
  // token exchange
  subjectTokenType: req(
    400,
    "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
  ),
  exchangeGrantTypeInvalid: req(400, 'grant_type is invalid'),
  subjectTokenMissing: req(400, 'Missing subject_token'),
  subjectTokenMalformed: req(400, 'Malformed JWT in subject_token'),
  subjectTokenKidMissing: req(400, "Missing 'kid' header in subject_token JWT"),
  subjectTokenTyp: req(400, "Invalid 'typ' header in subject_token JWT - must be 'JWT'"),
  subjectTokenAlgMissing: req(400, "Missing 'alg' header in subject_token JWT"),
  subjectTokenExpMissing: req(400, "Missing 'exp' claim in subject_token JWT"),
  subjectTokenExpType: req(400, "Invalid 'exp' claim in subject_token JWT - must be an integer"),
  subjectTokenExpired: req(400, "Invalid 'exp' claim in subject_token JWT - JWT has expired"),
  subjectTokenIssMissing: req(400, "Missing 'iss' claim in subject_token JWT"),
  subjectTokenAudMissing: req(401, "Missing 'aud' claim in subject_token JWT"),
  subjectTokenIss: req(400, "Missing or non-matching 'iss' claim in subject_token JWT"),
  subjectTokenKidUnknown: req(401, "Invalid 'kid' header in subject_token JWT - no matching public key"),
  subjectTokenInvalid: req(400, 'subject_token is invalid'),
  // the ID token the platform gets from the IdP at /callback (combined authentication)
  externalIdTokenMalformed: req(400, 'Malformed JWT in External ID token'),
  externalIdTokenKidUnknown: req(
    401,
    "Invalid 'kid' header in external ID token JWT - no matching public key",
  ),
  // authorization code and refresh
  clientIdMissing: req(401, 'client_id is missing'),
  clientSecretMissing: req(401, 'client_secret is missing'),
  clientCredentialsInvalid: err(401, 'invalid_client', 'client_id or client_secret is invalid'),
  redirectUriMissing: req(400, 'redirect_uri is missing'),
  redirectUriInvalid: req(400, 'redirect_uri is invalid'),
  codeMissing: req(400, 'authorization_code is missing'),
  codeInvalid: err(400, 'invalid_grant', 'authorization_code is invalid'),
  refreshTokenMissing: req(400, 'refresh_token is missing'),
  refreshTokenInvalid: err(401, 'invalid_grant', 'refresh_token is invalid'),
  refreshPeriodExpired: err(401, 'invalid_grant', 'refresh token refresh period has expired'),
  // general
  grantTypeMissing: req(400, 'grant_type is missing'),
  unsupportedGrantType: err(400, 'unsupported_grant_type', 'grant_type is invalid'),
  // Sic: the platform leaves out "form-" (asserted by test_authorization_code.py::test_access_token_with_params).
  contentType: req(415, 'Content-Type header must be application/x-www-urlencoded'),
  notFound: req(404, 'Not Found'),
  apiKeyNoAccess: err(
    401,
    'access_denied',
    'API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.',
  ),
  appNotApproved: err(
    401,
    'access_denied',
    'The developer app associated with the API key is not approved or revoked',
  ),
  companyNotActive: err(
    401,
    'access_denied',
    'The company associated with the developer app that has the API key you are using has an inactive status',
  ),
  developerNotActive: err(
    401,
    'access_denied',
    'The developer who created the developer app that has the API key you are using has an inactive status',
  ),
  rateLimitExceeded: err(429, 'ratelimit_exceeded', 'The rate limit was exceeded'),
  unknownError: err(
    500,
    'unknown_error',
    'An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID',
  ),
  // /authorize and /callback (state, response_type errors go to the redirect_uri as query parameters)
  clientIdInvalid: req(401, 'client_id is invalid'),
  stateMissing: req(302, 'state is missing'),
  responseTypeMissing: req(302, 'response_type is missing'),
  responseTypeInvalid: err(302, 'unsupported_response_type', 'response_type is invalid'),
  callbackState: req(400, 'Invalid state parameter.'),
  // /userinfo
  userinfoWrongAuth: req(400, USERINFO_WRONG_AUTH_TEXT),
  // /backchannel_logout (validate-logout-token claims, then the signature, then the sid)
  logoutMalformed: req(400, 'Malformed JWT in logout_token'),
  logoutKidUnknown: req(401, "Invalid 'kid' header in logout_token JWT - no matching public key"),
  logoutAud: req(400, 'Missing/invalid aud claim in JWT'),
  logoutIss: req(400, 'Missing/invalid iss claim in JWT'),
  logoutSidMissing: req(400, 'Missing sid claim in JWT'),
  logoutEvents: req(400, 'Missing/invalid events claim in JWT'),
  logoutNonce: req(400, 'Prohibited nonce claim in JWT'),
  logoutUnverified: req(400, 'Unable to verify JWT'),
  logoutSidNotFound: req(501, 'SID not found'),
  // /_status
  statusApiKey: err(401, 'Access Denied', 'Invalid api key for _status monitoring endpoint'),
  // protected APIs, as the NHS docs page words them (the proxies answer with Apigee faults)
  apiAccessTokenExpired: err(401, 'invalid_credentials', 'Access token has expired'),
  apiAccessTokenInvalid: err(401, 'invalid_credentials', 'Access token is invalid'),
  apiAccessTokenMissing: err(401, 'invalid_credentials', 'Access token is missing'),
} as const satisfies Record<string, PlatformError>;

export type PlatformErrorId = keyof typeof PLATFORM_ERRORS;

/**
 * Other wordings of the same error, lower case. The NHS docs page on NHS login separate authentication
 * (https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-login-separate-authentication-and-authorisation)
 * says "access token refresh period has expired" where the proxy sends "refresh token refresh period
 * has expired", and words a few more differently; the 415 is worded both ways.
 */
export const PLATFORM_ERROR_ALIASES: Readonly<Record<string, PlatformErrorId>> = {
  'access token refresh period has expired': 'refreshPeriodExpired',
  'missing aud claim in subject_token': 'subjectTokenAudMissing',
  'the jwks endpoint for your client_assertion can not be reached': 'jwksUnreachable',
  'content-type header must be application/x-www-form-urlencoded': 'contentType',
};

/** The id of a platform error from its description (case and surrounding space ignored), or an alias. */
export function platformErrorIdOf(description: string | undefined): PlatformErrorId | undefined {
  if (!description) return undefined;
  const wanted = description.trim().toLowerCase();
  for (const [id, e] of Object.entries(PLATFORM_ERRORS))
    if (e.error_description.toLowerCase() === wanted) return id as PlatformErrorId;
  return PLATFORM_ERROR_ALIASES[wanted];
}
