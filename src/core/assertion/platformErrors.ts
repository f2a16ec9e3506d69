// The client_assertion errors the linter reports, taken from the platform contract in src/core/platform.
import { PLATFORM_ERRORS } from '../platform/platformErrors.ts';

export type { PlatformError } from '../platform/platformErrors.ts';

const E = PLATFORM_ERRORS;

export const CLIENT_ASSERTION_ERRORS = {
  malformed: E.assertionMalformed,
  algMissing: E.assertionAlgMissing,
  alg: E.assertionAlg,
  expPast: E.assertionExpired,
  kidMissing: E.assertionKidMissing,
  typ: E.assertionTyp,
  expMissing: E.assertionExpMissing,
  expType: E.assertionExpType,
  issSub: E.assertionIssSub,
  jtiMissing: E.assertionJtiMissing,
  jtiType: E.assertionJtiType,
  jtiReused: E.assertionJtiReused,
  expFuture: E.assertionExpFuture,
  issUnknown: E.assertionIssUnknown,
  aud: E.assertionAud,
  kidUnknown: E.assertionKidUnknown,
  signature: E.assertionSignature,
  jwksUnreachable: E.jwksUnreachable,
} as const;
