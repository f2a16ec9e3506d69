import * as vscode from 'vscode';
import type { Profile, KeyRecord } from '../../core/profiles/profile.ts';
import { getEnvironment } from '../../core/environments.ts';
import type { PreflightFinding } from '../../core/preflight/findings.ts';

// One class per kind of node in the Environments tree. contextValue drives the menus in package.json.

export class ProfileNode extends vscode.TreeItem {
  readonly kind = 'profile';
  readonly profile: Profile;

  constructor(profile: Profile, active: boolean, warnings = 0) {
    super(profile.name, vscode.TreeItemCollapsibleState.Expanded);
    this.profile = profile;
    const env = getEnvironment(profile.environmentId);
    this.id = `profile:${profile.id}`;
    this.description = `${env.label}${active ? ' · active' : ''}${warnings > 0 ? ` · ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`;
    this.tooltip = new vscode.MarkdownString(
      `**${profile.name}**\n\n${env.label}${env.notes ? `\n\n${env.notes}` : ''}`,
    );
    this.iconPath = new vscode.ThemeIcon(
      profile.environmentId === 'prod' ? 'warning' : profile.environmentId === 'local' ? 'vm' : 'cloud',
    );
    this.contextValue = `profile${profile.environmentId === 'local' ? '.local' : ''}`;
  }
}

export class KeyNode extends vscode.TreeItem {
  readonly kind = 'key';
  readonly profile: Profile;
  readonly key: KeyRecord;

  constructor(profile: Profile, key: KeyRecord) {
    super(key.kid, vscode.TreeItemCollapsibleState.None);
    this.profile = profile;
    this.key = key;
    this.id = `key:${profile.id}:${key.kid}`;
    const created = new Date(key.createdAt).toISOString().slice(0, 10);
    this.description = `${key.status} · ${created}`;
    this.tooltip = new vscode.MarkdownString(
      `KID \`${key.kid}\` (${key.status})\n\nCreated ${new Date(key.createdAt).toISOString()}\n\nRFC 7638 thumbprint \`${key.thumbprint}\``,
    );
    this.iconPath = new vscode.ThemeIcon(key.status === 'active' ? 'key' : 'circle-slash');
    this.contextValue = `key.${key.status}`;
  }
}

export class SessionNode extends vscode.TreeItem {
  readonly kind = 'session';
  readonly profile: Profile;

  constructor(
    profile: Profile,
    summary: {
      label: string;
      description: string;
      tooltip: string;
      state: 'valid' | 'renewing' | 'expired' | 'signin';
      refreshable: boolean;
    },
  ) {
    super(summary.label, vscode.TreeItemCollapsibleState.None);
    this.profile = profile;
    this.id = `session:${profile.id}`;
    this.description = summary.description;
    this.tooltip = summary.tooltip;
    this.iconPath = new vscode.ThemeIcon(
      summary.state === 'valid'
        ? 'pass'
        : summary.state === 'renewing'
          ? 'sync'
          : summary.state === 'expired'
            ? 'history'
            : 'sign-in',
    );
    // A client-credentials session has no refresh token: no Refresh in its menus (Get Token renews it).
    this.contextValue = summary.refreshable ? 'session.refreshable' : 'session';
    this.command = {
      command: 'nhsAuth.openInspector',
      title: 'Open Token Inspector',
      arguments: [profile.id],
    };
  }
}

/** An environment pairing warning on a profile: a KID, key or API key that belongs to another environment. */
export class PairingWarningNode extends vscode.TreeItem {
  readonly kind = 'pairing';
  readonly profile: Profile;
  readonly finding: PreflightFinding;

  constructor(profile: Profile, finding: PreflightFinding, index: number) {
    super(finding.message, vscode.TreeItemCollapsibleState.None);
    this.profile = profile;
    this.finding = finding;
    this.id = `pairing:${profile.id}:${finding.rule}:${index}`;
    const answer = finding.platformError
      ? `\n\nThe platform would likely answer ${finding.platformError.status} \`${finding.platformError.error_description}\`.`
      : '';
    this.tooltip = new vscode.MarkdownString(`**${finding.message}**${answer}\n\n**Fix:** ${finding.fix}`);
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.contextValue = 'pairingWarning';
  }
}

/** A leaf that invites the next step, e.g. "Generate a key". */
export class ActionNode extends vscode.TreeItem {
  readonly kind = 'action';

  constructor(id: string, label: string, command: vscode.Command, icon: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.command = command;
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = 'action';
  }
}

export type TreeNode = ProfileNode | KeyNode | SessionNode | PairingWarningNode | ActionNode;
