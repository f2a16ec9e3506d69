// Validates a client_assertion JWT in the platform's check order (first failure wins):
// alg → expired → kid → typ → exp missing/type → iss/sub → jti → exp > 5 min → jti stored → API key
// → app status → public key registered → JWKS fetch → aud → kid → signature. Product scopes are the grant's job.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import type { AppsRegistry } from './appsRegistry.ts';
import type { JwksCache } from './jwksCache.ts';
import type { EmulatorAppConfig, Reply } from './types.ts';
import { platformReply } from './replies.ts';
import { lacksOAuthService } from './productScopes.ts';
import { ExpiringMap } from './expiringMap.ts';
import type { PlatformErrorId } from '../platform/platformErrors.ts';
import {
  CLIENT_ASSERTION_TYPE,
  CLOCK_SKEW_SECONDS,
  MAX_EXP_AHEAD_SECONDS,
} from '../platform/clientAssertionRules.ts';

// Only data comes from the platform contract (ids, strings, limits); the checks here are the emulator's own.
export { CLIENT_ASSERTION_TYPE };
const MAX_EXP_AHEAD_S = MAX_EXP_AHEAD_SECONDS;
const CLOCK_TOLERANCE_S = CLOCK_SKEW_SECONDS;
// setServiceCalloutUrl.js only calls a JWKS URL with a path after the host.
const CALLABLE_JWKS_URL = /^(https?:\/\/[^/]+)(\/.*)$/;

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

function fail(id: PlatformErrorId): AssertionResult {
  return { ok: false, reply: platformReply(id) };
}

/** Checks the form pair (client_assertion_type, client_assertion) then the JWT itself. */
export async function validateClientAssertion(
  form: URLSearchParams,
  ctx: AssertionContext,
): Promise<AssertionResult> {
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return fail('assertionType');
  const assertion = form.get('client_assertion');
  if (!assertion) return fail('assertionMissing');

  let jwt: DecodedJwt;
  try {
    jwt = decodeJwtParts(assertion);
  } catch {
    return fail('assertionMalformed');
  }
  const { header, payload } = jwt;
  const nowS = Date.now() / 1000;
  if (header.alg !== 'RS512') return fail('assertionAlg');
  if (typeof payload.exp === 'number' && payload.exp < nowS) return fail('assertionExpired');
  if (header.kid === undefined || header.kid === null || header.kid === '')
    return fail('assertionKidMissing');
  if (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt') return fail('assertionTyp');
  if (payload.exp === undefined || payload.exp === null) return fail('assertionExpMissing');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return fail('assertionExpType');
  if (typeof payload.iss !== 'string' || payload.iss === '' || payload.iss !== payload.sub)
    return fail('assertionIssSub');
  const apiKey = payload.iss;
  if (payload.jti === undefined || payload.jti === null) return fail('assertionJtiMissing');
  if (typeof payload.jti !== 'string' || payload.jti === '') return fail('assertionJtiType');
  if (ctx.jtiStore.has(apiKey, payload.jti)) return fail('assertionJtiReused');
  if (payload.exp > nowS + MAX_EXP_AHEAD_S) return fail('assertionExpFuture');
  // PopulateCache.JTIClaim: stored right after the claim checks, so a later refusal still burns it.
  ctx.jtiStore.remember(apiKey, payload.jti, payload.exp);

  const app = ctx.apps.get(apiKey);
  if (!app) return fail('assertionIssUnknown');
  if (lacksOAuthService(app)) return fail('apiKeyNoAccess');
  if (app.status === 'revoked') return fail('appNotApproved');

  let keys: Record<string, unknown>[];
  if (app.jwksUrl) {
    if (!CALLABLE_JWKS_URL.test(app.jwksUrl)) return fail('jwksUnreachable');
    const jwks = await ctx.jwksCache.get(app.jwksUrl);
    if (!jwks) return fail('jwksUnreachable');
    keys = jwks.keys;
  } else if (app.jwks) {
    keys = app.jwks.keys;
  } else {
    return fail('publicKeyNotRegistered');
  }

  if (!audMatches(payload.aud, ctx.tokenUrl)) return fail('assertionAud');
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return fail('assertionKidUnknown');
  const key = toPublicKey(jwk);
  if (!key) return fail('assertionSignature');
  try {
    await compactVerify(assertion.trim(), key, { algorithms: ['RS512'] });
  } catch {
    return fail('assertionSignature');
  }
  if (payload.exp + CLOCK_TOLERANCE_S < Date.now() / 1000) return fail('assertionExpired');
  // Apigee's VerifyJWT refuses a token not yet valid; a far-future iat (1e308) is no honest clock either.
  // Both are reported as a failed verification (the platform's wording for these is not public).
  const lateBy = (claim: unknown): boolean =>
    claim !== undefined &&
    (typeof claim !== 'number' || !Number.isFinite(claim) || claim > Date.now() / 1000 + CLOCK_TOLERANCE_S);
  if (lateBy(payload.nbf) || lateBy(payload.iat)) return fail('assertionSignature');
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
