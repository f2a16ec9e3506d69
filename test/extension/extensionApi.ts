// Shared by the extension-host tests: the activated product, never a copy of it.
import * as vscode from 'vscode';
import type { NhsAuthExplorerApi } from '../../src/extension.ts';

export const EXTENSION_ID = 'nhs-auth-tools.nhs-auth-explorer';

export async function activateExtension(): Promise<NhsAuthExplorerApi> {
  const ext = vscode.extensions.getExtension<NhsAuthExplorerApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}
