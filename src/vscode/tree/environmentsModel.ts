import * as vscode from 'vscode';
import type { Profile } from '../../core/profiles/profile.ts';
import type { ProfileStore } from '../profileStore.ts';

export interface SessionSummary {
  label: string;
  description: string;
  tooltip: string;
  state: 'valid' | 'renewing' | 'expired' | 'signin';
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
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor(store: ProfileStore) {
    this.store = store;
    this.subscriptions.push(store.onDidChange(() => this.changed.fire()));
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
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
