import * as vscode from 'vscode';
import { lintAssertion, type LintFinding } from '../../core/assertion/lintAssertion.ts';
import { looksLikeJwt } from '../../core/jwt/decode.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { profileTokenUrl } from '../profileUrls.ts';
import { secretKeys } from '../secrets.ts';
import { formatFindings } from '../formatFindings.ts';
import { registerCommand } from '../registerCommand.ts';

interface LintArgs {
  profileId: string;
  jwt?: string;
  silent?: boolean;
}

/** Lints an assertion (argument, selection or clipboard) against the platform's rules and the profile. */
export function registerLintAssertionCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.lintAssertion',
    async (arg?: unknown): Promise<LintFinding[] | undefined> => {
      const profile = await resolveProfile(services, arg, 'Lint Client Assertion');
      if (!profile) return undefined;
      const given = (
        typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}
      ) as Partial<LintArgs>;
      const jwt = given.jwt ?? (await findJwt());
      if (!jwt) {
        void vscode.window.showWarningMessage(
          'Select a client assertion (a JWT) in the editor or copy one to the clipboard, then run Lint again.',
        );
        return undefined;
      }
      const findings = await lintAssertion(jwt, {
        tokenUrl: await profileTokenUrl(profile, services.emulator),
        apiKey: await services.secrets.get(secretKeys.apiKey(profile.id)),
        jwks: { keys: profile.keys.map((k) => ({ ...k.publicJwk })) },
        jtiSentAt: await services.jtis.sentAt(profile.id),
      });
      // The pairing warnings (KID names, keys and API keys shared across environments) belong in lint too.
      for (const f of await services.model.pairingFindings()) {
        if (f.profileId === profile.id)
          findings.push({ rule: f.rule, severity: 'warning', message: f.message, fix: f.fix });
      }
      if (!given.silent) {
        const doc = await vscode.workspace.openTextDocument({
          language: 'markdown',
          content: formatFindings(profile.name, findings),
        });
        await vscode.window.showTextDocument(doc, { preview: true });
        const errors = findings.filter((f) => f.severity === 'error').length;
        if (errors === 0)
          void vscode.window.showInformationMessage(
            "The platform would accept this assertion's header and claims.",
          );
        else
          void vscode.window.showWarningMessage(
            `The platform would reject this assertion: ${errors} problem(s). First: ${findings[0]!.message}`,
          );
      }
      return findings;
    },
  );
}

async function findJwt(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor?.document.getText(editor.selection).trim();
  if (selected && looksLikeJwt(selected)) return selected;
  const clip = (await vscode.env.clipboard.readText()).trim();
  if (looksLikeJwt(clip)) return clip;
  return vscode.window.showInputBox({
    title: 'Lint Client Assertion',
    prompt: 'Paste the client assertion (JWT)',
    ignoreFocusOut: true,
    validateInput: (v) =>
      looksLikeJwt(v) ? undefined : 'Not a compact JWT (three dot-separated base64url parts).',
  });
}
