import type * as vscode from 'vscode';
import { countdownState } from '../../core/inspector/countdown.ts';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { refreshPeriodOver } from '../../core/session/refreshManager.ts';
import type { SessionSummaries, SessionSummary } from '../tree/environmentsModel.ts';
import type { SecretSessionStore } from './secretSessionStore.ts';

const GRANT_LABELS: Record<SessionSnapshot['grant'], string> = {
  client_credentials: 'client credentials',
  token_exchange: 'token exchange',
  authorization_code: 'authorization code',
  refresh_token: 'refresh',
};

/** The tree's one-line view of a session: state, expiry and refresh_count. */
export function summarise(s: SessionSnapshot, now: number): SessionSummary {
  const access = countdownState(s.accessTokenExpiresAt, now, 60_000);
  const state: SessionSummary['state'] = s.needsSignIn || (access.level === 'expired' && (!s.refreshToken || refreshPeriodOver(s, now))) ? 'signin' : access.level === 'expired' ? 'expired' : 'valid';
  const parts = [access.level === 'expired' ? 'access token expired' : `expires ${new Date(s.accessTokenExpiresAt).toLocaleTimeString()}`];
  if (s.refreshCount !== undefined) parts.push(`refresh_count ${s.refreshCount}`);
  if (s.autoRefresh) parts.push('auto-refresh');
  const label = state === 'signin' ? 'Session: sign in again' : `Session (${GRANT_LABELS[s.grant]}${s.identityProvider !== 'none' ? `, ${s.identityProvider}` : ''})`;
  const tooltip = [
    `Grant: ${GRANT_LABELS[s.grant]}`,
    `Access token expires ${new Date(s.accessTokenExpiresAt).toISOString()}`,
    s.refreshPeriodEndsAt ? `Refresh period ends ${new Date(s.refreshPeriodEndsAt).toISOString()}` : 'No refresh token',
    s.clockSkewMs ? `Server clock skew ${Math.round(s.clockSkewMs / 1000)} s (corrected)` : '',
  ].filter(Boolean).join('\n');
  return { label, description: parts.join(' · '), tooltip, state };
}

export class StoredSessionSummaries implements SessionSummaries {
  private readonly store: SecretSessionStore;
  readonly onDidChange: vscode.Event<string | undefined>;

  constructor(store: SecretSessionStore) {
    this.store = store;
    this.onDidChange = store.onDidChange;
  }

  async summary(profileId: string): Promise<SessionSummary | undefined> {
    const s = await this.store.load(profileId);
    return s ? summarise(s, Date.now()) : undefined;
  }
}
