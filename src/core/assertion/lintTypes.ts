// Shared shapes for the client assertion linter.
import type { PlatformError } from './platformErrors.ts';
import { CLIENT_ASSERTION_CHECK_ORDER } from '../platform/clientAssertionRules.ts';

export interface LintContext {
  /** The token URL the assertion is meant for (its `aud`). */
  tokenUrl?: string;
  /** The API key of the app/profile (must equal iss and sub). */
  apiKey?: string;
  jwks?: { keys: Record<string, unknown>[] };
  /** jti values already sent (the platform remembers them for 30 days). */
  usedJtis?: readonly string[];
  /** jti values sent to a token endpoint, with when (epoch ms). Signing alone never puts one here. */
  jtiSentAt?: Readonly<Record<string, number>>;
  /** Epoch milliseconds; defaults to Date.now(). */
  now?: number;
}

export interface LintFinding {
  /** Stable id, e.g. 'alg', 'typ', 'kid-missing', 'exp-past', 'aud-environment'. */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  fix: string;
  /** Exactly what the platform would return for this problem (errors only). */
  platformError?: PlatformError;
}

/** Position in the platform's check order; findings are sorted by it. */
export type OrderedFinding = LintFinding & { order: number };

// Positions come from the platform contract's check order; the linter's checks are its own.
const at = (check: (typeof CLIENT_ASSERTION_CHECK_ORDER)[number]): number =>
  CLIENT_ASSERTION_CHECK_ORDER.indexOf(check) * 10;

export const CHECK_ORDER = {
  malformed: at('assertionMalformed'),
  alg: at('assertionAlg'),
  expPast: at('assertionExpired'),
  kid: at('assertionKidMissing'),
  typ: at('assertionTyp'),
  expShape: at('assertionExpMissing'),
  issSub: at('assertionIssSub'),
  jti: at('assertionJtiMissing'),
  expFuture: at('assertionExpFuture'),
  // warnings about a short lifetime or a future iat/nbf, after the exp checks
  lifetime: at('assertionExpFuture') + 5,
  apiKey: at('assertionIssUnknown'),
  aud: at('assertionAud'),
  // the kid is not in the JWKS
  jwks: at('assertionKidUnknown'),
  // warnings about the matching JWK itself
  jwk: at('assertionKidUnknown') + 5,
  signature: at('assertionSignature'),
  other: at('unauthorizedClient') + 10,
} as const;
