// What the inspector needs from the rest of the extension; extension.ts passes the real services.
import type * as vscode from 'vscode';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';

export interface InspectorDeps {
  sessions: {
    get(profileId: string): Promise<SessionSnapshot | undefined>;
    /** Fires with the profile id whose session changed (new token, refresh, sign-out). */
    onDidChange: vscode.Event<string>;
  };
  profiles: {
    activeProfileId(): string | undefined;
    label(profileId: string): { name: string; environment: string } | undefined;
    onDidChangeActive: vscode.Event<void>;
  };
  /** Checks an ID token against its issuer's JWKS when that is known. */
  verifyIdToken?: (idToken: string) => Promise<'verified' | 'failed' | 'unknown'>;
}

/** The commands the panel's buttons run, each with the profile id as argument. */
export const ACTION_COMMANDS = {
  refresh: 'nhsAuth.refreshSession',
  copyAccessToken: 'nhsAuth.copyAccessToken',
  callApi: 'nhsAuth.callApi',
  signIn: 'nhsAuth.signIn',
} as const;
