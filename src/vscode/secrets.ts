import type * as vscode from 'vscode';

// Every secret the extension keeps. Values live only in SecretStorage: never in settings,
// extension state, files or logs.
export type SecretKey =
  | `nhsAuth/profile/${string}/apiKey`
  | `nhsAuth/profile/${string}/clientSecret`
  | `nhsAuth/profile/${string}/privateKey/${string}`
  | `nhsAuth/profile/${string}/session`
  | `nhsAuth/profile/${string}/usedJtis`;

export const secretKeys = {
  apiKey: (profileId: string): SecretKey => `nhsAuth/profile/${profileId}/apiKey`,
  clientSecret: (profileId: string): SecretKey => `nhsAuth/profile/${profileId}/clientSecret`,
  privateKey: (profileId: string, kid: string): SecretKey => `nhsAuth/profile/${profileId}/privateKey/${kid}`,
  session: (profileId: string): SecretKey => `nhsAuth/profile/${profileId}/session`,
  usedJtis: (profileId: string): SecretKey => `nhsAuth/profile/${profileId}/usedJtis`,
};

export class Secrets {
  private readonly storage: vscode.SecretStorage;
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(storage: vscode.SecretStorage) {
    this.storage = storage;
    this.onDidChange = storage.onDidChange;
  }

  get(key: SecretKey): Thenable<string | undefined> {
    return this.storage.get(key);
  }

  store(key: SecretKey, value: string): Thenable<void> {
    return this.storage.store(key, value);
  }

  delete(key: SecretKey): Thenable<void> {
    return this.storage.delete(key);
  }

  /** Removes a profile's own secrets: API key, client secret, private keys and jti history (its session belongs to the SessionOwner). */
  async deleteProfile(profileId: string, kids: readonly string[]): Promise<void> {
    const keys: SecretKey[] = [
      secretKeys.apiKey(profileId),
      secretKeys.clientSecret(profileId),
      secretKeys.usedJtis(profileId),
      ...kids.map((kid) => secretKeys.privateKey(profileId, kid)),
    ];
    await Promise.all(keys.map((k) => this.storage.delete(k)));
  }
}
