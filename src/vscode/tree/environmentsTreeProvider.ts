import * as vscode from 'vscode';
import type { EnvironmentsModel } from './environmentsModel.ts';
import {
  ActionNode,
  KeyNode,
  PairingWarningNode,
  ProfileNode,
  SessionNode,
  type TreeNode,
} from './treeNodes.ts';

/** Adapts the EnvironmentsModel to VS Code's tree: profiles, then their session and KIDs. */
export class EnvironmentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly model: EnvironmentsModel;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(model: EnvironmentsModel) {
    this.model = model;
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const active = this.model.activeProfileId();
      const pairing = await this.model.pairingFindings();
      return this.model
        .profiles()
        .map((p) => new ProfileNode(p, p.id === active, pairing.filter((f) => f.profileId === p.id).length));
    }
    if (!(node instanceof ProfileNode)) return [];
    const profile = node.profile;
    const children: TreeNode[] = [];
    for (const [i, f] of (await this.model.pairingFindings())
      .filter((x) => x.profileId === profile.id)
      .entries())
      children.push(new PairingWarningNode(profile, f, i));
    const summary = await this.model.sessionSummary(profile.id);
    if (summary) children.push(new SessionNode(profile, summary));
    const keys = [...profile.keys].sort((a, b) => b.createdAt - a.createdAt);
    for (const key of keys) children.push(new KeyNode(profile, key));
    if (keys.length === 0) {
      children.push(
        new ActionNode(
          `generate:${profile.id}`,
          'Generate a key pair…',
          { command: 'nhsAuth.generateKey', title: 'Generate Key', arguments: [profile.id] },
          'add',
        ),
      );
    }
    return children;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
