import * as vscode from 'vscode';

/**
 * `npm start` serves a workbench made for this extension: it sets NHS_AUTH_REVEAL_VIEW=1 so the
 * window opens on the Environments view instead of the Explorer. Nothing happens elsewhere.
 */
export function revealViewOnStart(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NHS_AUTH_REVEAL_VIEW !== '1') return;
  void vscode.commands.executeCommand('workbench.view.extension.nhsAuth');
}
