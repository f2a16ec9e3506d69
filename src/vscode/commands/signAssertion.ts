import * as vscode from 'vscode';
import { signClientAssertion } from '../../core/assertion/signClientAssertion.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { decodeJwtParts } from '../../core/jwt/decode.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { profileTokenUrl } from '../profileUrls.ts';
import { secretKeys } from '../secrets.ts';
import { registerCommand } from '../registerCommand.ts';

/** Signs a client assertion exactly as the platform demands, copies it, and shows it decoded. */
export function registerSignAssertionCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.signAssertion',
    async (arg?: unknown): Promise<string | undefined> => {
      const profile = await resolveProfile(services, arg, 'Sign Client Assertion');
      if (!profile) return undefined;
      const silent = typeof arg === 'object' && arg !== null && (arg as { silent?: unknown }).silent === true;
      const jwt = await signFor(services, profile.id);
      await vscode.env.clipboard.writeText(jwt);
      if (!silent) {
        const { header, payload } = decodeJwtParts(jwt);
        const doc = await vscode.workspace.openTextDocument({
          language: 'jsonc',
          content: `// Client assertion for "${profile.name}" (copied to the clipboard). Signature omitted here.\n${JSON.stringify({ header, payload }, null, 2)}\n`,
        });
        await vscode.window.showTextDocument(doc, { preview: true });
      }
      return jwt;
    },
  );
}

/** Signs with the profile's newest active key. Its jti counts as used only once it is sent (see JtiHistory). */
export async function signFor(services: KeyServices, profileId: string): Promise<string> {
  const profile = services.profiles.get(profileId);
  const apiKey = await services.secrets.get(secretKeys.apiKey(profileId));
  if (!apiKey)
    throw new AuthExplorerError(
      'ERR_SECRET_MISSING',
      `Profile "${profile.name}" has no API key: edit the profile to add it.`,
    );
  const { kid, privateKeyPem } = await services.keyring.signingKey(profileId);
  const lifetime = vscode.workspace.getConfiguration('nhsAuth').get<number>('assertionLifetimeSeconds', 300);
  return signClientAssertion({
    privateKeyPem,
    kid,
    apiKey,
    tokenUrl: await profileTokenUrl(profile, services.emulator),
    lifetimeSeconds: lifetime,
  });
}
