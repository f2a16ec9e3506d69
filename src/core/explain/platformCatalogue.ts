// Every error the platform's token, authorize and API proxies return, verbatim,
// with what usually causes it and what to do. Matched on error_description, or on the Apigee errorcode.

export interface CatalogueEntry {
  id: string;
  title: string;
  causes: string[];
  fix: string;
}

const TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_TOOL =
  'Sign it with this tool (RS512, typ JWT, kid, iss = sub = API key, aud = token URL, unique jti, exp ≤ now + 5 min).';

/** Keyed by the exact error_description (or "message") the platform sends. */
export const DESCRIPTION_CATALOGUE: Readonly<Record<string, CatalogueEntry>> = {
  // client_assertion, 400
  [`Missing or invalid client_assertion_type - must be '${TYPE}'`]: {
    id: 'assertion-type',
    title: 'client_assertion_type is missing or wrong',
    causes: [
      `The form has no client_assertion_type, or it is not exactly ${TYPE}.`,
      'The body was sent as JSON or multipart, so the platform saw no form fields.',
    ],
    fix: `Send client_assertion_type=${TYPE} in an application/x-www-form-urlencoded body.`,
  },
  'Missing client_assertion': {
    id: 'assertion-missing',
    title: 'No client assertion was sent',
    causes: [
      'The client_assertion form field is absent or empty.',
      'A variable holding the signed JWT was empty when the request was built.',
    ],
    fix: `Add client_assertion=<signed JWT>. ${ASSERTION_TOOL}`,
  },
  'Malformed JWT in client_assertion': {
    id: 'assertion-malformed',
    title: 'The client assertion is not a JWT',
    causes: [
      'The value is not three base64url parts separated by dots (copy/paste truncation, quotes or whitespace included).',
      'A JWKS, a key or an API key was sent instead of a signed JWT.',
    ],
    fix: `Paste the assertion into the decoder to see which part is broken, then re-sign it. ${ASSERTION_TOOL}`,
  },
  "Missing 'alg' header in client_assertion JWT": {
    id: 'assertion-alg-missing',
    title: 'The client assertion header has no alg',
    causes: ['The JWT header was built by hand without "alg".'],
    fix: 'Sign with alg RS512; the header must be {"alg":"RS512","typ":"JWT","kid":"<your kid>"}.',
  },
  "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'": {
    id: 'assertion-alg',
    title: 'The client assertion must be signed with RS512',
    causes: [
      'The JWT was signed with RS256 (the default of most libraries), PS*, ES* or HS*.',
      'alg "none" or a symmetric secret was used.',
    ],
    fix: 'Sign with RS512 using the 4096-bit RSA private key whose public half is in your registered JWKS.',
  },
  "Missing 'kid' header in client_assertion JWT": {
    id: 'assertion-kid-missing',
    title: 'The client assertion header has no kid',
    causes: ['The signing library was not given a key id, so no kid header was written.'],
    fix: 'Set the kid header to the kid of the key in your registered JWKS (e.g. "test-1").',
  },
  "Invalid 'typ' header in client_assertion JWT - must be 'JWT'": {
    id: 'assertion-typ',
    title: 'The client assertion header needs typ "JWT"',
    causes: [
      'jose and many other libraries do not add typ by default, and the platform requires it.',
      'typ was set to something else, e.g. "at+jwt".',
    ],
    fix: 'Add "typ":"JWT" to the protected header when signing.',
  },
  "Missing 'exp' claim in client_assertion JWT": {
    id: 'assertion-exp-missing',
    title: 'The client assertion has no exp',
    causes: ['The payload was built without an expiry.'],
    fix: 'Set exp to an integer epoch-seconds value at most 5 minutes ahead (e.g. now + 300).',
  },
  "Invalid 'exp' claim in client_assertion JWT - must be an integer": {
    id: 'assertion-exp-type',
    title: 'exp must be an integer number of seconds',
    causes: [
      'exp was sent as a string, a float, or in milliseconds with a fraction (Date.now()/1000 not floored).',
    ],
    fix: 'Use Math.floor(Date.now() / 1000) + 300 (an integer) for exp.',
  },
  "Invalid 'exp' claim in client_assertion JWT - JWT has expired": {
    id: 'assertion-expired',
    title: 'The client assertion has expired',
    causes: [
      'The assertion was signed more than its lifetime ago and reused (assertions are good for one request).',
      'The local clock is behind the platform\u2019s clock.',
      'exp was computed in the wrong unit (minutes or milliseconds).',
    ],
    fix: 'Sign a fresh assertion for every token request; check the machine clock (NTP) if it keeps happening.',
  },
  "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future": {
    id: 'assertion-exp-future',
    title: 'exp is more than 5 minutes ahead',
    causes: [
      'exp was set to now + 10 minutes or more (oauth2c and others default to +10 min).',
      'exp was given in milliseconds.',
      'The local clock is ahead of the platform\u2019s clock.',
    ],
    fix: 'Set exp to at most now + 300 seconds (this tool uses 300 and allows for clock skew).',
  },
  "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT": {
    id: 'assertion-iss-sub',
    title: 'iss and sub must both be your API key',
    causes: [
      'iss or sub is missing.',
      'iss and sub differ (e.g. sub set to a user id or the application id).',
    ],
    fix: 'Set both iss and sub to the API key (the "Key" of your app in the developer portal), not the application id.',
  },
  "Missing 'jti' claim in client_assertion JWT": {
    id: 'assertion-jti-missing',
    title: 'The client assertion has no jti',
    causes: ['The payload was built without a unique identifier.'],
    fix: 'Add jti: a fresh random UUID for every assertion.',
  },
  "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID": {
    id: 'assertion-jti-type',
    title: 'jti must be a string',
    causes: ['jti was sent as a number or another non-string value.'],
    fix: 'Use a random UUID string for jti.',
  },
  "Non-unique 'jti' claim in client_assertion JWT": {
    id: 'assertion-jti-reused',
    title: 'This client assertion (its jti) was already used',
    causes: [
      'The same signed assertion was sent twice, e.g. a retry or a second request reused it.',
      'The jti is generated deterministically (a counter or a fixed string) and repeats within 30 days.',
    ],
    fix: 'Sign a new assertion with a new random jti for every request, including retries.',
  },
  // client_assertion, 401/403
  "Invalid 'iss'/'sub' claims in client_assertion JWT": {
    id: 'assertion-iss-unknown',
    title: 'The platform does not know this API key',
    causes: [
      'iss/sub is not an API key of an app in this environment (e.g. an INT key sent to production or sandbox).',
      'The application id was used instead of the API key.',
      'The key was regenerated or the app was deleted.',
    ],
    fix: 'Copy the API key of the app registered for THIS environment from the developer portal and use it for iss and sub.',
  },
  "Missing or invalid 'aud' claim in client_assertion JWT": {
    id: 'assertion-aud',
    title: 'aud must be exactly the token URL you are calling',
    causes: [
      'aud is the token URL of another environment (e.g. a production assertion sent to INT, or oauth2 vs oauth2-mock).',
      'aud has a small difference: a trailing slash, http vs https, or a different path.',
      'aud is missing or is an array.',
    ],
    fix: 'Set aud to the exact URL the request is POSTed to, e.g. https://int.api.service.nhs.uk/oauth2/token.',
  },
  "Invalid 'kid' header in client_assertion JWT - no matching public key": {
    id: 'assertion-kid-unknown',
    title: 'No public key with this kid in your registered JWKS',
    causes: [
      'The kid in the header differs from every kid in the JWKS at your registered URL (typo, or a renamed key).',
      'A key was added to the JWKS recently: the platform caches JWKS for up to an hour and does not re-fetch for an unknown kid.',
      'The JWKS registered for this environment is a different file from the one you updated.',
    ],
    fix: 'Check the kid against the JWKS URL registered for this app; after adding a new key, keep signing with the old one for an hour.',
  },
  'You need to register a public key to use this authentication method - please contact support to configure':
    {
      id: 'jwks-not-registered',
      title: 'No public key (JWKS URL) is registered for this app',
      causes: [
        'The app has no JWKS URL attribute in this environment.',
        'The app was created for a different environment than the one you are calling.',
      ],
      fix: 'Register a public JWKS URL for the app in the developer portal (or ask support for production), then retry.',
    },
  "The JWKS endpoint, for your client_assertion can't be reached": {
    id: 'jwks-unreachable',
    title: 'The platform cannot fetch your JWKS',
    causes: [
      'The JWKS URL is not publicly reachable over HTTPS (private network, VPN, auth in front of it).',
      'The URL returns an error or non-JSON (e.g. a GitHub HTML page instead of the raw file).',
      'The host is slow: the platform gives up after its fetch timeout.',
    ],
    fix: 'Open the JWKS URL from outside your network; it must return the JSON key set over public HTTPS.',
  },
  'JWT signature verification failed': {
    id: 'assertion-signature',
    title: 'The assertion signature does not match the public key',
    causes: [
      'The assertion was signed with a different private key from the one published under this kid.',
      'The JWKS entry was regenerated but the old private key is still used (or vice versa).',
      'The JWT was edited after signing.',
    ],
    fix: 'Sign with the private key that matches the public key published under this kid; re-publish the JWKS if the pair changed.',
  },
  'you have tried to request authorization but your application is not configured to use this authorization grant type':
    {
      id: 'unauthorized-client',
      title: 'The app is not subscribed to a product allowing this grant',
      causes: [
        'The app is not subscribed to an API product for this access mode (application-restricted level 3, CIS2 aal3 or NHS login P9).',
        'The user\u2019s assurance level (CIS2 aal, NHS login P level) does not match any product scope of the app.',
      ],
      fix: 'Add the right product (e.g. the API\u2019s application-restricted or user-restricted product) to the app in the developer portal.',
    },
  // token exchange
  "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'": {
    id: 'subject-token-type',
    title: 'subject_token_type must be the id_token type',
    causes: ['subject_token_type is missing, or the access_token type was sent (the httpYac default).'],
    fix: 'Send subject_token_type=urn:ietf:params:oauth:token-type:id_token.',
  },
  'grant_type is invalid': {
    id: 'grant-type-invalid',
    title: 'grant_type is not one the platform accepts',
    causes: [
      'A typo in grant_type, or an unsupported grant such as password.',
      'For token exchange, grant_type must be urn:ietf:params:oauth:grant-type:token-exchange.',
    ],
    fix: 'Use client_credentials, authorization_code, refresh_token or urn:ietf:params:oauth:grant-type:token-exchange.',
  },
  'Missing subject_token': {
    id: 'subject-token-missing',
    title: 'No ID token was sent as subject_token',
    causes: [
      'The ID token from NHS login or CIS2 was not put in subject_token (an access token or empty variable was sent).',
    ],
    fix: 'Send the id_token from the identity provider\u2019s token response as subject_token.',
  },
  'Malformed JWT in subject_token': {
    id: 'subject-token-malformed',
    title: 'subject_token is not a JWT',
    causes: ['An opaque access token or a truncated ID token was sent.'],
    fix: 'Send the id_token (a JWT) from NHS login or CIS2, unmodified.',
  },
  "Missing 'kid' header in subject_token JWT": {
    id: 'subject-token-kid-missing',
    title: 'The ID token has no kid header',
    causes: ['The token was not issued by NHS login or CIS2 (e.g. a self-made test token).'],
    fix: 'Use an ID token issued by the identity provider for this environment (the mock sign-in for sandbox/INT).',
  },
  "Invalid 'typ' header in subject_token JWT - must be 'JWT'": {
    id: 'subject-token-typ',
    title: 'The ID token typ header must be "JWT"',
    causes: ['The ID token was not issued by the expected identity provider.'],
    fix: 'Use an ID token issued by NHS login or CIS2 for this environment.',
  },
  "Missing 'iss' claim in subject_token JWT": {
    id: 'subject-token-iss-missing',
    title: 'The ID token has no issuer',
    causes: ['The token was not issued by NHS login or CIS2.'],
    fix: 'Use an ID token issued by the identity provider for this environment.',
  },
  "Missing 'exp' claim in subject_token JWT": {
    id: 'subject-token-exp-missing',
    title: 'The ID token has no exp',
    causes: ['The token was not issued by NHS login or CIS2.'],
    fix: 'Use an ID token issued by the identity provider for this environment.',
  },
  "Invalid 'exp' claim in subject_token JWT - must be an integer": {
    id: 'subject-token-exp-type',
    title: 'The ID token exp is not an integer',
    causes: ['The token was built by hand or by a test tool with a non-integer exp.'],
    fix: 'Use an ID token issued by the identity provider for this environment.',
  },
  "Invalid 'exp' claim in subject_token JWT - JWT has expired": {
    id: 'subject-token-expired',
    title: 'The ID token has expired',
    causes: [
      'The user signed in too long ago (NHS login ID tokens last about an hour).',
      'A stored ID token was reused later.',
      'The local clock is behind.',
    ],
    fix: 'Sign the user in again and exchange the new ID token straight away.',
  },
  "Missing or non-matching 'iss' claim in subject_token JWT": {
    id: 'subject-token-iss',
    title: 'The ID token comes from an issuer this environment does not trust',
    causes: [
      'An ID token from another environment\u2019s identity provider (e.g. the mock NHS login realm of another env, or live NHS login sent to a mock).',
      'NHS login vs CIS2 mixed up.',
    ],
    fix: 'Sign in through the identity provider that belongs to this environment and exchange that ID token.',
  },
  "Missing 'aud' claim in subject_token JWT": {
    id: 'subject-token-aud',
    title: 'The ID token has no audience (returned as 401)',
    causes: ['The ID token was not issued to a client (test or hand-made token).'],
    fix: 'Use an ID token issued by NHS login or CIS2 to your registered client.',
  },
  "Invalid 'kid' header in subject_token JWT - no matching public key": {
    id: 'subject-token-kid-unknown',
    title: 'The identity provider key for this ID token is unknown',
    causes: [
      'The ID token was signed by another environment\u2019s identity provider.',
      'The ID token was self-signed for testing.',
    ],
    fix: 'Sign in with the identity provider of this environment and exchange that ID token.',
  },
  // authorization code and refresh
  'client_id is missing': {
    id: 'client-id-missing',
    title: 'client_id is missing',
    causes: ['The form (token call) or query (/authorize) has no client_id.'],
    fix: 'Send client_id = your API key.',
  },
  'client_id is invalid': {
    id: 'client-id-invalid',
    title: 'The platform does not know this client_id',
    causes: [
      'client_id is the application id, not the API key.',
      'The API key belongs to another environment.',
      'The key was regenerated.',
    ],
    fix: 'Use the API key of the app registered for this environment as client_id.',
  },
  'client_secret is missing': {
    id: 'client-secret-missing',
    title: 'client_secret is missing',
    causes: [
      'The form has no client_secret; the platform needs it for authorization_code AND refresh_token (even for token-exchange sessions).',
    ],
    fix: 'Send client_secret (the app\u2019s "Secret" in the developer portal) in the form body.',
  },
  'client_id or client_secret is invalid': {
    id: 'client-credentials-invalid',
    title: 'client_id or client_secret is wrong',
    causes: [
      'The secret does not belong to this API key (copied from another app or environment).',
      'The secret or key was regenerated.',
      'Stray whitespace or quotes around the values.',
    ],
    fix: 'Copy the key and secret of the same app for this environment from the developer portal.',
  },
  'redirect_uri is missing': {
    id: 'redirect-uri-missing',
    title: 'redirect_uri is missing',
    causes: ['The /authorize query or the code exchange form has no redirect_uri.'],
    fix: 'Send redirect_uri equal to the callback URL registered for the app.',
  },
  'redirect_uri is invalid': {
    id: 'redirect-uri-invalid',
    title: 'redirect_uri does not match the registered callback',
    causes: [
      'The callback URL differs from the one registered (port, path, trailing slash, http vs https).',
      'The code exchange used a different redirect_uri from the /authorize request.',
    ],
    fix: 'Use exactly the callback URL registered for the app, in both /authorize and the code exchange.',
  },
  'authorization_code is missing': {
    id: 'code-missing',
    title: 'No authorization code was sent',
    causes: ['The code from the redirect was not put in the form field "code".'],
    fix: 'Send code=<the code query parameter from the redirect>.',
  },
  'authorization_code is invalid': {
    id: 'code-invalid',
    title: 'The authorization code is invalid or already used',
    causes: [
      'Codes are single-use: it was already exchanged (a retry, a double click, a second tab).',
      'The code expired (they are short-lived).',
      'The code was issued in another environment or to another app.',
    ],
    fix: 'Run the sign-in again and exchange the new code once, straight away.',
  },
  'refresh_token is missing': {
    id: 'refresh-token-missing',
    title: 'No refresh token was sent',
    causes: [
      'The form has no refresh_token (the stored value was empty).',
      'The session came from client credentials, which issues no refresh token.',
    ],
    fix: 'Send the refresh_token from the latest token response, or request a new token.',
  },
  'refresh_token is invalid': {
    id: 'refresh-token-invalid',
    title: 'The refresh token was rejected',
    causes: [], // ordered per session by refreshCauses()
    fix: 'Sign in again to start a new session, then always store and use the latest refresh token returned (each one works once).',
  },
  'refresh token refresh period has expired': {
    id: 'refresh-period-expired',
    title: 'The refresh token or the whole refresh period has expired',
    causes: [
      'This refresh token\u2019s own lifetime is over (the NHS docs word this error \u201caccess token refresh period has expired\u201d).',
      'The session\u2019s total refresh period is over (CIS2 12 hours, NHS login 1 hour from first sign-in); refreshing cannot extend it.',
    ],
    fix: 'Sign in again. Refresh before the refresh token expires to keep a session, but the total period always ends.',
  },
  // general
  'grant_type is missing': {
    id: 'grant-type-missing',
    title: 'grant_type is missing',
    causes: ['The body is not form-encoded, so no fields were read.', 'The grant_type field was left out.'],
    fix: 'Send grant_type in an application/x-www-form-urlencoded body.',
  },
  'Content-Type header must be application/x-www-urlencoded': {
    id: 'content-type',
    title: 'The token endpoint only accepts form-encoded bodies',
    causes: [
      'The body was sent as JSON (application/json) or multipart/form-data.',
      'A charset suffix (application/x-www-form-urlencoded;charset=UTF-8) was added: the platform compares the header as a plain string.',
    ],
    fix: 'Send Content-Type: application/x-www-form-urlencoded exactly, with a URL-encoded body (the platform\u2019s message leaves out "form-"; the header still needs it).',
  },
  'API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.':
    {
      id: 'api-key-no-access',
      title: 'The app is not subscribed to this API',
      causes: [
        'The app behind this key is not subscribed to the API product being called.',
        'The key belongs to an app in another environment.',
      ],
      fix: 'Add the API product to the app in the developer portal for this environment.',
    },
  'The developer app associated with the API key is not approved or revoked': {
    id: 'app-not-approved',
    title: 'The app is not approved, or has been revoked',
    causes: [
      'The app or its product subscription is pending approval (production).',
      'The app or key was revoked.',
    ],
    fix: 'Check the app\u2019s status in the developer portal; contact support if it should be approved.',
  },
  'An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID':
    {
      id: 'unknown-error',
      title: 'The platform hit an internal error',
      causes: [
        'A transient platform fault.',
        'An unusual request the platform did not handle (check the request against the docs).',
      ],
      fix: 'Retry later; if it persists, raise a ticket quoting the message_id (use "Support bundle").',
    },
  // /authorize
  'state is missing': {
    id: 'state-missing',
    title: '/authorize needs a state parameter',
    causes: ['The authorize URL was built without state.'],
    fix: 'Add a random state to the authorize URL and check it on the redirect (this tool does both).',
  },
  'response_type is missing': {
    id: 'response-type-missing',
    title: '/authorize needs response_type=code',
    causes: ['response_type was left out of the authorize URL.'],
    fix: 'Add response_type=code.',
  },
  'response_type is invalid': {
    id: 'response-type-invalid',
    title: 'Only response_type=code is supported',
    causes: ['An implicit or hybrid flow (token, id_token) was requested.'],
    fix: 'Use response_type=code and exchange the code at the token endpoint.',
  },
  'Invalid state parameter.': {
    id: 'callback-state',
    title: 'The sign-in callback state was already used or is unknown',
    causes: [
      'The browser went back to or reloaded the callback page, replaying a state.',
      'The sign-in took too long and the platform\u2019s state expired.',
    ],
    fix: 'Start the sign-in again from the beginning.',
  },
  // API proxies and monitoring
  'Invalid access token': {
    id: 'api-invalid-access-token',
    title: 'The API rejected the access token',
    causes: [
      'No token, an empty token, or "Bearer" missing from the Authorization header.',
      'A token from another environment.',
      'An application-restricted token on a user-restricted endpoint, or the reverse.',
    ],
    fix: 'Send Authorization: Bearer <access token> with a current token from this environment and the right access mode.',
  },
  'Invalid api key for _status monitoring endpoint': {
    id: 'status-api-key',
    title: 'The _status endpoint needs the monitoring API key',
    causes: ['_status is for platform monitoring and needs a special key.'],
    fix: 'Use _ping for health checks.',
  },
  'Unable to verify JWT': {
    id: 'logout-jwt',
    title: 'The back-channel logout token could not be verified',
    causes: ['The logout token was not signed by the expected CIS2 key, or is malformed.'],
    fix: 'Send the logout token exactly as CIS2 issued it.',
  },
  'SID not found': {
    id: 'logout-sid',
    title: 'No session matches this back-channel logout sid',
    causes: ['The session was already logged out or never created with this sid.'],
    fix: 'Nothing to do for an already-ended session.',
  },
  'Malformed JWT in logout_token': {
    id: 'logout-malformed',
    title: 'The back-channel logout token is not a JWT',
    causes: [
      'The logout_token form field is missing, empty or truncated.',
      'The body was not form-encoded, so no logout_token was read.',
    ],
    fix: 'POST logout_token=<the signed JWT from CIS2> as application/x-www-form-urlencoded.',
  },
  "Invalid 'kid' header in logout_token JWT - no matching public key": {
    id: 'logout-kid',
    title: 'The logout token was signed with a key CIS2 does not publish',
    causes: ['The logout token came from another CIS2 environment (or was self-signed for a test).'],
    fix: 'Send the logout token exactly as this environment\u2019s CIS2 issued it.',
  },
  'Missing/invalid aud claim in JWT': {
    id: 'logout-aud',
    title: 'The logout token is not addressed to the platform',
    causes: [
      'Its aud is not the platform\u2019s own CIS2 client id (a logout meant for another relying party, or another environment).',
    ],
    fix: 'Forward only logout tokens CIS2 issued to the platform for this environment.',
  },
  'Missing/invalid iss claim in JWT': {
    id: 'logout-iss',
    title: 'The logout token comes from an issuer the platform does not trust',
    causes: [
      'Its iss is not this environment\u2019s CIS2 issuer (e.g. the mock CIS2 realm of another environment).',
    ],
    fix: 'Use the CIS2 of this environment; the issuer must match exactly.',
  },
  'Missing sid claim in JWT': {
    id: 'logout-sid-missing',
    title: 'The logout token names no session (sid)',
    causes: ['The platform logs out by CIS2 session id and the token has no sid claim.'],
    fix: 'Send a logout token that carries the sid of the CIS2 session to end.',
  },
  'Missing/invalid events claim in JWT': {
    id: 'logout-events',
    title: 'The logout token is not a back-channel logout event',
    causes: [
      'The events claim is missing or lacks http://schemas.openid.net/event/backchannel-logout (an ID token was sent instead of a logout token).',
    ],
    fix: 'Send a logout token (OpenID Connect Back-Channel Logout), not an ID token.',
  },
  'Prohibited nonce claim in JWT': {
    id: 'logout-nonce',
    title: 'The logout token carries a nonce',
    causes: ['Logout tokens must not contain a nonce; an ID token was probably sent instead.'],
    fix: 'Send the logout token CIS2 issued, not an ID token.',
  },
  'The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation':
    {
      id: 'userinfo-wrong-auth',
      title: '/userinfo works only for CIS2 combined-authentication tokens',
      causes: [
        'The token is application-restricted (client credentials).',
        'The token came from a token exchange (separate authentication): call the identity provider\u2019s own userinfo instead.',
        'The user signed in with NHS login, not CIS2.',
      ],
      fix: 'Call /userinfo with an access token from the CIS2 authorization-code flow, or read the user from the ID token you exchanged.',
    },
  'Not Found': {
    id: 'not-found',
    title: 'No such endpoint on the OAuth service',
    causes: [
      'A typo in the path (e.g. /oauth2/tokens, a missing /oauth2 or /oauth2-mock base path).',
      'The wrong HTTP method for the path.',
    ],
    fix: 'Use https://<env>.api.service.nhs.uk/oauth2/token (or oauth2-mock on INT) and the method the docs give.',
  },
  "Missing 'alg' header in subject_token JWT": {
    id: 'subject-token-alg-missing',
    title: 'The ID token header has no alg',
    causes: ['The token was not issued by NHS login or CIS2 (a hand-made test token).'],
    fix: 'Use an ID token issued by the identity provider for this environment.',
  },
  'subject_token is invalid': {
    id: 'subject-token-invalid',
    title: 'The ID token was refused',
    causes: [
      'It is not an ID token from this environment\u2019s identity provider, or it was altered.',
      'An access token from the identity provider was sent instead of the id_token.',
    ],
    fix: 'Send the id_token from the identity provider\u2019s token response, unmodified, straight after sign-in.',
  },
  'Malformed JWT in External ID token': {
    id: 'external-id-token-malformed',
    title: 'The identity provider returned an unreadable ID token at /callback',
    causes: [
      'The platform\u2019s exchange with CIS2 or NHS login failed during the combined-authentication callback (an identity provider fault).',
    ],
    fix: 'Retry the sign-in; if it persists, raise a ticket quoting the message_id.',
  },
  "Invalid 'kid' header in external ID token JWT - no matching public key": {
    id: 'external-id-token-kid',
    title: 'The identity provider\u2019s signing key is unknown to the platform',
    causes: ['The identity provider rotated its key and the platform\u2019s cached key set is stale.'],
    fix: 'Retry the sign-in shortly; if it persists, raise a ticket quoting the message_id.',
  },
  'The company associated with the developer app that has the API key you are using has an inactive status': {
    id: 'company-not-active',
    title: 'The app\u2019s company (team) is inactive',
    causes: ['The developer-portal team that owns the app was deactivated.'],
    fix: 'Ask the team\u2019s admin or NHS England support to reactivate the team, or move the app to an active team.',
  },
  'The developer who created the developer app that has the API key you are using has an inactive status': {
    id: 'developer-not-active',
    title: 'The app\u2019s developer account is inactive',
    causes: ['The account that created the app was deactivated (e.g. the person left).'],
    fix: 'Ask NHS England support to reactivate the account or transfer the app to an active one.',
  },
  'The rate limit was exceeded': {
    id: 'rate-limit-exceeded',
    title: 'Too many token requests',
    causes: [
      'The app sends more requests than its quota (300 a minute by default) or in bursts.',
      'A token is requested for every API call instead of being reused until it expires.',
    ],
    fix: 'Reuse tokens until they expire, retry with exponential backoff, and ask for a higher limit if needed.',
  },
  'Access token has expired': {
    id: 'api-access-token-expired',
    title: 'The access token has expired',
    causes: [
      'Access tokens last 10 minutes (expires_in 599).',
      'After the refresh period, no refresh is possible and the user must sign in again.',
    ],
    fix: 'Refresh (user-restricted) or request a new token (application-restricted) before expiry; after the refresh period, sign the user in again.',
  },
  'Access token is invalid': {
    id: 'api-access-token-invalid',
    title: 'The API does not accept this access token',
    causes: [
      'A token from another environment, a revoked token (e.g. after a logout), or a mistyped one.',
      'An application-restricted token on a user-restricted API, or the reverse.',
    ],
    fix: 'Send a current token from this environment\u2019s token endpoint, of the access mode the API needs.',
  },
  'Access token is missing': {
    id: 'api-access-token-missing',
    title: 'No access token was sent',
    causes: ['No Authorization header, or one without the "Bearer " prefix.'],
    fix: 'Send Authorization: Bearer <access token>.',
  },
};

/** Apigee faults, keyed by detail.errorcode. */
export const FAULT_CATALOGUE: Readonly<Record<string, CatalogueEntry>> = {
  'keymanagement.service.invalid_access_token': {
    id: 'fault-invalid-access-token',
    title: 'Invalid Access Token',
    causes: [
      'The access token is not known in this environment (from another environment, or mistyped).',
      'The token was revoked (e.g. the user logged out).',
      'An application-restricted token was sent to a user-restricted endpoint, or the reverse.',
    ],
    fix: 'Request a token from this environment\u2019s token endpoint with the right grant and send it as Authorization: Bearer <token>.',
  },
  'oauth.v2.InvalidAccessToken': {
    id: 'fault-missing-access-token',
    title: 'Missing or empty access token',
    causes: ['No Authorization header, an empty token, or a header without the "Bearer " prefix.'],
    fix: 'Send Authorization: Bearer <access token>.',
  },
  'keymanagement.service.access_token_expired': {
    id: 'fault-access-token-expired',
    title: 'The access token has expired',
    causes: [
      'Access tokens last 10 minutes (expires_in 599).',
      'The local clock is ahead of the platform, so the token looked valid here.',
    ],
    fix: 'Refresh (user-restricted) or request a new token (application-restricted) a minute before expiry; turn on auto-refresh.',
  },
  'oauth.v2.InvalidClientIdentifier': {
    id: 'fault-invalid-client-identifier',
    title: 'Invalid client identifier (the sandbox does not recognise the client)',
    causes: [], // ordered by invalidClientIdentifierCauses()
    fix: 'Use the sandbox app\u2019s current API key as iss and sub (and as client_id if you send one). If it still fails, raise a ticket with the support bundle.',
  },
  'steps.oauth.v2.FailedToResolveAPIKey': {
    id: 'fault-api-key-missing',
    title: 'No API key was sent',
    causes: [
      'The API expects the app\u2019s API key (an apikey header or query parameter) and none was sent.',
    ],
    fix: 'Send the API key of the app registered for this environment, as the API\u2019s docs say (usually the apikey header).',
  },
  'oauth.v2.InvalidApiKey': {
    id: 'fault-api-key-invalid',
    title: 'The API key is not known in this environment',
    causes: [
      'An API key from another environment, a regenerated key, or the application id instead of the key.',
    ],
    fix: 'Copy the API key of the app for this environment from the developer portal.',
  },
  'oauth.v2.InvalidApiKeyForGivenResource': {
    id: 'fault-api-key-no-access',
    title: 'The app is not subscribed to this API',
    causes: [
      'The app behind the key has no product that includes this API (or this environment\u2019s proxy).',
    ],
    fix: 'Add the API\u2019s product for this environment to the app in the developer portal.',
  },
  'keymanagement.service.invalid_client-app_not_approved': {
    id: 'fault-app-not-approved',
    title: 'The app is not approved, or has been revoked',
    causes: ['The app or its product subscription is pending approval (production) or was revoked.'],
    fix: 'Check the app\u2019s status in the developer portal; contact support if it should be approved.',
  },
  'protocol.http.TooBigBody': {
    id: 'fault-body-too-big',
    title: 'The request body is too large',
    causes: [
      'A client assertion or subject token pasted with a large amount of extra data, or a file sent by mistake.',
    ],
    fix: 'Send only the form fields the endpoint needs; a token request is a few kilobytes at most.',
  },
  'messaging.adaptors.http.flow.GatewayTimeout': {
    id: 'fault-gateway-timeout',
    title: 'The API behind the gateway did not answer in time',
    causes: [
      'The backend service is slow or down.',
      'For the OAuth service: a slow JWKS URL or identity provider.',
    ],
    fix: 'Retry with exponential backoff; if it persists, check the platform status page or raise a ticket.',
  },
  'messaging.adaptors.http.flow.ServiceUnavailable': {
    id: 'fault-service-unavailable',
    title: 'The API behind the gateway is unavailable',
    causes: ['The backend service is down or being deployed.'],
    fix: 'Retry later with exponential backoff; check the platform status page.',
  },
  'policies.ratelimit.SpikeArrestViolation': {
    id: 'fault-spike-arrest',
    title: 'Too many requests in a short burst (spike arrest)',
    causes: [
      'More requests per second than the proxy allows (bursts from parallel jobs or a retry loop without backoff).',
    ],
    fix: 'Slow down: cache tokens until they expire instead of requesting one per call, and retry with exponential backoff.',
  },
  'policies.ratelimit.QuotaViolation': {
    id: 'fault-quota',
    title: 'The app\u2019s rate limit quota is used up',
    causes: [
      'The app exceeded its quota (by default 300 requests per minute per API, i.e. 5 tps).',
      'A token is requested for every API call instead of reusing it.',
    ],
    fix: 'Wait until the quota window resets, reuse tokens until expiry, and ask for a higher limit if you need it.',
  },
};
