import * as vscode from 'vscode';
import { getEnvironment } from '../../core/environments.ts';
import type { Profile } from '../../core/profiles/profile.ts';
import { confirmProduction } from '../commandArgs.ts';
import { profileTokenUrl } from '../profileUrls.ts';
import { showError } from '../showError.ts';
import type { TokenServices } from './tokenServices.ts';

/**
 * Runs one network call for a command: production confirmation, a cancellable progress
 * notification, and on failure the explained error. Returns undefined when it did not complete.
 * Options with `throwErrors: true` (used by tests and other extensions) rethrow instead.
 */
export async function runTokenCall<T>(
  services: TokenServices,
  profile: Profile,
  title: string,
  arg: unknown,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  if (!(await confirmProduction(profile, title, arg))) return undefined;
  const controller = new AbortController();
  try {
    return await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `${title}: ${profile.name}…`,
        cancellable: true,
      },
      (_p, token) => {
        token.onCancellationRequested(() => controller.abort());
        return call(controller.signal);
      },
    );
  } catch (e) {
    const rethrow =
      typeof arg === 'object' && arg !== null && (arg as { throwErrors?: unknown }).throwErrors === true;
    const apiKey = await services.tokens.credentials(profile.id).then(
      (c) => c.apiKey,
      () => undefined,
    );
    const explanation = await showError(services.log, e, {
      environment: getEnvironment(profile.environmentId).label,
      tokenUrl: await profileTokenUrl(profile, services.emulator).catch(() => undefined),
      apiKey,
      session: await services.tokens.store.load(profile.id),
      timeoutMs: services.tokens.timeoutMs(),
    });
    if (rethrow) throw Object.assign(e instanceof Error ? e : new Error(String(e)), { explanation });
    return undefined;
  }
}
