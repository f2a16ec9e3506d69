// The Hello World API behind the platform's OAuth service: open, application- and user-restricted.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import type { TokenKind } from './tokenStore.ts';
import { apigeeFault, emptyReply, jsonReply } from './replies.ts';
import { verifyAccessToken } from './verifyAccessToken.ts';

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
  const verified = verifyAccessToken(state, req);
  if (!verified.ok) return verified.reply;
  const entry = verified.entry;
  // A token of the other kind is a 401 on the platform; its exact body is not public (unsure).
  if (entry.kind !== route.kind)
    return apigeeFault(401, 'Invalid Access Token', 'keymanagement.service.invalid_access_token');
  return jsonReply(200, { message: route.message });
}
