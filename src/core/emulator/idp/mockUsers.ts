// The mock IdPs' test users, as listed in the platform's mock authorisation docs and e2e config.
import type { IdpProvider } from '../types.ts';

export interface MockUser {
  provider: IdpProvider;
  username: string;
  description: string;
  /** NHS login: P9/P5/P0. */
  identityProofingLevel?: 'P9' | 'P5' | 'P0';
  /** CIS2: 3/2/1. */
  authenticationAssuranceLevel?: '3' | '2' | '1';
  selectedRoleId?: string;
}

export const MOCK_USERS: readonly MockUser[] = [
  {
    provider: 'nhs-login',
    username: '9912003071',
    description: 'NHS login, P9 (high)',
    identityProofingLevel: 'P9',
  },
  {
    provider: 'nhs-login',
    username: '9912003072',
    description: 'NHS login, P5 (medium)',
    identityProofingLevel: 'P5',
  },
  {
    provider: 'nhs-login',
    username: '9912003073',
    description: 'NHS login, P0 (low)',
    identityProofingLevel: 'P0',
  },
  {
    provider: 'cis2',
    username: '656005750104',
    description: 'CIS2 AAL3, multiple roles, no selected role',
    authenticationAssuranceLevel: '3',
  },
  {
    provider: 'cis2',
    username: '656005750107',
    description: 'CIS2 AAL3, selected role 555254242105',
    authenticationAssuranceLevel: '3',
    selectedRoleId: '555254242105',
  },
  {
    provider: 'cis2',
    username: '656005750108',
    description: 'CIS2 AAL3, role R0260',
    authenticationAssuranceLevel: '3',
  },
  { provider: 'cis2', username: '656005750109', description: 'CIS2 AAL2', authenticationAssuranceLevel: '2' },
  { provider: 'cis2', username: '656005750111', description: 'CIS2 AAL2', authenticationAssuranceLevel: '2' },
  { provider: 'cis2', username: '656005750112', description: 'CIS2 AAL2', authenticationAssuranceLevel: '2' },
  { provider: 'cis2', username: '656005750110', description: 'CIS2 AAL1', authenticationAssuranceLevel: '1' },
];

export function findMockUser(provider: IdpProvider, username: string): MockUser | undefined {
  return MOCK_USERS.find((u) => u.provider === provider && u.username === username);
}
