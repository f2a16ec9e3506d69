import * as vscode from 'vscode';
import { looksLikeJwt } from '../../core/jwt/decode.ts';
import type { PreflightFinding } from '../../core/preflight/findings.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';
import { idTokenFindings, showIdTokenReport } from '../preflight/idTokenCheck.ts';

interface CheckIdTokenArgs {
  profileId: string;
  idToken?: string;
  requiredLevel?: string;
  silent?: boolean;
}

/** Checks an ID token (argument, selection, clipboard or pasted) against the profile's environment before exchange. */
export function registerCheckIdTokenCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.checkIdToken',
    async (arg?: unknown): Promise<PreflightFinding[] | undefined> => {
      const profile = await resolveProfile(services, arg, 'Check ID Token Before Exchange');
      if (!profile) return undefined;
      const given = (
        typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}
      ) as Partial<CheckIdTokenArgs>;
      const token = given.idToken ?? (await findIdToken());
      if (!token) return undefined;
      const findings = await idTokenFindings(services, profile, token, {
        requiredLevel: given.requiredLevel,
      });
      if (!given.silent) await showIdTokenReport(profile, findings);
      return findings;
    },
  );
}

async function findIdToken(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor?.document.getText(editor.selection).trim();
  if (selected && looksLikeJwt(selected)) return selected;
  return vscode.window.showInputBox({
    title: 'Check ID Token Before Exchange',
    prompt: 'Paste the NHS login or CIS2 ID token (it is decoded here and not sent anywhere)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      looksLikeJwt(v) ? undefined : 'An ID token is a JWT: three dot-separated base64url parts.',
  });
}
