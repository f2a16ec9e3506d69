// The Hello World API behind the platform's OAuth service: open, application- and user-restricted.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { headerOf } from './request.ts';
import type { TokenKind } from './tokenStore.ts';
import { apigeeFault, emptyReply, jsonReply } from './replies.ts';

const ROUTES: Record<string, { kind?: TokenKind; message: string }> = {
  '/hello/world': { message: 'Hello World!' },
  '/hello/application': { kind: 'application', message: 'Hello Application!' },
  '/hello/user': { kind: 'user', message: 'Hello User!' },
};

export function helloWorldRoute(state: EmulatorState, req: EmulatorRequest, sub: string): Reply | undefined {
  const route = ROUTES[sub];
  if (!route) return undefined;
  if (req.method !== 'GET') return emptyReply(405, { allow: 'GET' });
  if (!route.kind) return jsonReply(200, { message: route.message });
  const auth = headerOf(req, 'authorization') ?? '';
  const match = /^Bearer\s+(.*)$/i.exec(auth.trim());
  const token = match?.[1]?.trim() ?? '';
  if (!token) return apigeeFault(401, 'Invalid access token', 'oauth.v2.InvalidAccessToken');
  const entry = state.tokens.getAccess(token);
  if (!entry) return apigeeFault(401, 'Invalid Access Token', 'keymanagement.service.invalid_access_token');
  if (entry.expiresAt <= Date.now()) return apigeeFault(401, 'Access Token expired', 'keymanagement.service.access_token_expired');
  // A token of the other kind is a 401 on the platform; its exact body is not public (unsure).
  if (entry.kind !== route.kind) return apigeeFault(401, 'Invalid Access Token', 'keymanagement.service.invalid_access_token');
  return jsonReply(200, { message: route.message });
}
