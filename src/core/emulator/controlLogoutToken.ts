// POST /_emulator/logout-token: the mock CIS2 signs a back-channel logout token, as CIS2 does when a
// user signs out, so a client (or a test) can send it to /backchannel_logout. Behind the control token.
import { randomUUID } from 'node:crypto';
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { controlError, emptyReply, jsonReply } from './replies.ts';
import { PLATFORM_IDP_CLIENT_ID } from './authorize.ts';
import { BACKCHANNEL_LOGOUT_EVENT } from './backchannelLogout.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Body `{accessToken}` (the session of a combined-auth CIS2 token) or `{sid}`; `claims` replaces the
 * whole claim set and `kid` the header's kid, to produce the tokens the platform refuses.
 */
export async function logoutTokenRoute(state: EmulatorState, req: EmulatorRequest): Promise<Reply> {
  if (req.method !== 'POST') return emptyReply(405, { allow: 'POST' });
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return controlError(400, 'invalid_json', 'The request body must be JSON');
  }
  if (!isRecord(body)) return controlError(400, 'ERR_ARGUMENT', 'The body must be a JSON object');
  const { accessToken, sid, claims, kid } = body;
  if (claims !== undefined && !isRecord(claims))
    return controlError(400, 'ERR_ARGUMENT', 'claims must be an object');
  if (kid !== undefined && typeof kid !== 'string')
    return controlError(400, 'ERR_ARGUMENT', 'kid must be a string');
  let session: string | undefined = typeof sid === 'string' && sid ? sid : undefined;
  if (typeof accessToken === 'string') {
    session = state.tokens.getAccess(accessToken)?.user?.sid;
    if (!session) return controlError(404, 'not_found', 'accessToken is not a live combined-auth CIS2 token');
  }
  if (!session && !claims) return controlError(400, 'ERR_ARGUMENT', 'Give accessToken, sid or claims');
  const now = Math.floor(Date.now() / 1000);
  const cis2 = state.idps.cis2;
  const signed = await cis2.signLogoutToken({
    claims: isRecord(claims)
      ? claims
      : {
          aud: PLATFORM_IDP_CLIENT_ID,
          iss: `${req.origin}${cis2.path}`,
          sub: 'emulator',
          iat: now - 10,
          jti: randomUUID(),
          sid: session,
          events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
        },
    ...(typeof kid === 'string' ? { kid } : {}),
  });
  return jsonReply(200, {
    logout_token: signed,
    aud: PLATFORM_IDP_CLIENT_ID,
    iss: `${req.origin}${cis2.path}`,
  });
}
