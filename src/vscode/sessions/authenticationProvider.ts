import * as vscode from 'vscode';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { getToken } from '../commands/getToken.ts';
import type { TokenServices } from './tokenServices.ts';

export const AUTH_PROVIDER_ID = 'nhs-api-platform';

/**
 * Lets other extensions and tasks ask for a platform token with
 * `vscode.authentication.getSession('nhs-api-platform', [profileNameOrId])`.
 * A scope names a profile; no scope means the active profile.
 */
export class NhsAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly services: TokenServices;
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeSessions = this.changed.event;

  constructor(services: TokenServices) {
    this.services = services;
    this.subscription = services.tokens.store.onDidChange(async (profileId) => {
      const session = await services.tokens.store.load(profileId);
      const asVs = session ? this.toSession(session) : undefined;
      this.changed.fire(asVs ? { added: [], removed: [], changed: [asVs] } : { added: [], removed: [{ id: profileId, accessToken: '', account: { id: profileId, label: profileId }, scopes: [] }], changed: [] });
    });
  }

  private profileFor(scopes: readonly string[] | undefined): string | undefined {
    const wanted = scopes?.[0];
    if (!wanted) return this.services.profiles.activeId();
    return this.services.profiles.list().find((p) => p.id === wanted || p.name === wanted)?.id;
  }

  private toSession(s: SessionSnapshot): vscode.AuthenticationSession {
    const profile = this.services.profiles.find(s.profileId);
    return { id: s.profileId, accessToken: s.accessToken, account: { id: s.profileId, label: profile?.name ?? s.profileId }, scopes: profile ? [profile.name] : [] };
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const ids = scopes?.length ? [this.profileFor(scopes)].filter((x): x is string => Boolean(x)) : this.services.profiles.list().map((p) => p.id);
    const out: vscode.AuthenticationSession[] = [];
    for (const id of ids) {
      const s = await this.services.tokens.store.load(id);
      if (!s || s.needsSignIn) continue;
      if (s.accessTokenExpiresAt <= Date.now()) {
        // Hand out only a live token: refresh when possible, else leave it out.
        if (!s.refreshToken) continue;
        try {
          out.push(this.toSession(await this.services.tokens.refresh(id)));
        } catch {
          // The caller will ask to create a session, which signs in again.
        }
        continue;
      }
      out.push(this.toSession(s));
    }
    return out;
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const profileId = this.profileFor(scopes);
    const snapshot = await getToken(this.services, { profileId, throwErrors: true });
    if (!snapshot) throw new Error('No token was obtained.');
    return this.toSession(snapshot);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.services.tokens.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
