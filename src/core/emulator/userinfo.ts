// GET /oauth2[-mock]/userinfo (flow GetUserInfo): the signed-in CIS2 user of a combined-auth token.
// Any other token (application, token exchange, NHS login) gets RaiseFault.UserInfoWrongAuth.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { emptyReply, jsonReply, platformReply } from './replies.ts';
import { verifyAccessToken } from './verifyAccessToken.ts';
import { findMockUser } from './idp/mockUsers.ts';

// The role the platform's simulated userinfo answers with (AssignMessage.GenerateUserinfoResponseSimulatedAuth).
const DEFAULT_ROLE = {
  activities: [
    'Manage Workgroups',
    'Independent Prescribing',
    'Execute CDS Extracts (NHS Group Pseud. Data)',
    'Manage Workgroup Membership',
  ],
  activity_codes: ['B0100', 'B0420', 'B1510', 'B0090'],
  org_code: 'RBA',
  person_orgid: '555254239107',
  person_roleid: '555254242102',
  role_code: 'S8000:G8000:R8000',
  role_name: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
};

export function userinfoEndpoint(state: EmulatorState, req: EmulatorRequest): Reply {
  if (req.method !== 'GET') return emptyReply(405, { allow: 'GET' });
  const verified = verifyAccessToken(state, req);
  if (!verified.ok) return verified.reply;
  const { entry } = verified;
  if (
    entry.kind !== 'user' ||
    entry.provider !== 'cis2' ||
    entry.user?.auth !== 'combined' ||
    !entry.user.username
  ) {
    return platformReply('userinfoWrongAuth');
  }
  const username = entry.user.username;
  const user = findMockUser('cis2', username);
  const role = entry.user.selectedRoleId
    ? { ...DEFAULT_ROLE, person_roleid: entry.user.selectedRoleId }
    : DEFAULT_ROLE;
  return jsonReply(200, {
    nhsid_useruid: username,
    name: user?.description ?? username,
    nhsid_nrbac_roles: [role],
    ...(entry.user.selectedRoleId ? { selected_roleid: entry.user.selectedRoleId } : {}),
    sub: username,
  });
}
