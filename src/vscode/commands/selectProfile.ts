import * as vscode from 'vscode';
import { resolveProfile } from '../commandArgs.ts';
import type { Services } from '../services.ts';

export function registerSelectProfileCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('nhsAuth.selectProfile', async (arg?: unknown): Promise<void> => {
    const profile = await resolveProfile(services, arg, 'Select Active Profile');
    if (profile) await services.profiles.setActive(profile.id);
  });
}
