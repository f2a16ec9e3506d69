// The token-exchange subject_token errors, verbatim from the platform's proxy:
// https://github.com/NHSDigital/identity-service-api/blob/master/proxies/live/apiproxy/resources/jsc/validate-subject-token-claims.js
// (kid → typ → alg → exp → iss → aud), then the issuer and key checks of the PostToken flow.
import type { PlatformError } from '../assertion/platformErrors.ts';
import { UNAUTHORIZED_CLIENT_TEXT } from '../emulator/productScopes.ts';

function invalidRequest(status: number, description: string): PlatformError {
  return { status, error: 'invalid_request', error_description: description };
}

export const SUBJECT_TOKEN_ERRORS = {
  malformed: invalidRequest(400, 'Malformed JWT in subject_token'),
  kidMissing: invalidRequest(400, "Missing 'kid' header in subject_token JWT"),
  typ: invalidRequest(400, "Invalid 'typ' header in subject_token JWT - must be 'JWT'"),
  algMissing: invalidRequest(400, "Missing 'alg' header in subject_token JWT"),
  expMissing: invalidRequest(400, "Missing 'exp' claim in subject_token JWT"),
  expType: invalidRequest(400, "Invalid 'exp' claim in subject_token JWT - must be an integer"),
  expPast: invalidRequest(400, "Invalid 'exp' claim in subject_token JWT - JWT has expired"),
  issMissing: invalidRequest(400, "Missing 'iss' claim in subject_token JWT"),
  // A quirk of the platform: a missing aud is a 401, not a 400.
  audMissing: invalidRequest(401, "Missing 'aud' claim in subject_token JWT"),
  issUnknown: invalidRequest(400, "Missing or non-matching 'iss' claim in subject_token JWT"),
  kidUnknown: invalidRequest(401, "Invalid 'kid' header in subject_token JWT - no matching public key"),
  noMatchingScope: { status: 401, error: 'unauthorized_client', error_description: UNAUTHORIZED_CLIENT_TEXT },
} as const satisfies Record<string, PlatformError>;
