// client_id + client_secret checks shared by authorization_code and refresh_token.
import { timingSafeEqual } from 'node:crypto';
import type { EmulatorState } from '../state.ts';
import type { EmulatorAppConfig, Reply } from '../types.ts';
import { invalidRequest, oauthError } from '../replies.ts';

export type ClientLookup = { ok: true; app: EmulatorAppConfig } | { ok: false; reply: Reply };

export function presenceOfClientCredentials(form: URLSearchParams): Reply | undefined {
  if (!form.get('client_id')) return invalidRequest(401, 'client_id is missing');
  if (!form.get('client_secret')) return invalidRequest(401, 'client_secret is missing');
  return undefined;
}

export function authenticateClient(state: EmulatorState, form: URLSearchParams): ClientLookup {
  const app = state.apps.get(form.get('client_id') ?? '');
  const secret = form.get('client_secret') ?? '';
  if (!app || !app.clientSecret || !sameSecret(app.clientSecret, secret)) {
    return { ok: false, reply: oauthError(401, 'invalid_client', 'client_id or client_secret is invalid') };
  }
  if (app.status === 'revoked') {
    return { ok: false, reply: oauthError(401, 'access_denied', 'The developer app associated with the API key is not approved or revoked') };
  }
  return { ok: true, app };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
