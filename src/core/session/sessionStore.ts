// Where sessions live. The VS Code layer implements this on SecretStorage; the CLI and tests use memory.
import type { SessionSnapshot } from './sessionSnapshot.ts';

export interface SessionStore {
  load(profileId: string): Promise<SessionSnapshot | undefined>;
  save(snapshot: SessionSnapshot): Promise<void>;
  delete(profileId: string): Promise<void>;
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, string>();

  async load(profileId: string): Promise<SessionSnapshot | undefined> {
    const json = this.sessions.get(profileId);
    // Stored as JSON so callers never share (and mutate) the stored object, as with SecretStorage.
    return json === undefined ? undefined : (JSON.parse(json) as SessionSnapshot);
  }

  async save(snapshot: SessionSnapshot): Promise<void> {
    this.sessions.set(snapshot.profileId, JSON.stringify(snapshot));
  }

  async delete(profileId: string): Promise<void> {
    this.sessions.delete(profileId);
  }
}
