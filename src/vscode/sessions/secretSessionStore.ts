import * as vscode from 'vscode';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import type { SessionStore } from '../../core/session/sessionStore.ts';
import { secretKeys, type Secrets } from '../secrets.ts';

/** Sessions (tokens included) live only in SecretStorage, one JSON value per profile. */
export class SecretSessionStore implements SessionStore, vscode.Disposable {
  private readonly secrets: Secrets;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the profile id whose session changed. */
  readonly onDidChange = this.changed.event;

  constructor(secrets: Secrets) {
    this.secrets = secrets;
  }

  async load(profileId: string): Promise<SessionSnapshot | undefined> {
    const raw = await this.secrets.get(secretKeys.session(profileId));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as SessionSnapshot;
      return typeof parsed.accessToken === 'string' && parsed.profileId === profileId ? parsed : undefined;
    } catch {
      return undefined; // A damaged value is treated as "signed out", never as a crash.
    }
  }

  async save(session: SessionSnapshot): Promise<void> {
    await this.secrets.store(secretKeys.session(session.profileId), JSON.stringify(session));
    this.changed.fire(session.profileId);
  }

  async delete(profileId: string): Promise<void> {
    await this.secrets.delete(secretKeys.session(profileId));
    this.changed.fire(profileId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
