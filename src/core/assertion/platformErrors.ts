// The token endpoint's client_assertion errors, verbatim.
export interface PlatformError {
  status: number;
  error: string;
  error_description: string;
}

function invalidRequest(status: number, description: string): PlatformError {
  return { status, error: 'invalid_request', error_description: description };
}

export const CLIENT_ASSERTION_ERRORS = {
  malformed: invalidRequest(400, 'Malformed JWT in client_assertion'),
  algMissing: invalidRequest(400, "Missing 'alg' header in client_assertion JWT"),
  alg: invalidRequest(400, "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"),
  expPast: invalidRequest(400, "Invalid 'exp' claim in client_assertion JWT - JWT has expired"),
  kidMissing: invalidRequest(400, "Missing 'kid' header in client_assertion JWT"),
  typ: invalidRequest(400, "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"),
  expMissing: invalidRequest(400, "Missing 'exp' claim in client_assertion JWT"),
  expType: invalidRequest(400, "Invalid 'exp' claim in client_assertion JWT - must be an integer"),
  issSub: invalidRequest(400, "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"),
  jtiMissing: invalidRequest(400, "Missing 'jti' claim in client_assertion JWT"),
  jtiType: invalidRequest(400, "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"),
  jtiReused: invalidRequest(400, "Non-unique 'jti' claim in client_assertion JWT"),
  expFuture: invalidRequest(400, "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"),
  issUnknown: invalidRequest(401, "Invalid 'iss'/'sub' claims in client_assertion JWT"),
  aud: invalidRequest(401, "Missing or invalid 'aud' claim in client_assertion JWT"),
  kidUnknown: invalidRequest(401, "Invalid 'kid' header in client_assertion JWT - no matching public key"),
  signature: { status: 401, error: 'public_key error', error_description: 'JWT signature verification failed' },
  jwksUnreachable: { status: 403, error: 'public_key error', error_description: "The JWKS endpoint, for your client_assertion can't be reached" },
} as const satisfies Record<string, PlatformError>;
