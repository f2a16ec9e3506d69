// The NHS England API Platform environments a profile can target, from the platform's
// "Environments and testing" table of https://digital.nhs.uk/developer/guides-and-documentation/testing, plus the offline emulator and a custom server.
import { AuthExplorerError } from './errors.ts';

export type EnvironmentId =
  | 'local'
  | 'sandbox'
  | 'dev'
  | 'dev-no-smartcard'
  | 'int-mock'
  | 'int-no-smartcard'
  | 'int'
  | 'prod'
  | 'custom';

export interface EnvironmentInfo {
  id: EnvironmentId;
  label: string;
  /** Platform host, e.g. int.api.service.nhs.uk. Absent for local and custom. */
  host?: string;
  /** OAuth proxy base path: oauth2 | oauth2-mock | oauth2-no-smartcard. */
  basePath?: string;
  signIn: string;
  availability: string;
  nhsLoginPair: string;
  /** The docs recommend test-N KIDs for test environments and prod-N for production. */
  kidPrefix: 'test' | 'prod';
  deprecated?: boolean;
  notes: string;
}

export const ENVIRONMENTS: readonly EnvironmentInfo[] = Object.freeze([
  {
    id: 'local',
    label: 'Local emulator',
    signIn: 'Emulated sign-in (offline)',
    availability: 'Offline; no registration needed',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    notes:
      "The embedded emulator on 127.0.0.1 reproduces the platform's token endpoint and its error strings.",
  },
  {
    id: 'sandbox',
    label: 'Sandbox',
    host: 'sandbox.api.service.nhs.uk',
    basePath: 'oauth2',
    signIn: 'Simulated sign-in',
    availability: 'Hello World API only (all other sandbox APIs are open access)',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    notes:
      'The API key in iss/sub must be the sandbox app\'s key; a regenerated or other environment\'s key gives a 500 "Invalid client identifier".',
  },
  {
    id: 'dev',
    label: 'Development (oauth2)',
    host: 'dev.api.service.nhs.uk',
    basePath: 'oauth2',
    signIn: 'NHS login username and password',
    availability: 'Limited to specific APIs - check your API specification',
    nhsLoginPair: 'Sandpit',
    kidPrefix: 'test',
    notes: 'Uses the NHS login Sandpit environment.',
  },
  {
    id: 'dev-no-smartcard',
    label: 'Development (oauth2-no-smartcard)',
    host: 'dev.api.service.nhs.uk',
    basePath: 'oauth2-no-smartcard',
    signIn: 'Simulated sign-in',
    availability: 'Limited to specific APIs - check your API specification',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    notes: 'Simulated sign-in on the development environment.',
  },
  {
    id: 'int-mock',
    label: 'Integration (oauth2-mock)',
    host: 'int.api.service.nhs.uk',
    basePath: 'oauth2-mock',
    signIn: 'Simulated sign-in - second generation',
    availability: 'All APIs',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    notes: 'Mock auth generation 2 (Keycloak): CIS2 and NHS login test users, no smartcard needed.',
  },
  {
    id: 'int-no-smartcard',
    label: 'Integration (oauth2-no-smartcard, deprecated)',
    host: 'int.api.service.nhs.uk',
    basePath: 'oauth2-no-smartcard',
    signIn: 'Simulated sign-in - first generation - deprecated',
    availability: 'All APIs',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    deprecated: true,
    notes: 'Deprecated first-generation simulated sign-in; use Integration (oauth2-mock) instead.',
  },
  {
    id: 'int',
    label: 'Integration (oauth2)',
    host: 'int.api.service.nhs.uk',
    basePath: 'oauth2',
    signIn: 'NHS login username and password',
    availability: 'All APIs',
    nhsLoginPair: 'Integration',
    kidPrefix: 'test',
    notes: 'Real CIS2 and NHS login (integration) sign-in.',
  },
  {
    id: 'prod',
    label: 'Production',
    host: 'api.service.nhs.uk',
    basePath: 'oauth2',
    signIn: 'NHS login username and password',
    availability: 'All APIs',
    nhsLoginPair: 'Live production',
    kidPrefix: 'prod',
    notes:
      'Needs a separate production app; production public keys are registered through NHS England support.',
  },
  {
    id: 'custom',
    label: 'Custom',
    signIn: 'Depends on the server',
    availability: 'Any server with the same token endpoint contract',
    nhsLoginPair: 'Not applicable',
    kidPrefix: 'test',
    notes: 'Give the token URL (and the authorize URL for user sign-in) yourself.',
  },
] satisfies EnvironmentInfo[]);

export function isEnvironmentId(value: string): value is EnvironmentId {
  return ENVIRONMENTS.some((e) => e.id === value);
}

export function getEnvironment(id: EnvironmentId): EnvironmentInfo {
  const env = ENVIRONMENTS.find((e) => e.id === id);
  if (!env) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `Unknown environment '${String(id)}'. Known: ${ENVIRONMENTS.map((e) => e.id).join(', ')}.`,
      { id },
    );
  }
  return env;
}

/** Parses an absolute http(s) URL or throws ERR_URL_INVALID naming what it was for. */
export function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `The ${what} '${value}' is not an absolute URL.`,
      { what },
      { cause: e },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthExplorerError(
      'ERR_URL_INVALID',
      `The ${what} must use https (or http for a local server); got '${url.protocol}'.`,
      { what },
    );
  }
  return url;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** For input boxes: the reason the text is not a usable URL (plain http only on loopback), else undefined. */
export function validateHttpUrl(text: string, what = 'URL'): string | undefined {
  try {
    const url = parseHttpUrl(text, what);
    if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
      return `The ${what} must use https; plain http is only for 127.0.0.1 or localhost.`;
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function emulatorBase(emulatorUrl: string | undefined): string {
  if (!emulatorUrl) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      "The Local emulator environment needs the emulator's URL (for example http://127.0.0.1:4010).",
    );
  }
  return parseHttpUrl(emulatorUrl, 'emulator URL').href.replace(/\/+$/, '');
}

function platformEndpoint(env: EnvironmentInfo, endpoint: 'token' | 'authorize'): string {
  return `https://${env.host}/${env.basePath}/${endpoint}`;
}

/** The exact token URL a client assertion's `aud` must equal. */
export function tokenUrlFor(
  env: EnvironmentInfo,
  opts: { emulatorUrl?: string; customTokenUrl?: string } = {},
): string {
  if (env.id === 'local') return `${emulatorBase(opts.emulatorUrl)}/oauth2/token`;
  if (env.id === 'custom' || !env.host || !env.basePath) {
    if (!opts.customTokenUrl)
      throw new AuthExplorerError('ERR_ARGUMENT', `The ${env.label} environment needs a token URL.`);
    return parseHttpUrl(opts.customTokenUrl, 'token URL').href;
  }
  return platformEndpoint(env, 'token');
}

/** The /authorize URL for user sign-in; undefined for a custom server without one. */
export function authorizeUrlFor(
  env: EnvironmentInfo,
  opts: { emulatorUrl?: string; customAuthorizeUrl?: string } = {},
): string | undefined {
  if (env.id === 'local') return `${emulatorBase(opts.emulatorUrl)}/oauth2/authorize`;
  if (env.id === 'custom' || !env.host || !env.basePath) {
    return opts.customAuthorizeUrl ? parseHttpUrl(opts.customAuthorizeUrl, 'authorize URL').href : undefined;
  }
  return platformEndpoint(env, 'authorize');
}

/** Which platform environment a token URL belongs to (exact host and base path), if any. */
export function environmentOfTokenUrl(url: string): EnvironmentInfo | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  const path = parsed.pathname.replace(/\/+$/, '');
  return ENVIRONMENTS.find(
    (e) => e.host === parsed.hostname.toLowerCase() && `/${e.basePath}/token` === path,
  );
}

/** Platform environments served by this host (several share one host with different base paths). */
export function environmentsOfHost(url: string): EnvironmentInfo[] {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return [];
  }
  return ENVIRONMENTS.filter((e) => e.host !== undefined && e.host === parsed.hostname.toLowerCase());
}
