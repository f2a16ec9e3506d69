import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';

/**
 * Where the cross-window refresh locks live: the extension's global storage, which every window of
 * this VS Code user shares on this machine; or, where that is not a local folder, a per-user folder
 * in the temp directory (created 0700 by the lease).
 */
export function refreshLeaseDir(context: Pick<vscode.ExtensionContext, 'globalStorageUri'>): string {
  if (context.globalStorageUri.scheme === 'file')
    return join(context.globalStorageUri.fsPath, 'refresh-locks');
  return join(tmpdir(), `nhs-auth-explorer-${userInfo().uid}`, 'refresh-locks');
}
