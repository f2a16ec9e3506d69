// Which of an app's product scopes a grant may use (FilterScopesTokenExchange.js and friends).
import type { EmulatorAppConfig, IdpProvider } from './types.ts';
import type { MockUser } from './idp/mockUsers.ts';

import { PLATFORM_ERRORS } from '../platform/platformErrors.ts';

export const UNAUTHORIZED_CLIENT_TEXT = PLATFORM_ERRORS.unauthorizedClient.error_description;

export function applicationScopes(app: EmulatorAppConfig): string[] {
  return app.products.filter((p) => p.includes('urn:nhsd:apim:app:level3:'));
}

/**
 * CIS2 keeps scopes containing ':aal<level>:'; NHS login keeps ':<P9|P5|P0>:'. A plain substring
 * test, as the platform's filter-user-restricted-scopes.js: the prefix before the level is not checked.
 */
export function userScopes(app: EmulatorAppConfig, provider: IdpProvider, level: string): string[] {
  if (!level) return [];
  const marker = provider === 'cis2' ? `:aal${level}:` : `:${level.slice(0, 2)}:`;
  return app.products.filter((p) => p.includes(marker));
}

/** VerifyAPIKey fails for an app whose products all leave out the OAuth service. */
export function lacksOAuthService(app: EmulatorAppConfig): boolean {
  return app.products.length === 0 && (app.otherProducts?.length ?? 0) > 0;
}

export function userLevel(user: MockUser): string {
  return user.provider === 'cis2'
    ? (user.authenticationAssuranceLevel ?? '3')
    : (user.identityProofingLevel ?? 'P9');
}
