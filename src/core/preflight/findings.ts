// The shape every pre-flight check reports: what is wrong, what the platform would answer, the fix.
import type { PlatformError } from '../assertion/platformErrors.ts';

export type PreflightSeverity = 'error' | 'warning' | 'info';

export interface PreflightFinding {
  /** Stable id, e.g. 'jwks-kid-missing', 'id-token-issuer', 'kid-environment'. */
  rule: string;
  severity: PreflightSeverity;
  message: string;
  fix: string;
  /** What the platform would return for this problem, verbatim. */
  platformError?: PlatformError;
  /**
   * True when the platform's answer is inferred from its proxy source rather than asserted by its
   * own tests (for example what a service callout does with an HTML page).
   */
  inferred?: boolean;
}

/** True when the platform would refuse the request. */
export function hasPreflightErrors(findings: readonly PreflightFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
