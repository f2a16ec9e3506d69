import * as vscode from 'vscode';
import type { Profile } from '../../core/profiles/profile.ts';
import { apiKeyFingerprint, environmentPairingFindings } from '../../core/preflight/environmentPairing.ts';
import type { PairingFinding } from '../../core/preflight/environmentPairing.ts';
import type { ProfileStore } from '../profileStore.ts';
import { secretKeys } from '../secrets.ts';
import type { Secrets } from '../secrets.ts';

export interface SessionSummary {
  label: string;
  description: string;
  tooltip: string;
  state: 'valid' | 'renewing' | 'expired' | 'signin';
  /** It holds a refresh token: only then does the tree offer Refresh. */
  refreshable: boolean;
}

/** Where the tree learns about sessions; the token layer provides it. */
export interface SessionSummaries {
  summary(profileId: string): Promise<SessionSummary | undefined>;
  readonly onDidChange: vscode.Event<string | undefined>;
}

/** The data behind the Environments tree, apart from the TreeDataProvider that renders it. */
export class EnvironmentsModel implements vscode.Disposable {
  private readonly store: ProfileStore;
  private sessions: SessionSummaries | undefined;
  private secrets: Secrets | undefined;
  private pairing: Promise<PairingFinding[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor(store: ProfileStore) {
    this.store = store;
    this.subscriptions.push(
      store.onDidChange(() => {
        this.pairing = undefined;
        this.changed.fire();
      }),
    );
  }

  /** API keys are compared (by fingerprint only) to spot one used in two environments. */
  usePairing(secrets: Secrets): vscode.Disposable {
    this.secrets = secrets;
    this.pairing = undefined;
    return secrets.onDidChange((e) => {
      if (!e.key.endsWith('/apiKey')) return;
      this.pairing = undefined;
      this.changed.fire();
    });
  }

  /** Environment pairing warnings across every profile (KID names, shared keys, shared API keys). */
  pairingFindings(): Promise<PairingFinding[]> {
    this.pairing ??= this.computePairing();
    return this.pairing;
  }

  private async computePairing(): Promise<PairingFinding[]> {
    const secrets = this.secrets;
    const profiles = await Promise.all(
      this.store.list().map(async (p) => {
        const apiKey = secrets ? await secrets.get(secretKeys.apiKey(p.id)) : undefined;
        return { ...p, apiKeyFingerprint: apiKey ? apiKeyFingerprint(apiKey) : undefined };
      }),
    );
    return environmentPairingFindings(profiles);
  }

  useSessions(sessions: SessionSummaries): vscode.Disposable {
    this.sessions = sessions;
    const sub = sessions.onDidChange(() => this.changed.fire());
    this.changed.fire();
    return sub;
  }

  profiles(): Profile[] {
    return this.store.list();
  }

  activeProfileId(): string | undefined {
    return this.store.activeId();
  }

  sessionSummary(profileId: string): Promise<SessionSummary | undefined> {
    return this.sessions?.summary(profileId) ?? Promise.resolve(undefined);
  }

  refresh(): void {
    this.pairing = undefined;
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
