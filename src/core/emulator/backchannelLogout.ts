// POST /oauth2[-mock]/backchannel_logout: CIS2 tells the platform a user signed out. The logout
// token's claims are checked first (validate-logout-token.js), then its signature against the mock
// CIS2 key, then its sid; every token issued under that sid is revoked.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { compactVerify } from 'jose';
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { formOf } from './request.ts';
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import { emptyReply, platformReply } from './replies.ts';
import { PLATFORM_IDP_CLIENT_ID } from './authorize.ts';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export async function backchannelLogoutEndpoint(state: EmulatorState, req: EmulatorRequest): Promise<Reply> {
  if (req.method !== 'POST') return emptyReply(405, { allow: 'POST' });
  const token = formOf(req).get('logout_token') ?? '';
  let jwt: DecodedJwt;
  try {
    jwt = decodeJwtParts(token);
  } catch {
    return platformReply('logoutMalformed');
  }
  const c = jwt.payload;
  const cis2 = state.idps.cis2;
  if (c.aud !== PLATFORM_IDP_CLIENT_ID) return platformReply('logoutAud');
  if (c.iss !== `${req.origin}${cis2.path}`) return platformReply('logoutIss');
  if (c.sid === undefined || c.sid === null) return platformReply('logoutSidMissing');
  const events = c.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== 'object' || !(BACKCHANNEL_LOGOUT_EVENT in events))
    return platformReply('logoutEvents');
  if (c.nonce !== undefined) return platformReply('logoutNonce');
  if (jwt.header.kid !== cis2.kid) return platformReply('logoutUnverified');
  try {
    await compactVerify(token.trim(), createPublicKey({ key: cis2.publicJwk as JsonWebKey, format: 'jwk' }), {
      algorithms: ['RS512', 'RS256'],
    });
  } catch {
    return platformReply('logoutUnverified');
  }
  if (!state.tokens.revokeSession(String(c.sid))) return platformReply('logoutSidNotFound');
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' };
}
