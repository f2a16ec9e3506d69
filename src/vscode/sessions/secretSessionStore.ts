import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import type { SessionStore } from '../../core/session/sessionStore.ts';
import { secretKeys, type Secrets } from '../secrets.ts';

/**
 * Sessions (tokens included) live only in SecretStorage, one JSON value per profile. Only the
 * SessionOwner uses this; everything else goes through the owner.
 */
export class SecretSessionStore implements SessionStore {
  private readonly secrets: Secrets;

  constructor(secrets: Secrets) {
    this.secrets = secrets;
  }

  /** The profile whose session a SecretStorage key holds, if it is a session key. */
  static profileOf(key: string): string | undefined {
    return /^nhsAuth\/profile\/(.+)\/session$/.exec(key)?.[1];
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
  }

  async delete(profileId: string): Promise<void> {
    await this.secrets.delete(secretKeys.session(profileId));
  }
}
