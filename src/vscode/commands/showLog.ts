import * as vscode from 'vscode';
import type { Services } from '../services.ts';

export function registerShowLogCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('nhsAuth.showLog', () => services.log.show());
}
