import * as vscode from 'vscode';
import type { Services } from '../services.ts';

export function registerOpenWalkthroughCommand(services: Services): vscode.Disposable {
  const id = `${services.context.extension.id}#nhsAuth.gettingStarted`;
  return vscode.commands.registerCommand('nhsAuth.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', id, false),
  );
}
