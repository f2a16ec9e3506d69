// Explains, before sending, every reason the platform would reject a client assertion,
// with the exact error it would return and a concrete fix. Offline: nothing is fetched.
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import { isAuthExplorerError } from '../errors.ts';
import { CLIENT_ASSERTION_ERRORS } from './platformErrors.ts';
import { MAX_EXP_AHEAD_SECONDS } from '../platform/clientAssertionRules.ts';
import type { PlatformError } from './platformErrors.ts';
import { CHECK_ORDER } from './lintTypes.ts';
import type { LintContext, LintFinding, OrderedFinding } from './lintTypes.ts';
import { lintAudience } from './lintAudience.ts';
import { lintKeyRules } from './lintKeys.ts';

export type { LintContext, LintFinding } from './lintTypes.ts';

/** The platform rejects exp later than now + 310 s (5 minutes plus 10 s of skew). */
export { MAX_EXP_AHEAD_SECONDS };
/** Shorter than this, network latency or clock skew can expire the assertion in flight. */
export const SHORT_LIFETIME_SECONDS = 30;

const SIGN_FRESH =
  'Sign a new assertion for every token request with exp = now + 300 s (nhs-auth assertion does this).';

function error(
  order: number,
  rule: string,
  platformError: PlatformError,
  message: string,
  fix: string,
): OrderedFinding {
  return { order, rule, severity: 'error', message, fix, platformError };
}

function warning(order: number, rule: string, message: string, fix: string): OrderedFinding {
  return { order, rule, severity: 'warning', message, fix };
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString();
}

/** Shows enough of an API key to compare by eye, never the whole value. */
function hint(value: string): string {
  return value.length <= 8
    ? `${value.slice(0, 2)}… (${value.length} chars)`
    : `${value.slice(0, 4)}…${value.slice(-2)} (${value.length} chars)`;
}

function headerRules(
  h: Record<string, unknown>,
  p: Record<string, unknown>,
  nowSec: number,
): OrderedFinding[] {
  const out: OrderedFinding[] = [];
  if (h.alg === undefined) {
    out.push(
      error(
        CHECK_ORDER.alg,
        'alg-missing',
        CLIENT_ASSERTION_ERRORS.algMissing,
        'The header has no alg.',
        "Sign with RS512: header { alg: 'RS512', typ: 'JWT', kid }.",
      ),
    );
  } else if (h.alg !== 'RS512') {
    out.push(
      error(
        CHECK_ORDER.alg,
        'alg',
        CLIENT_ASSERTION_ERRORS.alg,
        `The header alg is '${String(h.alg)}'; the platform accepts only RS512.`,
        "Sign with RS512 (RSA + SHA-512), e.g. jose: setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid }); PyJWT: algorithm='RS512'.",
      ),
    );
  }
  if (typeof p.exp === 'number' && p.exp < nowSec) {
    out.push(
      error(
        CHECK_ORDER.expPast,
        'exp-past',
        CLIENT_ASSERTION_ERRORS.expPast,
        `exp ${iso(p.exp)} is ${Math.round(nowSec - p.exp)} s in the past.`,
        `${SIGN_FRESH} If it was fresh, check the signing machine's clock.`,
      ),
    );
  }
  if (h.kid === undefined || h.kid === null || h.kid === '') {
    out.push(
      error(
        CHECK_ORDER.kid,
        'kid-missing',
        CLIENT_ASSERTION_ERRORS.kidMissing,
        'The header has no kid.',
        "Add the KID of the signing key to the header, e.g. kid: 'test-1' (PyJWT: headers={'kid': 'test-1'}).",
      ),
    );
  } else if (typeof h.kid !== 'string') {
    out.push(
      error(
        CHECK_ORDER.kid,
        'kid-missing',
        CLIENT_ASSERTION_ERRORS.kidMissing,
        `The header kid is a ${typeof h.kid}, not a string.`,
        "Send the KID as a string, e.g. kid: 'test-1'.",
      ),
    );
  }
  if (typeof h.typ !== 'string' || h.typ.toLowerCase() !== 'jwt') {
    const found = h.typ === undefined ? 'The header has no typ' : `The header typ is '${String(h.typ)}'`;
    out.push(
      error(
        CHECK_ORDER.typ,
        'typ',
        CLIENT_ASSERTION_ERRORS.typ,
        `${found}; the platform requires typ 'JWT'.`,
        "Add typ: 'JWT' to the protected header. jose's SignJWT does not add it by default: setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid }).",
      ),
    );
  }
  return out;
}

function claimRules(
  h: Record<string, unknown>,
  p: Record<string, unknown>,
  ctx: LintContext,
  nowSec: number,
): OrderedFinding[] {
  const out: OrderedFinding[] = [];
  if (p.exp === undefined || p.exp === null) {
    out.push(
      error(
        CHECK_ORDER.expShape,
        'exp-missing',
        CLIENT_ASSERTION_ERRORS.expMissing,
        'The payload has no exp.',
        SIGN_FRESH,
      ),
    );
  } else if (!Number.isInteger(p.exp)) {
    out.push(
      error(
        CHECK_ORDER.expShape,
        'exp-type',
        CLIENT_ASSERTION_ERRORS.expType,
        `exp is ${JSON.stringify(p.exp)}; it must be a whole number of seconds since the epoch.`,
        'Send exp as an integer: Math.floor(Date.now() / 1000) + 300 (Python: int(time()) + 300), not milliseconds, a float or a string.',
      ),
    );
  }
  const { iss, sub } = p;
  if (typeof iss !== 'string' || iss === '' || typeof sub !== 'string' || sub === '' || iss !== sub) {
    const what =
      typeof iss !== 'string' || iss === ''
        ? 'iss is missing'
        : typeof sub !== 'string' || sub === ''
          ? 'sub is missing'
          : 'iss and sub differ';
    out.push(
      error(
        CHECK_ORDER.issSub,
        'iss-sub',
        CLIENT_ASSERTION_ERRORS.issSub,
        `${what}; both must be the app's API key.`,
        'Set both iss and sub to the API key of the app for this environment.',
      ),
    );
  }
  if (p.jti === undefined || p.jti === null || p.jti === '') {
    out.push(
      error(
        CHECK_ORDER.jti,
        'jti-missing',
        CLIENT_ASSERTION_ERRORS.jtiMissing,
        'The payload has no jti.',
        'Add a fresh random GUID as jti for every assertion (crypto.randomUUID(), Python str(uuid.uuid4())).',
      ),
    );
  } else if (typeof p.jti !== 'string') {
    out.push(
      error(
        CHECK_ORDER.jti,
        'jti-type',
        CLIENT_ASSERTION_ERRORS.jtiType,
        `jti is a ${typeof p.jti}; it must be a string.`,
        'Send jti as a string GUID (crypto.randomUUID()).',
      ),
    );
  } else if (ctx.jtiSentAt?.[p.jti] !== undefined || ctx.usedJtis?.includes(p.jti)) {
    const at = ctx.jtiSentAt?.[p.jti];
    const when = at !== undefined && Number.isFinite(at) ? ` on ${new Date(at).toISOString()}` : '';
    out.push(
      error(
        CHECK_ORDER.jti,
        'jti-reused',
        CLIENT_ASSERTION_ERRORS.jtiReused,
        `jti '${p.jti}' was already sent${when}; the platform remembers jti values for 30 days.`,
        'Sign a new assertion with a new random jti for every request; never resend an assertion.',
      ),
    );
  }
  if (typeof p.exp === 'number' && p.exp > nowSec + MAX_EXP_AHEAD_SECONDS) {
    out.push(
      error(
        CHECK_ORDER.expFuture,
        'exp-future',
        CLIENT_ASSERTION_ERRORS.expFuture,
        `exp ${iso(p.exp)} is ${Math.round(p.exp - nowSec)} s ahead; the platform allows at most ${MAX_EXP_AHEAD_SECONDS} s.`,
        'Use exp = now + 300 s at most, in seconds (not milliseconds). Tools with a fixed 10-minute lifetime are rejected.',
      ),
    );
  } else if (typeof p.exp === 'number' && p.exp >= nowSec && p.exp - nowSec < SHORT_LIFETIME_SECONDS) {
    out.push(
      warning(
        CHECK_ORDER.lifetime,
        'lifetime-short',
        `The assertion expires in ${Math.round(p.exp - nowSec)} s; latency or clock skew may expire it before the platform checks it.`,
        'Sign just before sending with a lifetime of about 300 s.',
      ),
    );
  }
  if (typeof p.iat === 'number' && p.iat > nowSec + 10) {
    out.push(
      warning(
        CHECK_ORDER.lifetime,
        'iat-future',
        `iat ${iso(p.iat)} is ${Math.round(p.iat - nowSec)} s in the future; the signing clock is probably ahead.`,
        "Sync the signing machine's clock (NTP).",
      ),
    );
  }
  if (typeof p.nbf === 'number' && p.nbf > nowSec + 10) {
    out.push(
      warning(
        CHECK_ORDER.lifetime,
        'nbf-future',
        `nbf ${iso(p.nbf)} is in the future; the platform's JWT verification may refuse it.`,
        'Leave nbf out, or set it no later than now.',
      ),
    );
  }
  out.push(...apiKeyRules(h, iss, ctx));
  return out;
}

function apiKeyRules(h: Record<string, unknown>, iss: unknown, ctx: LintContext): OrderedFinding[] {
  if (typeof iss !== 'string' || iss === '') return [];
  const order = CHECK_ORDER.apiKey;
  const rule = 'api-key-environment';
  if (ctx.apiKey !== undefined && ctx.apiKey !== '') {
    if (iss === ctx.apiKey) return [];
    return [
      error(
        order,
        rule,
        CLIENT_ASSERTION_ERRORS.issUnknown,
        `iss is ${hint(iss)} but this profile's API key is ${hint(ctx.apiKey)}.`,
        'Use the API key of the app registered for this environment in iss and sub. Each environment (sandbox, dev, int, prod) has its own app and key: a production key is unknown to Integration and vice versa.',
      ),
    ];
  }
  const fix =
    "Set iss and sub to the API key shown on your app's page in the developer portal for this environment.";
  if (typeof h.kid === 'string' && iss === h.kid) {
    return [
      error(order, rule, CLIENT_ASSERTION_ERRORS.issUnknown, `iss is the KID '${iss}', not an API key.`, fix),
    ];
  }
  if (/^https?:\/\//i.test(iss)) {
    return [error(order, rule, CLIENT_ASSERTION_ERRORS.issUnknown, 'iss is a URL, not an API key.', fix)];
  }
  if (/[<>{}\s]|api[_-]?key|your/i.test(iss)) {
    return [
      error(
        order,
        rule,
        CLIENT_ASSERTION_ERRORS.issUnknown,
        `iss looks like a placeholder (${JSON.stringify(iss.slice(0, 40))}), not an API key.`,
        fix,
      ),
    ];
  }
  if (!/^[A-Za-z0-9]{32}$/.test(iss)) {
    return [
      warning(
        order,
        rule,
        `iss is ${hint(iss)}; platform API keys are 32 letters and digits.`,
        `${fix} Pass the key you expect (--api-key) to check it.`,
      ),
    ];
  }
  return [];
}

export async function lintAssertion(jwt: string, ctx: LintContext = {}): Promise<LintFinding[]> {
  let decoded: DecodedJwt;
  try {
    if (typeof jwt !== 'string' || jwt.trim() === '') throw new Error('empty');
    decoded = decodeJwtParts(jwt);
  } catch (e) {
    const reason = isAuthExplorerError(e) ? e.message : 'The client_assertion is empty.';
    return [
      {
        rule: 'malformed',
        severity: 'error',
        message: reason,
        fix: 'Send the compact JWS exactly as signed: three base64url parts joined by dots, no quotes, spaces or "Bearer " prefix.',
        platformError: CLIENT_ASSERTION_ERRORS.malformed,
      },
    ];
  }
  const { header: h, payload: p } = decoded;
  const nowSec = Math.floor((ctx.now ?? Date.now()) / 1000);
  const findings: OrderedFinding[] = [
    ...headerRules(h, p, nowSec),
    ...claimRules(h, p, ctx, nowSec),
    ...lintAudience(p.aud, ctx.tokenUrl),
  ];
  if (ctx.jwks && typeof h.kid === 'string' && h.kid !== '' && h.alg === 'RS512') {
    findings.push(...(await lintKeyRules(jwt, h.kid, ctx.jwks)));
  }
  // Array.prototype.sort is stable, so rules at one step keep their written order.
  findings.sort((a, b) => a.order - b.order);
  return findings.map(({ order: _order, ...f }) => f);
}

/** True when the platform would reject the assertion. */
export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
