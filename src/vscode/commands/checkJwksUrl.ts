import * as vscode from 'vscode';
import { validateHttpUrl } from '../../core/environments.ts';
import { updateProfile } from '../../core/profiles/profile.ts';
import { checkJwksUrl } from '../../core/preflight/checkJwksUrl.ts';
import type { JwksCheckReport } from '../../core/preflight/checkJwksUrl.ts';
import { hasPreflightErrors } from '../../core/preflight/findings.ts';
import { resolveProfile } from '../commandArgs.ts';
import type { KeyServices } from '../keyServices.ts';
import { registerCommand } from '../registerCommand.ts';
import { hostTransport } from '../hostTransport.ts';
import { formatPreflight } from '../preflight/formatPreflight.ts';

interface CheckJwksArgs {
  profileId: string;
  /** The JWKS URL; saved on the profile. Default: the profile's. */
  url?: string;
  /** Tests: return the report without opening it. */
  silent?: boolean;
  timeoutMs?: number;
}

/** Fetches a profile's JWKS URL the way the platform does and checks that its active keys are there. */
export function registerCheckJwksUrlCommand(services: KeyServices): vscode.Disposable {
  return registerCommand(
    services.log,
    'nhsAuth.checkJwksUrl',
    async (arg?: unknown): Promise<JwksCheckReport | undefined> => {
      const profile = await resolveProfile(services, arg, 'Check JWKS URL');
      if (!profile) return undefined;
      const given = (
        typeof arg === 'object' && arg !== null && 'profileId' in arg ? arg : {}
      ) as Partial<CheckJwksArgs>;
      const url =
        given.url ??
        profile.jwksUrl ??
        (await vscode.window.showInputBox({
          title: `Check JWKS URL: ${profile.name}`,
          prompt: 'The JWKS URL registered for this app (the platform fetches your public keys from it)',
          placeHolder: 'https://example.org/.well-known/jwks.json',
          ignoreFocusOut: true,
          validateInput: (v) => validateHttpUrl(v, 'JWKS URL'),
        }));
      if (!url) return undefined;
      if (url.trim() !== profile.jwksUrl) {
        await services.profiles.save(
          updateProfile(services.profiles.get(profile.id), { jwksUrl: url.trim() }, services.profiles.list()),
        );
      }
      const localKeys = profile.keys
        .filter((k) => k.status === 'active')
        .map((k) => ({ kid: k.kid, n: k.publicJwk.n, e: k.publicJwk.e }));
      const report = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Fetching ${url.trim()} as the platform does…`,
          cancellable: true,
        },
        (_p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return checkJwksUrl(url, {
            localKeys,
            timeoutMs: given.timeoutMs,
            signal: controller.signal,
            transport: hostTransport,
          });
        },
      );
      services.log.info(
        `JWKS check of ${report.url} for "${profile.name}": ${report.findings.map((f) => `${f.severity}:${f.rule}`).join(', ')}.`,
      );
      if (!given.silent) {
        const refused = hasPreflightErrors(report.findings);
        const summary = refused
          ? "The platform would refuse client assertions signed with this profile's keys. It reports only the first problem."
          : `The platform can fetch this JWKS and find ${localKeys.map((k) => `'${k.kid}'`).join(', ') || 'its keys'}.`;
        const doc = await vscode.workspace.openTextDocument({
          language: 'markdown',
          content: formatPreflight(
            `JWKS URL check: ${profile.name}`,
            report.findings,
            `${report.url}\n\n${summary}`,
          ),
        });
        await vscode.window.showTextDocument(doc, { preview: true });
        const first = report.findings.find((f) => f.severity === 'error');
        if (first)
          void vscode.window.showWarningMessage(`The platform would refuse this JWKS: ${first.message}`);
        else void vscode.window.showInformationMessage('The platform can fetch this JWKS and find your key.');
      }
      return report;
    },
  );
}
