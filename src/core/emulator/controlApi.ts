// The emulator's own endpoints: an index at / and /_emulator/{apps,faults} for tests and tools.
// The server has already checked the control API's bearer token and content type (fence.ts).
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { isAuthExplorerError } from '../errors.ts';
import { parseFault } from './faults.ts';
import { controlError, emptyReply, jsonReply } from './replies.ts';
import { MOCK_USERS } from './idp/mockUsers.ts';
import { publicViewOf } from './appsRegistry.ts';
import { maskApiKey } from '../log/redact.ts';

function parseJson(req: EmulatorRequest): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  try {
    return { ok: true, value: JSON.parse(req.body.toString('utf8')) };
  } catch {
    return { ok: false, reply: controlError(400, 'invalid_json', 'The request body must be JSON') };
  }
}

export function indexReply(state: EmulatorState, req: EmulatorRequest): Reply {
  const o = req.origin;
  return jsonReply(200, {
    name: 'NHS Auth Explorer emulator of the NHS England API Platform OAuth service',
    endpoints: {
      token: [`${o}/oauth2/token`, `${o}/oauth2-mock/token`],
      authorize: [`${o}/oauth2/authorize`, `${o}/oauth2-mock/authorize`],
      callback: [`${o}/oauth2/callback`, `${o}/oauth2-mock/callback`],
      mockNhsLogin: `${o}/mock-nhs-login/.well-known/openid-configuration`,
      mockCis2: `${o}/mock-cis2/.well-known/openid-configuration`,
      helloWorld: [
        `${o}/hello-world/hello/world`,
        `${o}/hello-world/hello/application`,
        `${o}/hello-world/hello/user`,
      ],
      userinfo: [`${o}/oauth2/userinfo`, `${o}/oauth2-mock/userinfo`],
      backchannelLogout: [`${o}/oauth2/backchannel_logout`, `${o}/oauth2-mock/backchannel_logout`],
      health: [
        `${o}/oauth2/_ping`,
        `${o}/oauth2/_status`,
        `${o}/oauth2-mock/_ping`,
        `${o}/oauth2-mock/_status`,
      ],
      control: [
        `${o}/_emulator/apps`,
        `${o}/_emulator/faults`,
        `${o}/_emulator/token-info`,
        `${o}/_emulator/logout-token`,
      ],
    },
    // The index needs no token, so API keys show first/last 4 only; GET /_emulator/apps has them whole.
    apps: state.apps.publicView().map((a) => ({ ...a, apiKey: maskApiKey(String(a.apiKey)) })),
    mockUsers: MOCK_USERS.map((u) => ({
      provider: u.provider,
      username: u.username,
      description: u.description,
    })),
  });
}

export function controlRoute(state: EmulatorState, req: EmulatorRequest, sub: string): Reply | undefined {
  if (sub.startsWith('/apps/')) {
    if (req.method !== 'DELETE') return emptyReply(405, { allow: 'DELETE' });
    let apiKey: string;
    try {
      apiKey = decodeURIComponent(sub.slice('/apps/'.length));
    } catch {
      return controlError(400, 'ERR_ARGUMENT', 'The API key in the path is not valid percent-encoding');
    }
    return state.apps.delete(apiKey)
      ? emptyReply(204)
      : controlError(404, 'not_found', 'No app has this API key');
  }
  if (sub === '/token-info') {
    // What Apigee's management API tells about an access token (its product scopes), for tests.
    // The token comes in the body, never in a URL.
    if (req.method !== 'POST') return emptyReply(405, { allow: 'POST' });
    const body = parseJson(req);
    if (!body.ok) return body.reply;
    const token = (body.value as { accessToken?: unknown } | null)?.accessToken;
    if (typeof token !== 'string' || !token)
      return controlError(400, 'ERR_ARGUMENT', 'accessToken must be a non-empty string');
    const entry = state.tokens.getAccess(token);
    if (!entry) return controlError(404, 'not_found', 'No live access token with this value');
    return jsonReply(200, {
      scope: entry.scopes.join(' '),
      kind: entry.kind,
      apiKey: entry.apiKey,
      expiresAt: entry.expiresAt,
    });
  }
  if (sub === '/apps') {
    if (req.method === 'GET') return jsonReply(200, { apps: state.apps.publicView() });
    if (req.method !== 'POST' && req.method !== 'PUT') return emptyReply(405, { allow: 'GET, POST, PUT' });
    const body = parseJson(req);
    if (!body.ok) return body.reply;
    try {
      // POST adds (a duplicate API key is an error); PUT adds or replaces.
      const app =
        req.method === 'PUT' ? state.apps.put(body.value, 'app') : state.apps.add(body.value, 'app');
      return jsonReply(req.method === 'PUT' ? 200 : 201, publicViewOf(app));
    } catch (e) {
      if (isAuthExplorerError(e)) return controlError(400, e.code, e.message);
      throw e;
    }
  }
  if (sub === '/faults') {
    if (req.method === 'GET') return jsonReply(200, { faults: state.faults.list() });
    if (req.method === 'DELETE') {
      state.faults.clear();
      return jsonReply(200, { faults: [] });
    }
    if (req.method !== 'POST') return emptyReply(405, { allow: 'GET, POST, DELETE' });
    const body = parseJson(req);
    if (!body.ok) return body.reply;
    try {
      const fault = parseFault(body.value);
      state.faults.add(fault);
      return jsonReply(201, fault);
    } catch (e) {
      if (isAuthExplorerError(e)) return controlError(400, e.code, e.message);
      throw e;
    }
  }
  return undefined;
}
