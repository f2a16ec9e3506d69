// client_id + client_secret checks shared by authorization_code and refresh_token.
import { timingSafeEqual } from 'node:crypto';
import type { EmulatorState } from '../state.ts';
import type { EmulatorAppConfig, Reply } from '../types.ts';
import { platformReply } from '../replies.ts';
import { lacksOAuthService } from '../productScopes.ts';

export type ClientLookup = { ok: true; app: EmulatorAppConfig } | { ok: false; reply: Reply };

export function presenceOfClientCredentials(form: URLSearchParams): Reply | undefined {
  if (!form.get('client_id')) return platformReply('clientIdMissing');
  if (!form.get('client_secret')) return platformReply('clientSecretMissing');
  return undefined;
}

/** VerifyAPIKey (known key, subscribed to the OAuth service), then the secret, then the app's status. */
export function authenticateClient(state: EmulatorState, form: URLSearchParams): ClientLookup {
  const app = state.apps.get(form.get('client_id') ?? '');
  if (!app) return { ok: false, reply: platformReply('clientCredentialsInvalid') };
  if (lacksOAuthService(app)) return { ok: false, reply: platformReply('apiKeyNoAccess') };
  const secret = form.get('client_secret') ?? '';
  if (!app.clientSecret || !sameSecret(app.clientSecret, secret))
    return { ok: false, reply: platformReply('clientCredentialsInvalid') };
  if (app.status === 'revoked') return { ok: false, reply: platformReply('appNotApproved') };
  return { ok: true, app };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
