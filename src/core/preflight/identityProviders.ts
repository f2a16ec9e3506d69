// Which identity provider environments pair with each API Platform environment, and their issuers.
// Pairing: the platform's "Environments and testing" table (dev ↔ NHS login Sandpit, int ↔ Integration,
// production ↔ Live). Issuers, each a public OpenID discovery document (issuer + /.well-known/openid-configuration):
//   NHS login Sandpit      https://auth.sandpit.signin.nhs.uk      (https://github.com/nhsconnect/nhslogin README)
//   NHS login Integration  https://auth.aos.signin.nhs.uk          (the ID tokens in the platform's own e2e tests,
//                          https://github.com/NHSDigital/identity-service-api/blob/master/e2e/tests/product_scopes/test_product_scopes.py)
//   NHS login Live         https://auth.login.nhs.uk
//   CIS2 Integration       https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare
//   CIS2 Live              https://am.nhsidentity.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare
//   Mock (oauth2-mock)     https://identity.ptl.api.platform.nhs.uk/realms/{NHS-Login-mock|Cis2-mock}-int (Keycloak;
//                          https://github.com/NHSDigital/pytest-nhsd-apim src/pytest_nhsd_apim/apigee_edge.py)
import type { EnvironmentId } from '../environments.ts';
import type { IdpProvider } from '../emulator/types.ts';
import { IDP_PATHS } from '../emulator/idp/mockIdp.ts';

export interface IdentityProviderEnvironment {
  provider: IdpProvider;
  /** e.g. 'NHS login Sandpit'. */
  label: string;
  /** Issuers as the ID token's iss claim carries them (compared without a trailing slash, port 443 optional). */
  issuers: readonly string[];
}

const NHS_LOGIN = {
  sandpit: {
    provider: 'nhs-login',
    label: 'NHS login Sandpit',
    issuers: ['https://auth.sandpit.signin.nhs.uk'],
  },
  integration: {
    provider: 'nhs-login',
    label: 'NHS login Integration',
    issuers: ['https://auth.aos.signin.nhs.uk'],
  },
  live: { provider: 'nhs-login', label: 'NHS login Live', issuers: ['https://auth.login.nhs.uk'] },
  mockInt: {
    provider: 'nhs-login',
    label: 'mock NHS login (Keycloak, int)',
    issuers: [
      'https://identity.ptl.api.platform.nhs.uk/realms/NHS-Login-mock-int',
      'https://identity.ptl.api.platform.nhs.uk/auth/realms/NHS-Login-mock-int',
    ],
  },
} as const satisfies Record<string, IdentityProviderEnvironment>;

const CIS2_REALM = '/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
const CIS2 = {
  integration: {
    provider: 'cis2',
    label: 'CIS2 Integration',
    issuers: [`https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443${CIS2_REALM}`],
  },
  live: {
    provider: 'cis2',
    label: 'CIS2 Live',
    issuers: [`https://am.nhsidentity.spineservices.nhs.uk:443${CIS2_REALM}`],
  },
  mockInt: {
    provider: 'cis2',
    label: 'mock CIS2 (Keycloak, int)',
    issuers: [
      'https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int',
      'https://identity.ptl.api.platform.nhs.uk/auth/realms/Cis2-mock-int',
    ],
  },
} as const satisfies Record<string, IdentityProviderEnvironment>;

/** Every known identity provider environment, to name the one a wrong issuer belongs to. */
export const IDENTITY_PROVIDER_ENVIRONMENTS: readonly IdentityProviderEnvironment[] = [
  NHS_LOGIN.sandpit,
  NHS_LOGIN.integration,
  NHS_LOGIN.live,
  NHS_LOGIN.mockInt,
  CIS2.integration,
  CIS2.live,
  CIS2.mockInt,
];

/**
 * The identity providers whose ID tokens an API environment accepts. Undefined: the pairing is not
 * published (sandbox, the no-smartcard simulated sign-in, custom servers, CIS2 on dev).
 */
export function pairedIdentityProviders(
  env: EnvironmentId,
  emulatorUrl?: string,
): IdentityProviderEnvironment[] | undefined {
  switch (env) {
    case 'dev':
      return [NHS_LOGIN.sandpit];
    case 'int':
      return [NHS_LOGIN.integration, CIS2.integration];
    case 'int-mock':
      return [NHS_LOGIN.mockInt, CIS2.mockInt];
    case 'prod':
      return [NHS_LOGIN.live, CIS2.live];
    case 'local': {
      if (!emulatorUrl) return undefined;
      const base = emulatorUrl.replace(/\/+$/, '');
      return [
        {
          provider: 'nhs-login',
          label: "the emulator's mock NHS login",
          issuers: [`${base}${IDP_PATHS['nhs-login']}`],
        },
        { provider: 'cis2', label: "the emulator's mock CIS2", issuers: [`${base}${IDP_PATHS.cis2}`] },
      ];
    }
    default:
      return undefined;
  }
}

/** Issuers compare without a trailing slash and with or without an explicit :443. */
export function normaliseIssuer(iss: string): string {
  return iss
    .trim()
    .replace(/\/+$/, '')
    .replace(/^(https:\/\/[^/:]+):443(?=\/|$)/i, '$1')
    .toLowerCase();
}

export function identityProviderOfIssuer(
  iss: string,
  known: readonly IdentityProviderEnvironment[] = IDENTITY_PROVIDER_ENVIRONMENTS,
): IdentityProviderEnvironment | undefined {
  const n = normaliseIssuer(iss);
  return known.find((idp) => idp.issuers.some((i) => normaliseIssuer(i) === n));
}

/**
 * The platform tells the two providers apart by the issuer's text and refuses any other issuer
 * (the proxy's Javascript.SelectIdTokenIssuer step: NHSIdentity or cis2-mock is CIS2; signin.nhs.uk or login.nhs.uk is NHS login).
 */
export function providerKindOfIssuer(iss: string): IdpProvider | undefined {
  if (/NHSIdentity|cis2-mock/i.test(iss)) return 'cis2';
  if (/signin\.nhs\.uk|login\.nhs\.uk|nhs-login-mock/i.test(iss)) return 'nhs-login';
  return undefined;
}
