// GET /oauth2[-mock]/_ping and /_status (flows AddPayloadToPing and the monitoring endpoint).
import type { Reply } from './types.ts';
import type { EmulatorState } from './state.ts';
import type { EmulatorRequest } from './request.ts';
import { headerOf } from './request.ts';
import { emptyReply, jsonReply, platformReply } from './replies.ts';
import { timingSafeEqual } from 'node:crypto';

const VERSION = {
  version: 'emulator',
  revision: '1',
  releaseId: 'nhs-auth-explorer-emulator',
  commitId: 'local',
};

export function pingEndpoint(req: EmulatorRequest): Reply {
  if (req.method !== 'GET' && req.method !== 'HEAD') return emptyReply(405, { allow: 'GET, HEAD' });
  return jsonReply(200, VERSION);
}

/** _status needs the monitoring key in the `apikey` header: here, the emulator's control token. */
export function statusEndpoint(state: EmulatorState, req: EmulatorRequest): Reply {
  if (req.method !== 'GET') return emptyReply(405, { allow: 'GET' });
  const given = Buffer.from(headerOf(req, 'apikey') ?? '');
  const expected = Buffer.from(state.statusApiKey);
  if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
    return platformReply('statusApiKey');
  return jsonReply(200, {
    status: 'pass',
    ...VERSION,
    checks: { 'nhs-cis2': { status: 'pass' }, 'nhs-login': { status: 'pass' } },
  });
}
