// Checks an NHS login or CIS2 ID token before it is sent as a token exchange's subject_token, in the
// platform's own order (validate-subject-token-claims.js), then the pairing of its issuer with the API
// environment and the user's level against the app's product scopes. Offline: nothing is fetched.
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import { getEnvironment } from '../environments.ts';
import type { EnvironmentId } from '../environments.ts';
import type { IdpProvider } from '../emulator/types.ts';
import { IDP_PATHS } from '../emulator/idp/mockIdp.ts';
import { SUBJECT_TOKEN_ERRORS } from './subjectTokenErrors.ts';
import type { PreflightFinding } from './findings.ts';
import {
  identityProviderOfIssuer,
  normaliseIssuer,
  pairedIdentityProviders,
  providerKindOfIssuer,
} from './identityProviders.ts';
import { levelMarker, scopesForLevel } from './productLevels.ts';

export interface IdTokenPreflightContext {
  environmentId: EnvironmentId;
  /** The local emulator's base URL, for the Local environment's issuers. */
  emulatorUrl?: string;
  /** The app's product scopes: the user's level must match one of them. */
  productScopes?: readonly string[];
  /** Or the level the app's products need: P9, P5, P0 (NHS login) or aal3, aal2, aal1 (CIS2). */
  requiredLevel?: string;
  /** Epoch milliseconds; defaults to Date.now(). */
  now?: number;
}

/** Shorter than this, the token may expire between the check and the platform's. */
export const ID_TOKEN_SHORT_SECONDS = 60;

const GET_NEW =
  'Sign in again to get a fresh ID token and exchange it straight away; the platform checks only that exp is not past.';

function error(
  rule: string,
  platformError: PreflightFinding['platformError'],
  message: string,
  fix: string,
  inferred = false,
): PreflightFinding {
  return { rule, severity: 'error', message, fix, platformError, ...(inferred ? { inferred } : {}) };
}

function warning(rule: string, message: string, fix: string): PreflightFinding {
  return { rule, severity: 'warning', message, fix };
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString();
}

/** The header and claim checks of validate-subject-token-claims.js; the first failure is what the platform answers. */
function claimRules(
  h: Record<string, unknown>,
  p: Record<string, unknown>,
  nowSec: number,
): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  if (!h.kid)
    out.push(
      error(
        'id-token-kid',
        SUBJECT_TOKEN_ERRORS.kidMissing,
        'The ID token header has no kid.',
        'Send the ID token exactly as the identity provider issued it: its header names the key (kid) that signed it. A hand-made token needs kid too.',
      ),
    );
  if (typeof h.typ !== 'string' || h.typ.toLowerCase() !== 'jwt') {
    const found = h.typ === undefined ? 'has no typ' : `has typ '${String(h.typ)}'`;
    out.push(
      error(
        'id-token-typ',
        SUBJECT_TOKEN_ERRORS.typ,
        `The ID token header ${found}; the platform requires typ 'JWT'.`,
        "Send the identity provider's ID token (its header has typ JWT), not an access token or a token you re-signed without typ.",
      ),
    );
  }
  if (!h.alg) {
    out.push(
      error(
        'id-token-alg',
        SUBJECT_TOKEN_ERRORS.algMissing,
        'The ID token header has no alg.',
        "Send the identity provider's signed ID token unchanged.",
      ),
    );
  } else if (h.alg !== 'RS512' && h.alg !== 'RS256') {
    out.push(
      warning(
        'id-token-alg',
        `The ID token is signed with ${String(h.alg)}; NHS login and CIS2 sign with RS512 or RS256.`,
        'Check that this is the ID token from NHS login or CIS2, not one signed by your own service.',
      ),
    );
  }
  if (!p.exp) {
    out.push(error('id-token-exp', SUBJECT_TOKEN_ERRORS.expMissing, 'The ID token has no exp.', GET_NEW));
  } else if (typeof p.exp !== 'number') {
    out.push(
      error(
        'id-token-exp',
        SUBJECT_TOKEN_ERRORS.expType,
        `exp is ${JSON.stringify(p.exp)}; it must be a number of seconds since the epoch.`,
        "Send the identity provider's ID token unchanged.",
      ),
    );
  } else if (nowSec > p.exp) {
    out.push(
      error(
        'id-token-exp',
        SUBJECT_TOKEN_ERRORS.expPast,
        `The ID token expired at ${iso(p.exp)}, ${Math.round(nowSec - p.exp)} s ago.`,
        GET_NEW,
      ),
    );
  } else if (p.exp - nowSec < ID_TOKEN_SHORT_SECONDS) {
    out.push(
      warning(
        'id-token-exp-soon',
        `The ID token expires in ${Math.round(p.exp - nowSec)} s; it may expire before the platform checks it.`,
        GET_NEW,
      ),
    );
  }
  if (!p.iss)
    out.push(
      error(
        'id-token-iss',
        SUBJECT_TOKEN_ERRORS.issMissing,
        'The ID token has no iss.',
        'Send the ID token issued by NHS login or CIS2; its iss names the identity provider.',
      ),
    );
  if (!p.aud)
    out.push(
      error(
        'id-token-aud',
        SUBJECT_TOKEN_ERRORS.audMissing,
        'The ID token has no aud (the platform answers this one with 401, not 400).',
        "Send the identity provider's ID token: its aud is your client id at NHS login or CIS2.",
      ),
    );
  if (p.token_use !== undefined && p.token_use !== 'id') {
    out.push(
      warning(
        'id-token-use',
        `token_use is '${String(p.token_use)}', so this is not an ID token.`,
        "Exchange the id_token from the identity provider's token response, not its access_token.",
      ),
    );
  }
  return out;
}

function issuerRules(
  iss: string,
  ctx: IdTokenPreflightContext,
): { findings: PreflightFinding[]; provider?: IdpProvider } {
  const env = getEnvironment(ctx.environmentId);
  const paired = pairedIdentityProviders(ctx.environmentId, ctx.emulatorUrl);
  const known = identityProviderOfIssuer(iss);
  let provider: IdpProvider | undefined = known?.provider ?? providerKindOfIssuer(iss);
  if (ctx.environmentId === 'local') {
    // The emulator accepts its mock issuers on any origin; the signature decides.
    let path = '';
    try {
      path = new URL(iss).pathname.replace(/\/+$/, '');
    } catch {
      /* not a URL */
    }
    const local = (Object.keys(IDP_PATHS) as IdpProvider[]).find((k) => path.endsWith(IDP_PATHS[k]));
    if (local) return { findings: [], provider: local };
    provider = undefined;
  }
  if (!provider) {
    return {
      findings: [
        error(
          'id-token-issuer',
          SUBJECT_TOKEN_ERRORS.issUnknown,
          `iss "${iss}" is not an NHS login or CIS2 issuer.`,
          paired
            ? `Sign in with ${paired.map((p) => p.label).join(' or ')}, which ${env.label} pairs with, and exchange that ID token.`
            : 'Exchange an ID token issued by NHS login or CIS2.',
        ),
      ],
    };
  }
  if (!paired) {
    return {
      findings: [
        {
          rule: 'id-token-pairing-unknown',
          severity: 'info',
          message: `${env.label} has no published identity provider pairing, so the issuer was not checked against it.`,
          fix: "Check with the API's documentation which NHS login or CIS2 environment this environment uses.",
        },
      ],
      provider,
    };
  }
  const match = paired.find((p) => p.issuers.some((i) => normaliseIssuer(i) === normaliseIssuer(iss)));
  if (match) return { findings: [], provider };
  const want = paired.filter((p) => p.provider === provider);
  const wanted =
    want.length > 0
      ? want.map((p) => `${p.label} (${p.issuers[0]})`).join(' or ')
      : paired.map((p) => p.label).join(' or ');
  const from = known ? `${known.label}` : `"${iss}"`;
  return {
    findings: [
      error(
        'id-token-issuer-environment',
        SUBJECT_TOKEN_ERRORS.kidUnknown,
        `The ID token comes from ${from}, but ${env.label} pairs with ${wanted}.`,
        `Sign in against ${wanted} and exchange that ID token. Each API environment trusts only its paired identity provider's keys, so a token from another environment is signed by a key the platform does not hold.`,
        true,
      ),
    ],
    provider,
  };
}

function levelRules(
  p: Record<string, unknown>,
  provider: IdpProvider,
  ctx: IdTokenPreflightContext,
): PreflightFinding[] {
  const claim = provider === 'nhs-login' ? 'identity_proofing_level' : 'authentication_assurance_level';
  const raw = p[claim];
  const level = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  if (level === undefined) {
    return [
      error(
        'id-token-level',
        SUBJECT_TOKEN_ERRORS.noMatchingScope,
        `The ID token has no ${claim}, so no user-restricted product scope can match it.`,
        provider === 'nhs-login'
          ? 'Sign in with an NHS login user proofed to the level your products need (P9, P5 or P0).'
          : 'Sign in with a CIS2 user at the assurance level your products need (usually AAL3).',
        true,
      ),
    ];
  }
  const shown = provider === 'nhs-login' ? level : `AAL${level}`;
  if (ctx.productScopes && ctx.productScopes.length > 0) {
    const matching = scopesForLevel(ctx.productScopes, provider, level);
    if (matching.length > 0) return [];
    const marker = levelMarker(provider, level);
    return [
      error(
        'id-token-level',
        SUBJECT_TOKEN_ERRORS.noMatchingScope,
        `The user is ${shown}, but none of the app's product scopes contains '${marker}' (the app has: ${ctx.productScopes.join(', ')}).`,
        `Sign in with a user at the level the app's products name, or subscribe the app to a product for ${shown} in the developer portal.`,
      ),
    ];
  }
  if (ctx.requiredLevel) {
    const required = ctx.requiredLevel.trim().toLowerCase().replace(/^aal/, '');
    const have = provider === 'nhs-login' ? level.slice(0, 2).toLowerCase() : level.toLowerCase();
    if (required !== have) {
      return [
        error(
          'id-token-level',
          SUBJECT_TOKEN_ERRORS.noMatchingScope,
          `The user is ${shown}, but the app's products need ${ctx.requiredLevel}; the platform keeps only scopes naming the user's exact level.`,
          `Sign in with a ${ctx.requiredLevel} user, or subscribe the app to a product for ${shown}.`,
        ),
      ];
    }
  }
  return [];
}

export function preflightIdToken(token: string, ctx: IdTokenPreflightContext): PreflightFinding[] {
  let jwt: DecodedJwt;
  try {
    if (typeof token !== 'string' || token.trim() === '') throw new Error('empty');
    jwt = decodeJwtParts(token);
  } catch (e) {
    const why = e instanceof Error && e.message !== 'empty' ? e.message : 'The ID token is empty.';
    return [
      error(
        'id-token-malformed',
        SUBJECT_TOKEN_ERRORS.malformed,
        why,
        'Send the id_token value exactly as the identity provider returned it: three base64url parts joined by dots, no quotes or "Bearer ".',
      ),
    ];
  }
  const nowSec = Math.floor((ctx.now ?? Date.now()) / 1000);
  const findings = claimRules(jwt.header, jwt.payload, nowSec);
  if (typeof jwt.payload.iss === 'string' && jwt.payload.iss !== '') {
    const { findings: issuer, provider } = issuerRules(jwt.payload.iss, ctx);
    findings.push(...issuer);
    if (provider) findings.push(...levelRules(jwt.payload, provider, ctx));
  }
  return findings;
}
