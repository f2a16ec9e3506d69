import * as vscode from 'vscode';
import { importPkcs12, importPrivateKeyPem } from '../../core/keys/importKey.ts';
import type { KeyRecord } from '../../core/profiles/profile.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';

interface ImportKeyArgs {
  profileId: string;
  uri?: vscode.Uri;
  passphrase?: string;
}

/** Imports an RSA private key (PEM, PKCS#1 or PKCS#8) or a PKCS#12/PFX file; it must be 4096-bit. */
export function registerImportKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.importKey',
    async (arg?: unknown): Promise<KeyRecord | undefined> => {
      const profile = await resolveProfile(services, arg, 'Import Key');
      if (!profile) return undefined;
      const given = (
        typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}
      ) as Partial<ImportKeyArgs>;
      const uri =
        given.uri ??
        (
          await vscode.window.showOpenDialog({
            title: 'Import a private key',
            canSelectMany: false,
            openLabel: 'Import',
            filters: { 'Private keys': ['pem', 'key', 'pfx', 'p12'], 'All files': ['*'] },
          })
        )?.[0];
      if (!uri) return undefined;
      const bytes = await vscode.workspace.fs.readFile(uri);
      let pair;
      if (/\.(pfx|p12)$/i.test(uri.path)) {
        const passphrase =
          given.passphrase ??
          (await vscode.window.showInputBox({
            title: 'PKCS#12 passphrase',
            password: true,
            ignoreFocusOut: true,
          }));
        if (passphrase === undefined) return undefined;
        pair = importPkcs12(bytes, passphrase);
      } else {
        pair = importPrivateKeyPem(new TextDecoder().decode(bytes));
      }
      const record = await services.keyring.add(profile.id, pair);
      services.log.info(`Imported a key into "${profile.name}" as ${record.kid}.`);
      return record;
    },
  );
}
