import * as vscode from 'vscode';
import { isAuthExplorerError } from '../../core/errors.ts';
import type { KeyRecord } from '../../core/profiles/profile.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';

/** Generates an RSA-4096 key pair on this machine, with a cancellable progress notification. */
export function registerGenerateKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.generateKey', (arg?: unknown) =>
    generateKey(services, arg, 'Generate Key'),
  );
}

export async function generateKey(
  services: KeyServices,
  arg: unknown,
  title: string,
): Promise<KeyRecord | undefined> {
  const profile = await resolveProfile(services, arg, title);
  if (!profile) return undefined;
  const controller = new AbortController();
  try {
    const record = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Generating an RSA-4096 key for "${profile.name}"…`,
        cancellable: true,
      },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return services.keyring.generate(profile.id, controller.signal);
      },
    );
    services.log.info(`Generated ${record.kid} for "${profile.name}" (thumbprint ${record.thumbprint}).`);
    void vscode.window
      .showInformationMessage(
        `Key ${record.kid} is ready. Upload the JWKS to your app in the developer portal.`,
        'Export JWKS',
        'Copy JWKS',
      )
      .then((choice) => {
        if (choice === 'Export JWKS') void vscode.commands.executeCommand('nhsAuth.exportJwks', profile.id);
        if (choice === 'Copy JWKS') void vscode.commands.executeCommand('nhsAuth.copyJwks', profile.id);
      });
    return record;
  } catch (e) {
    if (isAuthExplorerError(e) && e.code === 'ERR_CANCELLED') return undefined;
    throw e;
  }
}
