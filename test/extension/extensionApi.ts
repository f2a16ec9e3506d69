// Shared by the extension-host tests: the activated product, never a copy of it.
import * as vscode from 'vscode';
import type { NhsAuthExplorerExports, NhsAuthExplorerTestHooks } from '../../src/extension.ts';

export const EXTENSION_ID = 'nhs-auth-tools.nhs-auth-explorer';

/** What any extension gets: the public API (plus `testing`, since these tests run with NHS_AUTH_TEST=1). */
export async function activatePublicApi(): Promise<NhsAuthExplorerExports> {
  const ext = vscode.extensions.getExtension<NhsAuthExplorerExports>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}

/** The extension's internals, through the test-only switch. */
export async function activateExtension(): Promise<NhsAuthExplorerTestHooks> {
  const testing = (await activatePublicApi()).testing;
  if (!testing) throw new Error('the extension-host tests need NHS_AUTH_TEST=1 (the test-only switch)');
  return testing;
}
