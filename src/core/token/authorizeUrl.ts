// The /authorize URL for combined authentication, with an unguessable state to bind the redirect.
import { randomBytes } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';

export interface AuthorizeUrlInput {
  /** e.g. https://int.api.service.nhs.uk/oauth2-mock/authorize */
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  /** Generated when absent. */
  state?: string;
  /** `nhs-login` or `nhs-cis2` on the platform (honoured behind a toggle; CIS2 is the default). */
  scope?: string;
  extraParams?: Record<string, string>;
}

export function newState(): string {
  return randomBytes(24).toString('base64url');
}

/** The authorize endpoint next to a token endpoint: …/oauth2/token → …/oauth2/authorize. */
export function authorizeUrlNextTo(tokenUrl: string): string {
  const u = new URL(tokenUrl);
  if (!/\/token\/?$/.test(u.pathname)) {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `Cannot derive an authorize URL: ${tokenUrl} does not end in /token.`,
      { tokenUrl },
    );
  }
  u.pathname = u.pathname.replace(/\/token\/?$/, '/authorize');
  u.search = '';
  return u.toString();
}

export function buildAuthorizeUrl(input: AuthorizeUrlInput): { url: string; state: string } {
  let u: URL;
  try {
    u = new URL(input.authorizeUrl);
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `Not a valid authorize URL: ${input.authorizeUrl}`,
      {},
      { cause: e },
    );
  }
  const state = input.state ?? newState();
  u.searchParams.set('client_id', input.clientId);
  u.searchParams.set('redirect_uri', input.redirectUri);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('state', state);
  if (input.scope) u.searchParams.set('scope', input.scope);
  for (const [k, v] of Object.entries(input.extraParams ?? {})) u.searchParams.set(k, v);
  return { url: u.toString(), state };
}
