import * as vscode from 'vscode';
import { resolveProfile } from '../commandArgs.ts';
import type { TokenServices } from '../sessions/tokenServices.ts';
import { registerCommand } from '../registerCommand.ts';

/** Removes a profile and every secret it owns (API key, client secret, private keys, session). */
export function registerRemoveProfileCommand(services: TokenServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.removeProfile', async (arg?: unknown): Promise<boolean> => {
    const profile = await resolveProfile(services, arg, 'Remove Profile');
    if (!profile) return false;
    const confirmed =
      typeof arg === 'object' && arg !== null && (arg as { confirmed?: unknown }).confirmed === true;
    if (!confirmed) {
      const remove = 'Remove';
      const choice = await vscode.window.showWarningMessage(
        `Remove profile "${profile.name}"?`,
        {
          modal: true,
          detail: `This deletes its API key, client secret, ${profile.keys.length} private key(s) and any session from SecretStorage. Export a private key first if you still need it.`,
        },
        remove,
      );
      if (choice !== remove) return false;
    }
    // The session's owner ends it first: its timer stops and the authentication provider reports it removed.
    await services.tokens.sessions.profileRemoved(profile.id);
    await services.secrets.deleteProfile(profile.id, profile.kidsEverUsed);
    await services.profiles.remove(profile.id);
    services.log.info(`Removed profile "${profile.name}" and its secrets.`);
    return true;
  });
}
