import * as vscode from 'vscode';
import type { KeyServices } from '../keyServices.ts';
import { generateKey } from './generateKey.ts';
import { registerCommand } from '../registerCommand.ts';

/** Adds a new KID while the old key stays active and in the JWKS: two live keys until you retire the old one. */
export function registerRotateKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.rotateKey', async (arg?: unknown) => {
    const record = await generateKey(services, arg, 'Rotate Key');
    if (record) {
      void vscode.window.showInformationMessage(
        `Rotated: ${record.kid} now signs. Upload the new JWKS, then retire the old KID. The platform caches a JWKS URL for up to an hour, so wait before retiring.`,
      );
    }
    return record;
  });
}
