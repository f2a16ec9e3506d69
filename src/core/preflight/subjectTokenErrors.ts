// The token-exchange subject_token errors the pre-flight reports, from the platform contract
// (validate-subject-token-claims.js order: kid → typ → alg → exp → iss → aud, then issuer and key).
import { PLATFORM_ERRORS } from '../platform/platformErrors.ts';

const E = PLATFORM_ERRORS;

export const SUBJECT_TOKEN_ERRORS = {
  malformed: E.subjectTokenMalformed,
  kidMissing: E.subjectTokenKidMissing,
  typ: E.subjectTokenTyp,
  algMissing: E.subjectTokenAlgMissing,
  expMissing: E.subjectTokenExpMissing,
  expType: E.subjectTokenExpType,
  expPast: E.subjectTokenExpired,
  issMissing: E.subjectTokenIssMissing,
  // A quirk of the platform: a missing aud is a 401, not a 400.
  audMissing: E.subjectTokenAudMissing,
  issUnknown: E.subjectTokenIss,
  kidUnknown: E.subjectTokenKidUnknown,
  noMatchingScope: E.unauthorizedClient,
} as const;
