import * as vscode from 'vscode';
import type { Log } from './output.ts';
import { showError } from './showError.ts';

/**
 * Registers a command whose failures reach the user explained (a notification with the cause and
 * fix), not as VS Code's bare "command failed". Callers that pass `{ throwErrors: true }` (tests,
 * other extensions) get the error thrown instead.
 */
export function registerCommand(
  log: Log,
  id: string,
  handler: (...args: never[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      const first = args[0];
      if (
        typeof first === 'object' &&
        first !== null &&
        (first as { throwErrors?: unknown }).throwErrors === true
      )
        throw e;
      await showError(log, e);
      return undefined;
    }
  });
}
