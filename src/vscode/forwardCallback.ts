// Before a sign-in opens the browser: forward the callback listener's port to the user's machine
// (vscode.env.asExternalUri; a no-op when VS Code runs locally) and stop early, with the reason, when
// the browser could reach it only at another address than the registered redirect URI.
import * as vscode from 'vscode';
import { AuthExplorerError } from '../core/errors.ts';
import { compareForwardedRedirect } from '../core/token/forwardedRedirect.ts';
import type { Log } from './output.ts';

export async function forwardCallback(redirectUri: string, log: Log): Promise<void> {
  let external: string;
  try {
    external = (await vscode.env.asExternalUri(vscode.Uri.parse(redirectUri))).toString(true);
  } catch (e) {
    // A host without port forwarding: nothing to compare, the sign-in goes ahead as before.
    log.warn(`The callback ${redirectUri} could not be forwarded: ${(e as Error).message}`);
    return;
  }
  const verdict = compareForwardedRedirect(redirectUri, external);
  if (verdict.kind === 'proxied') {
    log.info(
      `The callback ${redirectUri} is reached through the workbench's port proxy (${verdict.external}); the redirect arrives when the browser runs on the same machine as VS Code's server.`,
    );
  } else if (verdict.kind === 'mismatch') {
    throw new AuthExplorerError(
      'ERR_REDIRECT_FORWARDED',
      `The sign-in callback ${redirectUri} is forwarded to ${verdict.external} in this remote window, so the platform's redirect to ${redirectUri} cannot reach it.`,
      {
        redirectUri,
        external: verdict.external,
        remoteName: vscode.env.remoteName,
      },
    );
  }
}
