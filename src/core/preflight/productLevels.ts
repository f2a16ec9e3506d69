// The platform's user-restricted scope filter: a plain substring match on the product scope for the
// user's level, whatever comes before it (FilterScopesTokenExchange.js, filter-user-restricted-scopes.js
// in https://github.com/NHSDigital/identity-service-api/tree/master/proxies/live/apiproxy/resources/jsc).
import type { IdpProvider } from '../emulator/types.ts';

/** ':aal3:' for CIS2 level 3; ':P9:' for NHS login P9 (only its first two characters count). */
export function levelMarker(provider: IdpProvider, level: string): string {
  return provider === 'cis2' ? `:aal${level}:` : `:${level.slice(0, 2)}:`;
}

export function scopesForLevel(scopes: readonly string[], provider: IdpProvider, level: string): string[] {
  const marker = levelMarker(provider, level);
  return scopes.filter((s) => s.includes(marker));
}
