import * as vscode from 'vscode';
import { sessionStatus } from '../../core/session/sessionStatus.ts';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import type { TokenServices } from './tokenServices.ts';

export const AUTH_PROVIDER_ID = 'nhs-api-platform';

/**
 * Lets other extensions and tasks ask for a platform token with
 * `vscode.authentication.getSession('nhs-api-platform', [profileNameOrId])`.
 * A scope names a profile; no scope means the active profile. Reads never touch the network:
 * a refresh (which burns a single-use refresh token) happens only in createSession, i.e. when a
 * consumer asks with createIfNone / forceNewSession, or through auto-refresh.
 */
export class NhsAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly services: TokenServices;
  /** Gets a new token for a profile the way the Get Token command does (a grant picker, a sign-in). */
  private readonly newToken: (profileId: string | undefined) => Promise<SessionSnapshot | undefined>;
  private readonly changed =
    new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeSessions = this.changed.event;

  constructor(
    services: TokenServices,
    newToken: (profileId: string | undefined) => Promise<SessionSnapshot | undefined>,
  ) {
    this.services = services;
    this.newToken = newToken;
    this.subscription = services.tokens.sessions.onDidChange(async (profileId) => {
      const session = await services.tokens.sessions.load(profileId);
      const asVs = session ? this.toSession(session) : undefined;
      this.changed.fire(
        asVs
          ? { added: [], removed: [], changed: [asVs] }
          : {
              added: [],
              removed: [
                { id: profileId, accessToken: '', account: { id: profileId, label: profileId }, scopes: [] },
              ],
              changed: [],
            },
      );
    });
  }

  private profileFor(scopes: readonly string[] | undefined): string | undefined {
    const wanted = scopes?.[0];
    if (!wanted) return this.services.profiles.activeId();
    return this.services.profiles.list().find((p) => p.id === wanted || p.name === wanted)?.id;
  }

  private toSession(s: SessionSnapshot): vscode.AuthenticationSession {
    const profile = this.services.profiles.find(s.profileId);
    return {
      id: s.profileId,
      accessToken: s.accessToken,
      account: { id: s.profileId, label: profile?.name ?? s.profileId },
      scopes: profile ? [profile.name] : [],
    };
  }

  /** What is stored and still usable; no request is sent. */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const ids = scopes?.length
      ? [this.profileFor(scopes)].filter((x): x is string => Boolean(x))
      : this.services.profiles.list().map((p) => p.id);
    const out: vscode.AuthenticationSession[] = [];
    const now = Date.now();
    for (const id of ids) {
      const s = await this.services.tokens.sessions.load(id);
      if (s && sessionStatus(s, now).usable) out.push(this.toSession(s));
    }
    return out;
  }

  /** Asked for explicitly: refresh (or re-issue) a stored session when that works, else get a new token. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const profileId = this.profileFor(scopes);
    const stored = profileId ? await this.services.tokens.sessions.load(profileId) : undefined;
    if (stored) {
      const status = sessionStatus(stored, Date.now());
      if (!status.usable && (status.canRefresh || status.canRenew)) {
        try {
          return this.toSession(await this.services.tokens.refresh(stored.profileId));
        } catch {
          // Fall through to a new token (a sign-in for user-restricted profiles).
        }
      }
    }
    const snapshot = await this.newToken(profileId);
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
