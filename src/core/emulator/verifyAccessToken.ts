// Apigee's OAuthV2 VerifyAccessToken in front of Hello World and /userinfo: its three 401 faults.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { headerOf } from './request.ts';
import type { AccessTokenEntry } from './tokenStore.ts';
import { apigeeFault } from './replies.ts';

export type VerifiedToken = { ok: true; entry: AccessTokenEntry } | { ok: false; reply: Reply };

export function verifyAccessToken(state: EmulatorState, req: EmulatorRequest): VerifiedToken {
  const auth = headerOf(req, 'authorization') ?? '';
  const match = /^Bearer\s+(.*)$/i.exec(auth.trim());
  const token = match?.[1]?.trim() ?? '';
  if (!token)
    return { ok: false, reply: apigeeFault(401, 'Invalid access token', 'oauth.v2.InvalidAccessToken') };
  const entry = state.tokens.getAccess(token);
  if (!entry)
    return {
      ok: false,
      reply: apigeeFault(401, 'Invalid Access Token', 'keymanagement.service.invalid_access_token'),
    };
  if (entry.expiresAt <= Date.now())
    return {
      ok: false,
      reply: apigeeFault(401, 'Access Token expired', 'keymanagement.service.access_token_expired'),
    };
  return { ok: true, entry };
}
