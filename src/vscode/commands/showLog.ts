import type * as vscode from 'vscode';
import type { Services } from '../services.ts';
import { registerCommand } from '../registerCommand.ts';

export function registerShowLogCommand(services: Services): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.showLog', () => services.log.show());
}
