import * as vscode from 'vscode';
import { RefreshManager } from '../../core/session/refreshManager.ts';
import type { RefreshLease } from '../../core/session/refreshLease.ts';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import type { TokenResult } from '../../core/token/requestToken.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import type { Log } from '../output.ts';
import type { ProfileStore } from '../profileStore.ts';
import type { Secrets } from '../secrets.ts';
import { SecretSessionStore } from './secretSessionStore.ts';

export interface SessionOwnerOptions {
  secrets: Secrets;
  profiles: ProfileStore;
  log: Log;
  /** Shared by every window of this user, so only one of them refreshes a session at a time. */
  lease: RefreshLease;
  refresh: (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult>;
  renew: (session: SessionSnapshot, signal?: AbortSignal) => Promise<TokenResult>;
}

/**
 * The one owner of a session's life: the only reader, writer and deleter of session secrets. It owns
 * the refresh manager, re-arms auto-refresh on activation, ends a removed profile's session and timer,
 * and re-reads and re-emits sessions that other windows change in the shared SecretStorage.
 */
export class SessionOwner implements vscode.Disposable {
  private readonly store: SecretSessionStore;
  private readonly profiles: ProfileStore;
  private readonly log: Log;
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The JSON last written or seen per profile ('' for none), to tell others' changes from our own. */
  private readonly lastSeen = new Map<string, string>();
  readonly refresher: RefreshManager;
  /** Fires with the profile id whose session changed (new token, refresh, sign-out, another window). */
  readonly onDidChange = this.changed.event;

  constructor(options: SessionOwnerOptions) {
    this.store = new SecretSessionStore(options.secrets);
    this.profiles = options.profiles;
    this.log = options.log;
    this.refresher = new RefreshManager({
      // The manager writes through the owner, so every write is seen and announced here.
      store: { load: (id) => this.load(id), save: (s) => this.write(s), delete: (id) => this.delete(id) },
      refresh: options.refresh,
      renew: options.renew,
      lease: options.lease,
      settleMs: 5000,
      onError: (profileId, error) =>
        this.log.warn(
          `Auto-refresh of "${this.profiles.find(profileId)?.name ?? profileId}" failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    this.subscriptions.push(
      options.secrets.onDidChange((e) => {
        const id = SecretSessionStore.profileOf(e.key);
        if (id) void this.reread(id);
      }),
      options.profiles.onDidChange(() => void this.dropRemovedProfiles()),
    );
  }

  load(profileId: string): Promise<SessionSnapshot | undefined> {
    return this.store.load(profileId);
  }

  /** Stores a session from a new grant; its auto-refresh timer follows the stored flag. */
  async save(session: SessionSnapshot): Promise<void> {
    await this.write(session);
    this.refresher.follow(session, session.profileId);
  }

  /** Sign out: the session and its timer end. */
  async delete(profileId: string): Promise<void> {
    this.refresher.disableAutoRefresh(profileId);
    await this.store.delete(profileId);
    this.lastSeen.set(profileId, '');
    this.changed.fire(profileId);
  }

  refresh(profileId: string): Promise<SessionSnapshot> {
    return this.refresher.refresh(profileId);
  }

  accessToken(profileId: string): Promise<string> {
    return this.refresher.getAccessToken(profileId);
  }

  async setAutoRefresh(profileId: string, on: boolean): Promise<void> {
    const session = await this.load(profileId);
    if (!session)
      throw new AuthExplorerError(
        'ERR_SESSION_MISSING',
        'There is no session to refresh: get a token first.',
        { profileId },
      );
    if (on && !session.refreshToken && session.grant !== 'client_credentials') {
      throw new AuthExplorerError(
        'ERR_NO_REFRESH_TOKEN',
        'This session has no refresh token left: sign in again, then turn auto-refresh on.',
        { profileId },
      );
    }
    await this.save({ ...session, autoRefresh: on });
  }

  /** On activation: every session saved with auto-refresh on gets its timer back. */
  async rearm(): Promise<void> {
    for (const profile of this.profiles.list()) {
      try {
        const s = await this.load(profile.id);
        this.lastSeen.set(profile.id, s ? JSON.stringify(s) : '');
        if (s?.autoRefresh) this.refresher.follow(s, profile.id);
      } catch (e) {
        this.log.warn(
          `Could not re-arm auto-refresh for "${profile.name}": ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
  }

  /** A profile is being removed: its timer stops, its session is deleted, and listeners hear of it. */
  async profileRemoved(profileId: string): Promise<void> {
    await this.delete(profileId);
  }

  private async write(session: SessionSnapshot): Promise<void> {
    await this.store.save(session);
    this.lastSeen.set(session.profileId, JSON.stringify(session));
    this.changed.fire(session.profileId);
  }

  /** Another window (or VS Code itself) changed a session key: follow it, and tell this window's views. */
  private async reread(profileId: string): Promise<void> {
    const s = await this.load(profileId);
    const json = s ? JSON.stringify(s) : '';
    if (this.lastSeen.get(profileId) === json) return; // our own write coming back
    this.lastSeen.set(profileId, json);
    if (!this.refresher.isRefreshing(profileId)) this.refresher.follow(s, profileId);
    this.changed.fire(profileId);
  }

  private async dropRemovedProfiles(): Promise<void> {
    for (const id of this.refresher.autoRefreshing()) {
      if (!this.profiles.find(id)) await this.profileRemoved(id);
    }
  }

  dispose(): void {
    this.refresher.dispose();
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.changed.dispose();
  }
}
