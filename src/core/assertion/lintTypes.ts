// Shared shapes for the client assertion linter.
import type { PlatformError } from './platformErrors.ts';

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

export const CHECK_ORDER = {
  malformed: 0,
  alg: 10,
  expPast: 20,
  kid: 30,
  typ: 40,
  expShape: 50,
  issSub: 60,
  jti: 70,
  expFuture: 80,
  lifetime: 85,
  apiKey: 90,
  aud: 100,
  jwks: 110,
  jwk: 115,
  signature: 120,
  other: 130,
} as const;
