import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { kidOf, resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';

/** The only way a private key leaves SecretStorage: explicit, with a warning, to a 0600 file. */
export function registerExportPrivateKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.exportPrivateKey',
    async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const profile = await resolveProfile(services, arg, 'Export Private Key');
      if (!profile) return undefined;
      const kid = kidOf(arg) ?? (await services.keyring.signingKey(profile.id)).kid;
      const given = (typeof arg === 'object' && arg !== null ? arg : {}) as {
        uri?: vscode.Uri;
        confirmed?: boolean;
      };
      if (given.confirmed !== true) {
        const ok = await vscode.window.showWarningMessage(
          `Export the PRIVATE key ${kid} to a file?`,
          {
            modal: true,
            detail:
              'Anyone with this file can sign client assertions as your application. Never commit it, never share it, and delete it when done.',
          },
          'Export Private Key',
        );
        if (ok !== 'Export Private Key') return undefined;
      }
      const uri =
        given.uri ??
        (await vscode.window.showSaveDialog({
          title: `Save ${kid}.pem`,
          filters: { 'PEM private key': ['pem'] },
        }));
      if (!uri) return undefined;
      const pem = await services.keyring.privateKey(profile.id, kid);
      if (uri.scheme === 'file') await writeFile(uri.fsPath, pem, { mode: 0o600 });
      else await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(pem));
      services.log.warn(
        `Private key ${kid} of "${profile.name}" was exported to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}.`,
      );
      return uri;
    },
  );
}
