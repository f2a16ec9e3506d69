import * as vscode from 'vscode';
import type { Profile } from '../core/profiles/profile.ts';
import { AuthExplorerError } from '../core/errors.ts';

const PROFILES_KEY = 'nhsAuth.profiles';
const ACTIVE_KEY = 'nhsAuth.activeProfileId';

/**
 * Profile metadata (names, environments, KID records with public keys) in extension global state.
 * It holds nothing secret: API keys, client secrets and private keys are in SecretStorage.
 */
export class ProfileStore implements vscode.Disposable {
  private readonly state: vscode.Memento;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(state: vscode.Memento) {
    this.state = state;
  }

  list(): Profile[] {
    return this.state.get<Profile[]>(PROFILES_KEY, []);
  }

  find(id: string): Profile | undefined {
    return this.list().find((p) => p.id === id);
  }

  get(id: string): Profile {
    const profile = this.find(id);
    if (!profile)
      throw new AuthExplorerError('ERR_PROFILE_UNKNOWN', `No profile with id ${id}.`, { profileId: id });
    return profile;
  }

  async save(profile: Profile): Promise<void> {
    const others = this.list().filter((p) => p.id !== profile.id);
    await this.state.update(
      PROFILES_KEY,
      [...others, profile].sort((a, b) => a.createdAt - b.createdAt),
    );
    if (!this.activeId()) await this.state.update(ACTIVE_KEY, profile.id);
    this.changed.fire();
  }

  async remove(id: string): Promise<void> {
    await this.state.update(
      PROFILES_KEY,
      this.list().filter((p) => p.id !== id),
    );
    if (this.activeId() === id) await this.state.update(ACTIVE_KEY, this.list()[0]?.id);
    this.changed.fire();
  }

  activeId(): string | undefined {
    const id = this.state.get<string>(ACTIVE_KEY);
    return id && this.find(id) ? id : this.list()[0]?.id;
  }

  async setActive(id: string): Promise<void> {
    this.get(id);
    await this.state.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
