// Wires the extension: builds each service once and registers every disposable. Nothing else.
import * as vscode from 'vscode';
import { EmulatorHost } from './vscode/emulatorHost.ts';
import { DisposableStore } from './vscode/lifecycle.ts';
import { Log } from './vscode/output.ts';
import { ProfileStore } from './vscode/profileStore.ts';
import { Secrets } from './vscode/secrets.ts';
import type { Services } from './vscode/services.ts';
import { EnvironmentsModel } from './vscode/tree/environmentsModel.ts';
import { EnvironmentsTreeProvider } from './vscode/tree/environmentsTreeProvider.ts';
import { registerRefreshTreeCommand } from './vscode/commands/refreshTree.ts';
import { registerShowLogCommand } from './vscode/commands/showLog.ts';
import { registerOpenWalkthroughCommand } from './vscode/commands/openWalkthrough.ts';

/** What activate() returns: used by the extension-host tests and by other extensions. */
export interface NhsAuthExplorerApi {
  readonly services: Services;
  readonly tree: EnvironmentsTreeProvider;
  readonly activatedInMs: number;
}

export function activate(context: vscode.ExtensionContext): NhsAuthExplorerApi {
  const started = performance.now();
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);

  const log = disposables.register(new Log());
  const profiles = disposables.register(new ProfileStore(context.globalState));
  const model = disposables.register(new EnvironmentsModel(profiles));
  const services: Services = {
    context,
    profiles,
    secrets: new Secrets(context.secrets),
    log,
    emulator: disposables.register(new EmulatorHost(log)),
    model,
  };

  const tree = disposables.register(new EnvironmentsTreeProvider(model));
  disposables.register(vscode.window.createTreeView('nhsAuth.environments', { treeDataProvider: tree, showCollapseAll: true }));

  disposables.register(registerRefreshTreeCommand(services));
  disposables.register(registerShowLogCommand(services));
  disposables.register(registerOpenWalkthroughCommand(services));

  return { services, tree, activatedInMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
