// Token lifetimes and the test-only form parameters that may shorten (never lengthen) them.
import type { IdpProvider } from './types.ts';

export const ACCESS_TOKEN_MS = 600_000;
export const REFRESH_TOKEN_MS: Record<IdpProvider, number> = { cis2: 43_200_000, 'nhs-login': 3_600_000 };
// The real refresh validity sits in a private KVM; the totals are 12 h CIS2 and 1 h NHS login (unsure for NHS login).
export const REFRESH_VALIDITY_MS: Record<IdpProvider, number> = { cis2: 43_200_000, 'nhs-login': 3_600_000 };

export type LifetimeParam =
  '_access_token_expiry_ms' | '_refresh_token_expiry_ms' | '_refresh_tokens_validity_ms';

/**
 * An integer form value below the default wins, 0 included (calculate-*-override.js only tests
 * "smaller than"); anything else keeps the default. Each grant reads only its own parameters.
 */
export function shortened(form: URLSearchParams, name: LifetimeParam, defaultMs: number): number {
  const raw = form.get(name);
  if (raw === null || !/^\d{1,15}$/.test(raw)) return defaultMs;
  const v = Number(raw);
  return v < defaultMs ? v : defaultMs;
}

/** Apigee reports expires_in one second short of the configured lifetime: 600000 ms → "599". */
export function expiresInSeconds(ms: number): string {
  return String(Math.max(0, Math.floor(ms / 1000) - 1));
}
