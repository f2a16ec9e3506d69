import * as vscode from 'vscode';
import { createPublicKey } from 'node:crypto';
import { AuthExplorerError } from '../../core/errors.ts';
import { kidOf, resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';

interface ExportArgs {
  profileId: string;
  uri?: vscode.Uri;
  kid?: string;
}

function givenArgs(arg: unknown): Partial<ExportArgs> {
  return (typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}) as Partial<ExportArgs>;
}

async function saveTo(
  defaultName: string,
  given: vscode.Uri | undefined,
  filters: Record<string, string[]>,
): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
    filters,
    title: `Save ${defaultName}`,
  });
}

/** Writes the portal-ready JWKS (every active key) as KID.json, the platform docs' file name. */
export function registerExportJwksCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.exportJwks',
    async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const profile = await resolveProfile(services, arg, 'Export JWKS');
      if (!profile) return undefined;
      const jwks = services.keyring.jwks(profile.id);
      if (jwks.keys.length === 0)
        throw new AuthExplorerError(
          'ERR_NO_ACTIVE_KEY',
          `Profile "${profile.name}" has no active key to publish.`,
        );
      const newest = jwks.keys[jwks.keys.length - 1]!.kid;
      const uri = await saveTo(`${newest}.json`, givenArgs(arg).uri, { JWKS: ['json'] });
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(
        uri,
        new TextEncoder().encode(`${JSON.stringify(jwks, null, 2)}\n`),
      );
      return uri;
    },
  );
}

/** Writes one key's public half as SPKI PEM (KID.pem.pub). */
export function registerExportPublicKeyCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.exportPublicKey',
    async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const profile = await resolveProfile(services, arg, 'Export Public Key');
      if (!profile) return undefined;
      const kid = kidOf(arg) ?? givenArgs(arg).kid ?? (await services.keyring.signingKey(profile.id)).kid;
      const record = profile.keys.find((k) => k.kid === kid);
      if (!record)
        throw new AuthExplorerError('ERR_KID_UNKNOWN', `Profile "${profile.name}" has no key ${kid}.`);
      const pem = createPublicKey({ key: record.publicJwk, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const uri = await saveTo(`${kid}.pem.pub`, givenArgs(arg).uri, { 'Public key': ['pub', 'pem'] });
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(pem));
      return uri;
    },
  );
}

export function registerCopyJwksCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.copyJwks',
    async (arg?: unknown): Promise<string | undefined> => {
      const profile = await resolveProfile(services, arg, 'Copy JWKS');
      if (!profile) return undefined;
      const text = JSON.stringify(services.keyring.jwks(profile.id), null, 2);
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage('$(check) JWKS copied', 3000);
      return text;
    },
  );
}
