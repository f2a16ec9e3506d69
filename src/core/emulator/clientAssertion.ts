// Validates a client_assertion JWT in the platform's check order (first failure wins):
// alg → expired → kid → typ → exp missing/type → iss/sub → jti → exp > 5 min → API key → app status
// → public key registered → JWKS fetch → aud → kid → signature. Product scopes are the grant's job.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import type { AppsRegistry } from './appsRegistry.ts';
import type { JwksCache } from './jwksCache.ts';
import type { EmulatorAppConfig, Reply } from './types.ts';
import { oauthError } from './replies.ts';
import { ExpiringMap } from './expiringMap.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_EXP_AHEAD_S = 310;
const CLOCK_TOLERANCE_S = 10;

const M = {
  type: "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
  missing: 'Missing client_assertion',
  malformed: 'Malformed JWT in client_assertion',
  alg: "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'",
  kidMissing: "Missing 'kid' header in client_assertion JWT",
  typ: "Invalid 'typ' header in client_assertion JWT - must be 'JWT'",
  expMissing: "Missing 'exp' claim in client_assertion JWT",
  expType: "Invalid 'exp' claim in client_assertion JWT - must be an integer",
  expired: "Invalid 'exp' claim in client_assertion JWT - JWT has expired",
  expFuture: "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future",
  issSub: "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT",
  jtiMissing: "Missing 'jti' claim in client_assertion JWT",
  jtiType: "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID",
  jtiReused: "Non-unique 'jti' claim in client_assertion JWT",
  unknownKey: "Invalid 'iss'/'sub' claims in client_assertion JWT",
  aud: "Missing or invalid 'aud' claim in client_assertion JWT",
  kidUnknown: "Invalid 'kid' header in client_assertion JWT - no matching public key",
  noPublicKey: 'You need to register a public key to use this authentication method - please contact support to configure',
  jwksUnreachable: "The JWKS endpoint, for your client_assertion can't be reached",
  signature: 'JWT signature verification failed',
  notApproved: 'The developer app associated with the API key is not approved or revoked',
} as const;

export interface AssertionContext {
  apps: AppsRegistry;
  jwksCache: JwksCache;
  jtiStore: JtiStore;
  /** The exact token URL as called; `aud` must equal it. */
  tokenUrl: string;
}

export type AssertionResult = { ok: true; app: EmulatorAppConfig } | { ok: false; reply: Reply };

/**
 * Remembers each client's jti values. The platform keeps them 30 days; here a jti is kept until a minute
 * after its assertion expired (past that the assertion itself is refused as expired), at most 100 000.
 */
export class JtiStore {
  readonly #seen = new ExpiringMap<true>({ maxEntries: 100_000 });

  get size(): number {
    return this.#seen.size;
  }

  has(apiKey: string, jti: string): boolean {
    return this.#seen.has(`${apiKey}\n${jti}`);
  }

  remember(apiKey: string, jti: string, expSeconds = Date.now() / 1000 + MAX_EXP_AHEAD_S): void {
    this.#seen.set(`${apiKey}\n${jti}`, true, (expSeconds + CLOCK_TOLERANCE_S + 60) * 1000);
  }
}

function fail(status: number, description: string, error = 'invalid_request'): AssertionResult {
  return { ok: false, reply: oauthError(status, error, description) };
}

/** Checks the form pair (client_assertion_type, client_assertion) then the JWT itself. */
export async function validateClientAssertion(form: URLSearchParams, ctx: AssertionContext): Promise<AssertionResult> {
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return fail(400, M.type);
  const assertion = form.get('client_assertion');
  if (!assertion) return fail(400, M.missing);

  let jwt: DecodedJwt;
  try {
    jwt = decodeJwtParts(assertion);
  } catch {
    return fail(400, M.malformed);
  }
  const { header, payload } = jwt;
  const nowS = Date.now() / 1000;
  if (header.alg !== 'RS512') return fail(400, M.alg);
  if (typeof payload.exp === 'number' && payload.exp < nowS) return fail(400, M.expired);
  if (header.kid === undefined || header.kid === null || header.kid === '') return fail(400, M.kidMissing);
  if (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt') return fail(400, M.typ);
  if (payload.exp === undefined || payload.exp === null) return fail(400, M.expMissing);
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return fail(400, M.expType);
  if (typeof payload.iss !== 'string' || payload.iss === '' || payload.iss !== payload.sub) return fail(400, M.issSub);
  const apiKey = payload.iss;
  if (payload.jti === undefined || payload.jti === null) return fail(400, M.jtiMissing);
  if (typeof payload.jti !== 'string' || payload.jti === '') return fail(400, M.jtiType);
  if (ctx.jtiStore.has(apiKey, payload.jti)) return fail(400, M.jtiReused);
  if (payload.exp > nowS + MAX_EXP_AHEAD_S) return fail(400, M.expFuture);

  const app = ctx.apps.get(apiKey);
  if (!app) return fail(401, M.unknownKey);
  if (app.status === 'revoked') return fail(401, M.notApproved, 'access_denied');

  let keys: Record<string, unknown>[];
  if (app.jwksUrl) {
    const jwks = await ctx.jwksCache.get(app.jwksUrl);
    if (!jwks) return fail(403, M.jwksUnreachable, 'public_key error');
    keys = jwks.keys;
  } else if (app.jwks) {
    keys = app.jwks.keys;
  } else {
    return fail(403, M.noPublicKey, 'public_key error');
  }

  if (!audMatches(payload.aud, ctx.tokenUrl)) return fail(401, M.aud);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return fail(401, M.kidUnknown);
  const key = toPublicKey(jwk);
  if (!key) return fail(401, M.signature, 'public_key error');
  try {
    await compactVerify(assertion.trim(), key, { algorithms: ['RS512'] });
  } catch {
    return fail(401, M.signature, 'public_key error');
  }
  // Signed and valid only now: a retry after a rejected assertion can reuse its jti (unsure on the platform).
  if (payload.exp + CLOCK_TOLERANCE_S < Date.now() / 1000) return fail(400, M.expired);
  // Apigee's VerifyJWT refuses a token not yet valid; a far-future iat (1e308) is no honest clock either.
  // Both are reported as a failed verification (the platform's wording for these is not public).
  const lateBy = (claim: unknown): boolean => claim !== undefined && (typeof claim !== 'number' || !Number.isFinite(claim) || claim > Date.now() / 1000 + CLOCK_TOLERANCE_S);
  if (lateBy(payload.nbf) || lateBy(payload.iat)) return fail(401, M.signature, 'public_key error');
  ctx.jtiStore.remember(apiKey, payload.jti, Math.min(payload.exp, nowS + MAX_EXP_AHEAD_S));
  return { ok: true, app };
}

function audMatches(aud: unknown, tokenUrl: string): boolean {
  if (typeof aud === 'string') return aud === tokenUrl;
  // A single-element array is how some libraries serialise aud; Apigee compares the string value.
  return Array.isArray(aud) && aud.length === 1 && aud[0] === tokenUrl;
}

function toPublicKey(jwk: Record<string, unknown>): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return key.asymmetricKeyType === 'rsa' ? key : undefined;
  } catch {
    return undefined;
  }
}
