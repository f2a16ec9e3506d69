// Which of an app's product scopes a grant may use (FilterScopesTokenExchange.js and friends).
import type { EmulatorAppConfig, IdpProvider } from './types.ts';
import type { MockUser } from './idp/mockUsers.ts';

export const UNAUTHORIZED_CLIENT_TEXT =
  'you have tried to request authorization but your application is not configured to use this authorization grant type';

export function applicationScopes(app: EmulatorAppConfig): string[] {
  return app.products.filter((p) => p.startsWith('urn:nhsd:apim:app:level3:'));
}

/** CIS2 keeps scopes containing ':aal<level>:'; NHS login keeps ':<P9|P5|P0>:'. */
export function userScopes(app: EmulatorAppConfig, provider: IdpProvider, level: string): string[] {
  const prefix = provider === 'cis2' ? 'urn:nhsd:apim:user-nhs-cis2:' : 'urn:nhsd:apim:user-nhs-login:';
  const marker = provider === 'cis2' ? `:aal${level}:` : `:${level.slice(0, 2)}:`;
  return app.products.filter((p) => p.startsWith(prefix) && p.includes(marker));
}

export function userLevel(user: MockUser): string {
  return user.provider === 'cis2' ? (user.authenticationAssuranceLevel ?? '3') : (user.identityProofingLevel ?? 'P9');
}
