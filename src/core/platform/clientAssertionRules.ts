// The platform's client assertion limits and the order its token proxy checks them in
// (flow PostToken in https://github.com/NHSDigital/identity-service-api/blob/master/proxies/live/apiproxy/proxies/default.xml).
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** exp may be at most this far ahead: 5 minutes plus 10 s for edge cases (RaiseFault.ExpClaimTooLong). */
export const MAX_EXP_AHEAD_SECONDS = 310;

/** Clock skew VerifyJWT allows on exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 10;

/** How long the platform remembers a jti per client (PopulateCache.JTIClaim). */
export const JTI_MEMORY_DAYS = 30;

/**
 * The checks in the order the platform runs them; the first failure is the answer. The jti is stored
 * (`jtiStored`) right after the claim checks, so an assertion refused later still burns its jti.
 */
export const CLIENT_ASSERTION_CHECK_ORDER = [
  'assertionType',
  'assertionMissing',
  'assertionMalformed',
  'assertionAlg',
  'assertionExpired',
  'assertionKidMissing',
  'assertionTyp',
  'assertionExpMissing',
  'assertionIssSub',
  'assertionJtiMissing',
  'assertionJtiReused',
  'assertionExpFuture',
  'jtiStored',
  'assertionIssUnknown',
  'appNotApproved',
  'publicKeyNotRegistered',
  'jwksUnreachable',
  'assertionAud',
  'assertionKidUnknown',
  'assertionSignature',
  'unauthorizedClient',
] as const;
