import * as vscode from 'vscode';
import type { Services } from '../services.ts';

export function registerRefreshTreeCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('nhsAuth.refreshTree', () => services.model.refresh());
}
