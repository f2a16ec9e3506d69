// The API other extensions get from `vscode.extensions.getExtension('nhs-auth-tools.nhs-auth-explorer').exports`:
// small, versioned and free of secrets. Tokens are not handed out here: an extension asks VS Code with
// `vscode.authentication.getSession(api.authenticationProviderId, api.sessionScopes(profileId), { createIfNone: true })`,
// so VS Code asks the user whether that extension may use the account. See docs/extension-api.md.
import type * as vscode from 'vscode';
import { getEnvironment } from '../core/environments.ts';
import type { ProfileStore } from './profileStore.ts';

/** A profile as other extensions see it: no API key, secret, key material or token. */
export interface PublicProfile {
  readonly id: string;
  readonly name: string;
  readonly environmentId: string;
  readonly environment: string;
  readonly active: boolean;
}

export interface NhsAuthExplorerApi {
  /** Bumped on any incompatible change. */
  readonly apiVersion: 1;
  /** The profiles, without secrets. */
  listProfiles(): readonly PublicProfile[];
  readonly onDidChangeProfiles: vscode.Event<void>;
  /** The id to pass to vscode.authentication.getSession. */
  readonly authenticationProviderId: string;
  /** The scopes that name this profile in vscode.authentication.getSession. */
  sessionScopes(profileId: string): string[];
}

export function createPublicApi(
  profiles: ProfileStore,
  authenticationProviderId: string,
): NhsAuthExplorerApi {
  return Object.freeze({
    apiVersion: 1 as const,
    listProfiles: (): readonly PublicProfile[] => {
      const active = profiles.activeId();
      return profiles.list().map((p) =>
        Object.freeze({
          id: p.id,
          name: p.name,
          environmentId: p.environmentId,
          environment: getEnvironment(p.environmentId).label,
          active: p.id === active,
        }),
      );
    },
    onDidChangeProfiles: profiles.onDidChange,
    authenticationProviderId,
    sessionScopes: (profileId: string): string[] => [profileId],
  });
}
