import type * as vscode from 'vscode';
import { resolveProfile } from '../commandArgs.ts';
import type { Services } from '../services.ts';
import { registerCommand } from '../registerCommand.ts';

export function registerSelectProfileCommand(services: Services): vscode.Disposable {
  return registerCommand(services.log, 'nhsAuth.selectProfile', async (arg?: unknown): Promise<void> => {
    const profile = await resolveProfile(services, arg, 'Select Active Profile');
    if (profile) await services.profiles.setActive(profile.id);
  });
}
