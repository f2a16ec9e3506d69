import * as vscode from 'vscode';
import type { Services } from '../services.ts';
import { registerCommand } from '../registerCommand.ts';

export function registerOpenWalkthroughCommand(services: Services): vscode.Disposable {
  const id = `${services.context.extension.id}#nhsAuth.gettingStarted`;
  return registerCommand(services.log, 'nhsAuth.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', id, false),
  );
}
