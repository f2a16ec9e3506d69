// Maps a path to its handler. Every handler returns a Reply; nothing here writes to the socket.
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { tokenEndpoint } from './tokenEndpoint.ts';
import { authorizeEndpoint, callbackEndpoint } from './authorize.ts';
import { idpRoute } from './idp/idpRoutes.ts';
import { helloWorldRoute } from './helloWorld.ts';
import { controlRoute, indexReply } from './controlApi.ts';
import { platformReply } from './replies.ts';
import { logoutTokenRoute } from './controlLogoutToken.ts';
import { userinfoEndpoint } from './userinfo.ts';
import { backchannelLogoutEndpoint } from './backchannelLogout.ts';
import { pingEndpoint, statusEndpoint } from './health.ts';

// 404 body shape on the platform is not quoted in the sources; OAuth-style with "Not Found" (unsure).
function notFound(): Reply {
  return platformReply('notFound');
}

export async function route(state: EmulatorState, req: EmulatorRequest): Promise<Reply> {
  const path = req.path;
  if (path === '/' && req.method === 'GET') return indexReply(state, req);
  const oauth = /^\/(oauth2|oauth2-mock)(\/.*)$/.exec(path);
  if (oauth) {
    const basePath = oauth[1] as 'oauth2' | 'oauth2-mock';
    const sub = oauth[2];
    if (sub === '/token') return tokenEndpoint(state, req, `${req.origin}/${basePath}/token`);
    if (sub === '/authorize') return authorizeEndpoint(state, req, basePath);
    if (sub === '/callback') return callbackEndpoint(state, req, basePath);
    if (sub === '/userinfo') return userinfoEndpoint(state, req);
    if (sub === '/backchannel_logout') return backchannelLogoutEndpoint(state, req);
    if (sub === '/_ping') return pingEndpoint(req);
    if (sub === '/_status') return statusEndpoint(state, req);
    return notFound();
  }
  for (const idp of Object.values(state.idps)) {
    if (path.startsWith(`${idp.path}/`))
      return (await idpRoute(state, idp, req, path.slice(idp.path.length))) ?? notFound();
  }
  if (path.startsWith('/hello-world/'))
    return helloWorldRoute(state, req, path.slice('/hello-world'.length)) ?? notFound();
  if (path === '/_emulator/logout-token') return logoutTokenRoute(state, req);
  if (path.startsWith('/_emulator/'))
    return controlRoute(state, req, path.slice('/_emulator'.length)) ?? notFound();
  return notFound();
}
