import * as vscode from 'vscode';
import { AuthExplorerError } from '../../core/errors.ts';
import { kidOf, resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';

function confirmedIn(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { confirmed?: unknown }).confirmed === true;
}

async function pickKid(
  services: KeyServices,
  arg: unknown,
  title: string,
): Promise<{ profileId: string; kid: string } | undefined> {
  const profile = await resolveProfile(services, arg, title);
  if (!profile) return undefined;
  const kid =
    kidOf(arg) ??
    (
      await vscode.window.showQuickPick(
        profile.keys.map((k) => ({ label: k.kid, description: k.status })),
        { title },
      )
    )?.label;
  if (!kid) return undefined;
  if (!profile.keys.some((k) => k.kid === kid))
    throw new AuthExplorerError('ERR_KID_UNKNOWN', `Profile "${profile.name}" has no key ${kid}.`);
  return { profileId: profile.id, kid };
}

/** Retired keys stop signing and leave the JWKS; the private key is kept until deleted. */
export function registerRetireKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.retireKey', async (arg?: unknown): Promise<boolean> => {
    const target = await pickKid(services, arg, 'Retire Key');
    if (!target) return false;
    if (!confirmedIn(arg)) {
      const ok = await vscode.window.showWarningMessage(
        `Retire ${target.kid}?`,
        {
          modal: true,
          detail: 'It stops signing and leaves the exported JWKS. Re-upload the JWKS afterwards.',
        },
        'Retire',
      );
      if (ok !== 'Retire') return false;
    }
    await services.keyring.retire(target.profileId, target.kid);
    return true;
  });
}

/** Deletes a key and its private half. The KID is never handed out again. */
export function registerDeleteKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.deleteKey', async (arg?: unknown): Promise<boolean> => {
    const target = await pickKid(services, arg, 'Delete Key');
    if (!target) return false;
    if (!confirmedIn(arg)) {
      const ok = await vscode.window.showWarningMessage(
        `Delete ${target.kid} and its private key?`,
        { modal: true, detail: 'This cannot be undone. The KID will not be reused.' },
        'Delete',
      );
      if (ok !== 'Delete') return false;
    }
    await services.keyring.delete(target.profileId, target.kid);
    return true;
  });
}
