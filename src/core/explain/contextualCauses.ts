// Causes whose order depends on what we know: the session (refresh_count, period end, token URL) for a
// rejected refresh token, and the API key's shape for the sandbox's Invalid client identifier.
import type { ExplainContext } from './explanation.ts';
import { refreshPeriodOver } from '../session/sessionStatus.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function origin(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin + new URL(url).pathname : undefined;
  } catch {
    return undefined;
  }
}

/** Causes of 401 invalid_grant "refresh_token is invalid", most likely first for this session. */
export function refreshInvalidCauses(ctx: ExplainContext = {}): string[] {
  const s = ctx.session;
  const now = ctx.now ?? Date.now();
  const expired = {
    key: 'expired',
    text: 'The refresh token has expired: each has a finite lifetime (CIS2 12 h, NHS login 1 h in total) and must be rotated.',
    score: 2,
  };
  const used = {
    key: 'used',
    text: 'The refresh token was already used: refresh tokens are single-use, so only the one returned by the latest refresh works (a lost response, a retry, or a second copy of the app refreshing too burns it).',
    score: 3,
  };
  const env = {
    key: 'environment',
    text: 'The refresh token was issued by another environment (PROD vs INT, oauth2 vs oauth2-mock) than the one called.',
    score: 1,
  };
  const aud = {
    key: 'audience',
    text: 'Audience mismatch: the refresh token must belong to the same token endpoint (check aud of the original tokens) and the same client_id.',
    score: 0,
  };
  if (s) {
    if (refreshPeriodOver(s, now)) {
      expired.score = 10;
      expired.text += ` This session's refresh ${s.refreshPeriodEndsAt !== undefined && now >= s.refreshPeriodEndsAt ? 'period' : 'token'} ended at ${new Date(Math.min(s.refreshPeriodEndsAt ?? Infinity, s.refreshTokenExpiresAt ?? Infinity)).toISOString()}.`;
    } else {
      expired.score = 0.5;
    }
    if (
      ctx.sentRefreshToken !== undefined &&
      s.refreshToken !== undefined &&
      ctx.sentRefreshToken !== s.refreshToken
    ) {
      used.score = 11;
      used.text += ' The token sent is not the latest one stored for this session.';
    } else if ((s.refreshCount ?? 0) >= 1) {
      used.score = 4;
      used.text += ` This session has been refreshed ${s.refreshCount} time(s), so earlier tokens are burnt.`;
    }
    const sessionUrl = origin(s.tokenUrl);
    const calledUrl = origin(ctx.tokenUrl);
    if (sessionUrl && calledUrl && sessionUrl !== calledUrl) {
      env.score = 12;
      env.text += ` The session came from ${s.tokenUrl} but ${ctx.tokenUrl} was called.`;
    }
  }
  return [used, expired, env, aud].sort((a, b) => b.score - a.score).map((c) => c.text);
}

/** Causes of the sandbox's HTTP 500 "Invalid client identifier {0}", per the platform team. */
export function invalidClientIdentifierCauses(ctx: ExplainContext = {}): string[] {
  const appId =
    'The application id (a GUID) is being used where the API key belongs: client_id, if sent, and iss/sub must be the sandbox API key, not the application id.';
  const regenerated =
    'The API key was regenerated, or the app was deleted and recreated: old keys, stored config and JWTs signed with them are now invalid.';
  const wrongKey =
    'iss/sub is not the sandbox app\u2019s key (e.g. an INT or production key used against sandbox).';
  const incident =
    'A sandbox auth incident or an app not registered correctly with OAuth on the platform side: raise a ticket with the support bundle.';
  if (ctx.apiKey && GUID.test(ctx.apiKey)) return [appId, wrongKey, regenerated, incident];
  return [wrongKey, regenerated, appId, incident];
}
