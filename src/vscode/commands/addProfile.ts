import * as vscode from 'vscode';
import { ENVIRONMENTS, getEnvironment, type EnvironmentId } from '../../core/environments.ts';
import { createProfile, validateProfileName } from '../../core/profiles/profile.ts';
import { DEFAULT_CALLBACK_URL, localCredentials } from '../keyring.ts';
import type { KeyServices } from '../keyServices.ts';
import { secretKeys } from '../secrets.ts';
import { validateHttpUrl } from '../../core/environments.ts';
import { registerCommand } from '../registerCommand.ts';

export interface AddProfileArgs {
  name?: string;
  environmentId?: EnvironmentId;
  apiKey?: string;
  clientSecret?: string;
  callbackUrl?: string;
  customTokenUrl?: string;
  customAuthorizeUrl?: string;
}

/** Multi-step: environment, name, then API key, client secret and callback URL (local profiles get generated ones). */
export function registerAddProfileCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.addProfile',
    async (args?: AddProfileArgs): Promise<string | undefined> => {
      const a = args ?? {};
      const environmentId = a.environmentId ?? (await pickEnvironment());
      if (!environmentId) return undefined;
      const env = getEnvironment(environmentId);
      let customTokenUrl = a.customTokenUrl;
      if (environmentId === 'custom' && !customTokenUrl) {
        customTokenUrl = await ask(
          'Token URL of the provider',
          'https://auth.example.com/oauth2/token',
          false,
          validateHttpUrl,
        );
        if (!customTokenUrl) return undefined;
      }
      const others = services.profiles.list();
      const name =
        a.name ??
        (await ask(
          'Profile name',
          env.label,
          false,
          (v) => validateProfileName(v, others),
          uniqueName(env.label, new Set(others.map((p) => p.name))),
        ));
      if (!name) return undefined;

      const generated = environmentId === 'local' ? localCredentials() : undefined;
      const apiKey =
        a.apiKey ??
        generated?.apiKey ??
        (await ask(`API key of your ${env.label} app (from the developer portal)`, 'API key', true, (v) =>
          v.trim() ? undefined : 'The API key is required: it is the iss and sub of every client assertion.',
        ));
      if (!apiKey) return undefined;
      const clientSecret =
        a.clientSecret ??
        generated?.clientSecret ??
        (await ask(
          'Client secret (optional: needed for authorization code and refresh)',
          'leave empty to skip',
          true,
        ));
      if (clientSecret === undefined) return undefined;
      const callbackUrl =
        a.callbackUrl ??
        (environmentId === 'local'
          ? DEFAULT_CALLBACK_URL
          : await ask('Callback URL registered for the app (optional)', DEFAULT_CALLBACK_URL, false, (v) =>
              v ? validateHttpUrl(v) : undefined,
            ));
      if (callbackUrl === undefined) return undefined;

      // Validates the name and every URL (ERR_ARGUMENT / ERR_URL_INVALID) before anything is stored.
      const profile = {
        ...createProfile(
          {
            name,
            environmentId,
            customTokenUrl,
            customAuthorizeUrl: a.customAuthorizeUrl,
            callbackUrl: callbackUrl || undefined,
          },
          others,
        ),
        hasClientSecret: Boolean(clientSecret),
      };
      // Secrets first: a profile never appears without its credentials.
      await services.secrets.store(secretKeys.apiKey(profile.id), apiKey.trim());
      if (clientSecret)
        await services.secrets.store(secretKeys.clientSecret(profile.id), clientSecret.trim());
      await services.profiles.save(profile);
      await services.keyring.syncEmulatorApp(profile.id);
      services.log.info(`Added profile "${profile.name}" for ${env.label}.`);
      return profile.id;
    },
  );
}

async function pickEnvironment(): Promise<EnvironmentId | undefined> {
  const picked = await vscode.window.showQuickPick(
    ENVIRONMENTS.map((e) => ({
      label: e.label,
      description: e.host
        ? `${e.host}/${e.basePath}`
        : e.id === 'local'
          ? 'offline, default'
          : 'any token URL',
      detail: `${e.signIn} · ${e.availability}${e.deprecated ? ' · deprecated' : ''}`,
      id: e.id,
    })),
    {
      title: 'Add Profile (1/4): environment',
      placeHolder: 'Which environment does this profile target?',
      matchOnDetail: true,
    },
  );
  return picked?.id;
}

function uniqueName(base: string, existing: Set<string>): string {
  if (!existing.has(base)) return base;
  for (let i = 2; ; i++) if (!existing.has(`${base} ${i}`)) return `${base} ${i}`;
}

function ask(
  prompt: string,
  placeHolder: string,
  password: boolean,
  validate?: (v: string) => string | undefined,
  value?: string,
): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Add Profile',
    prompt,
    placeHolder,
    password,
    value,
    ignoreFocusOut: true,
    validateInput: validate,
  });
}
