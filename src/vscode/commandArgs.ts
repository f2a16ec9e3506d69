import * as vscode from 'vscode';
import type { Profile } from '../core/profiles/profile.ts';
import { getEnvironment } from '../core/environments.ts';
import { AuthExplorerError } from '../core/errors.ts';
import type { Services } from './services.ts';

// Commands are invoked from the palette (no argument), the tree (a node) or code and tests
// (a profile id or an options object). These helpers turn any of those into a profile.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function profileIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (isObject(arg) && isObject(arg.profile) && typeof arg.profile.id === 'string') return arg.profile.id;
  if (isObject(arg) && typeof arg.profileId === 'string') return arg.profileId;
  return undefined;
}

export function kidOf(arg: unknown): string | undefined {
  if (isObject(arg) && isObject(arg.key) && typeof (arg.key as { kid?: unknown }).kid === 'string')
    return (arg.key as { kid: string }).kid;
  if (isObject(arg) && typeof arg.kid === 'string') return arg.kid;
  return undefined;
}

/** The profile a command acts on: the one given, else the only/active one, else ask. */
export async function resolveProfile(
  services: Services,
  arg: unknown,
  purpose: string,
): Promise<Profile | undefined> {
  const id = profileIdOf(arg);
  if (id) return services.profiles.get(id);
  const all = services.profiles.list();
  if (all.length === 0) {
    const add = 'Add Profile';
    const choice = await vscode.window.showInformationMessage('There are no NHS Auth profiles yet.', add);
    if (choice === add) await vscode.commands.executeCommand('nhsAuth.addProfile');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const active = services.profiles.activeId();
  const picked = await vscode.window.showQuickPick(
    all.map((p) => ({
      label: p.name,
      description: getEnvironment(p.environmentId).label,
      detail: p.id === active ? 'active profile' : undefined,
      profile: p,
    })),
    { title: purpose, placeHolder: 'Choose a profile' },
  );
  return picked?.profile;
}

/** Production is real patient data: ask before anything is sent there. Tests pass { confirmed: true }. */
export async function confirmProduction(profile: Profile, action: string, arg?: unknown): Promise<boolean> {
  if (profile.environmentId !== 'prod') return true;
  if (isObject(arg) && arg.confirmed === true) return true;
  const go = 'Continue';
  const choice = await vscode.window.showWarningMessage(
    `"${profile.name}" is a PRODUCTION profile. ${action}?`,
    { modal: true, detail: 'Requests go to api.service.nhs.uk with your production credentials.' },
    go,
  );
  return choice === go;
}

export function requireValue<T>(
  value: T | undefined,
  code: 'ERR_SECRET_MISSING' | 'ERR_NO_ACTIVE_KEY',
  message: string,
): T {
  if (value === undefined || value === '') throw new AuthExplorerError(code, message);
  return value;
}
