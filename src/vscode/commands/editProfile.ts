import * as vscode from 'vscode';
import { validateHttpUrl } from '../../core/environments.ts';
import { updateProfile } from '../../core/profiles/profile.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { secretKeys } from '../secrets.ts';
import { registerCommand } from '../registerCommand.ts';

export interface EditProfileArgs {
  profileId: string;
  name?: string;
  apiKey?: string;
  clientSecret?: string;
  callbackUrl?: string;
}

export function registerEditProfileCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.editProfile', async (arg?: unknown): Promise<void> => {
    const profile = await resolveProfile(services, arg, 'Edit Profile');
    if (!profile) return;
    const given = (
      typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}
    ) as Partial<EditProfileArgs>;
    let edits: Partial<EditProfileArgs> = given;
    if (Object.keys(given).filter((k) => k !== 'profileId').length === 0) {
      const field = await vscode.window.showQuickPick(
        [
          { label: 'Name', id: 'name' as const, detail: profile.name },
          { label: 'API key', id: 'apiKey' as const, detail: 'stored in SecretStorage' },
          {
            label: 'Client secret',
            id: 'clientSecret' as const,
            detail: profile.hasClientSecret ? 'set' : 'not set',
          },
          { label: 'Callback URL', id: 'callbackUrl' as const, detail: profile.callbackUrl ?? 'not set' },
        ],
        { title: `Edit "${profile.name}"` },
      );
      if (!field) return;
      const secret = field.id === 'apiKey' || field.id === 'clientSecret';
      const value = await vscode.window.showInputBox({
        title: `Edit ${field.label}`,
        password: secret,
        value: secret ? '' : field.id === 'name' ? profile.name : (profile.callbackUrl ?? ''),
        ignoreFocusOut: true,
        validateInput: (v) =>
          field.id === 'callbackUrl' && v
            ? validateHttpUrl(v)
            : field.id === 'name' && !v.trim()
              ? 'A name is required.'
              : undefined,
      });
      if (value === undefined) return;
      edits = { [field.id]: value };
    }
    if (edits.apiKey !== undefined && edits.apiKey.trim())
      await services.secrets.store(secretKeys.apiKey(profile.id), edits.apiKey.trim());
    if (edits.clientSecret !== undefined) {
      if (edits.clientSecret.trim())
        await services.secrets.store(secretKeys.clientSecret(profile.id), edits.clientSecret.trim());
      else await services.secrets.delete(secretKeys.clientSecret(profile.id));
    }
    const patch: Parameters<typeof updateProfile>[1] = {};
    if (edits.name?.trim()) patch.name = edits.name;
    if (edits.callbackUrl !== undefined) patch.callbackUrl = edits.callbackUrl.trim() || undefined;
    if (edits.clientSecret !== undefined) patch.hasClientSecret = Boolean(edits.clientSecret.trim());
    await services.profiles.save(
      updateProfile(services.profiles.get(profile.id), patch, services.profiles.list()),
    );
    await services.keyring.syncEmulatorApp(profile.id);
  });
}
