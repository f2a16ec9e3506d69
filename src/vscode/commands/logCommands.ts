import * as vscode from 'vscode';
import { getEnvironment } from '../../core/environments.ts';
import { supportBundle } from '../../core/log/supportBundle.ts';
import { toCurl } from '../../core/log/toCurl.ts';
import { resolveProfile } from '../commandArgs.ts';
import { secretKeys } from '../secrets.ts';
import type { TokenServices } from '../sessions/tokenServices.ts';
import { registerCommand } from '../registerCommand.ts';

function silent(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { silent?: unknown }).silent === true;
}

/** Copy as curl and the support bundle: both built from already-redacted log entries. */
export function registerLogCommands(services: TokenServices): vscode.Disposable[] {
  return [
    registerCommand(
      services.log,
      'nhsAuth.copyAsCurl',
      async (arg?: unknown): Promise<string | undefined> => {
        const profile = await resolveProfile(services, arg, 'Copy as curl');
        if (!profile) return undefined;
        const entry = services.tokens.requestLog.last(profile.id);
        if (!entry) {
          void vscode.window.showInformationMessage(
            `No request has been made for "${profile.name}" yet in this window.`,
          );
          return undefined;
        }
        const curl = toCurl(entry);
        await vscode.env.clipboard.writeText(curl);
        if (!silent(arg))
          void vscode.window.showInformationMessage(
            'curl command copied. Secrets are placeholders such as $CLIENT_SECRET: set them in your shell first.',
          );
        return curl;
      },
    ),
    registerCommand(
      services.log,
      'nhsAuth.createSupportBundle',
      async (arg?: unknown): Promise<string | undefined> => {
        const profile = await resolveProfile(services, arg, 'Create Support Bundle');
        if (!profile) return undefined;
        const apiKey = (await services.secrets.get(secretKeys.apiKey(profile.id))) ?? '';
        const clientSecret = await services.secrets.get(secretKeys.clientSecret(profile.id));
        const session = await services.tokens.store.load(profile.id);
        const markdown = supportBundle({
          appName: profile.name,
          environment: getEnvironment(profile.environmentId).label,
          apiKey,
          entries: services.tokens.requestLog.list(profile.id),
          secrets: [clientSecret, session?.accessToken, session?.refreshToken, session?.idToken],
        });
        if (!silent(arg)) {
          const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
          await vscode.window.showTextDocument(doc, { preview: false });
        }
        return markdown;
      },
    ),
  ];
}
