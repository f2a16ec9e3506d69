import type * as vscode from 'vscode';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { sessionStatus } from '../../core/session/sessionStatus.ts';
import type { SessionSummaries, SessionSummary } from '../tree/environmentsModel.ts';
import type { SessionOwner } from './sessionOwner.ts';

const GRANT_LABELS: Record<SessionSnapshot['grant'], string> = {
  client_credentials: 'client credentials',
  token_exchange: 'token exchange',
  authorization_code: 'authorization code',
  refresh_token: 'refresh',
};

/** The tree's one-line view of a session: state, expiry and refresh_count. */
export function summarise(s: SessionSnapshot, now: number): SessionSummary {
  const status = sessionStatus(s, now);
  const state: SessionSummary['state'] =
    status.state === 'signin'
      ? 'signin'
      : status.state === 'renewing'
        ? 'renewing'
        : status.usable
          ? 'valid'
          : 'expired';
  const parts = [
    status.state === 'renewing'
      ? 'renewing'
      : status.usable
        ? `expires ${new Date(s.accessTokenExpiresAt).toLocaleTimeString()}`
        : 'access token expired',
  ];
  if (s.refreshCount !== undefined) parts.push(`refresh_count ${s.refreshCount}`);
  if (s.autoRefresh) parts.push('auto-refresh');
  const label =
    state === 'signin'
      ? 'Session: sign in again'
      : `Session (${GRANT_LABELS[s.grant]}${s.identityProvider !== 'none' ? `, ${s.identityProvider}` : ''})`;
  const tooltip = [
    `Grant: ${GRANT_LABELS[s.grant]}`,
    `Access token expires ${new Date(s.accessTokenExpiresAt).toISOString()}`,
    s.refreshPeriodEndsAt
      ? `Refresh period ends ${new Date(s.refreshPeriodEndsAt).toISOString()}`
      : 'No refresh token',
    status.text,
    s.clockSkewMs ? `Server clock skew ${Math.round(s.clockSkewMs / 1000)} s (corrected)` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const refreshable = s.refreshToken !== undefined && !s.needsSignIn;
  return { label, description: parts.join(' · '), tooltip, state, refreshable };
}

export class StoredSessionSummaries implements SessionSummaries {
  private readonly store: SessionOwner;
  readonly onDidChange: vscode.Event<string | undefined>;

  constructor(store: SessionOwner) {
    this.store = store;
    this.onDidChange = store.onDidChange;
  }

  async summary(profileId: string): Promise<SessionSummary | undefined> {
    const s = await this.store.load(profileId);
    return s ? summarise(s, Date.now()) : undefined;
  }
}
