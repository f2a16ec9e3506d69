import * as vscode from 'vscode';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { resolveProfile } from '../commandArgs.ts';
import { runTokenCall } from '../sessions/runTokenCall.ts';
import type { TokenServices } from '../sessions/tokenServices.ts';
import { registerCommand } from '../registerCommand.ts';

function flag(arg: unknown, name: string): unknown {
  return typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[name] : undefined;
}

/** Refresh, auto-refresh, sign out and copy: the life of a session after its first token. */
export function registerSessionCommands(services: TokenServices): vscode.Disposable[] {
  return [
    registerCommand(
      services.log,
      'nhsAuth.refreshSession',
      async (arg?: unknown): Promise<SessionSnapshot | undefined> => {
        const profile = await resolveProfile(services, arg, 'Refresh Session');
        if (!profile) return undefined;
        return runTokenCall(services, profile, 'Refresh', arg, () => services.tokens.refresh(profile.id));
      },
    ),
    registerCommand(
      services.log,
      'nhsAuth.toggleAutoRefresh',
      async (arg?: unknown): Promise<boolean | undefined> => {
        const profile = await resolveProfile(services, arg, 'Auto-Refresh');
        if (!profile) return undefined;
        const session = await services.tokens.store.load(profile.id);
        const on =
          typeof flag(arg, 'on') === 'boolean' ? (flag(arg, 'on') as boolean) : !session?.autoRefresh;
        await services.tokens.setAutoRefresh(profile.id, on);
        void vscode.window.setStatusBarMessage(`Auto-refresh ${on ? 'on' : 'off'} for ${profile.name}`, 3000);
        return on;
      },
    ),
    registerCommand(services.log, 'nhsAuth.signOut', async (arg?: unknown): Promise<boolean> => {
      const profile = await resolveProfile(services, arg, 'Sign Out');
      if (!profile) return false;
      await services.tokens.signOut(profile.id);
      services.log.info(`Signed out of "${profile.name}": its tokens were deleted from SecretStorage.`);
      return true;
    }),
    registerCommand(services.log, 'nhsAuth.copyAccessToken', async (arg?: unknown): Promise<boolean> => {
      const profile = await resolveProfile(services, arg, 'Copy Access Token');
      if (!profile) return false;
      const token = await runTokenCall(services, profile, 'Access token', arg, () =>
        services.tokens.accessToken(profile.id),
      );
      if (!token) return false;
      await vscode.env.clipboard.writeText(token);
      void vscode.window.setStatusBarMessage('$(check) Access token copied', 3000);
      return true;
    }),
  ];
}
