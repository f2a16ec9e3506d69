import * as vscode from 'vscode';
import { getEnvironment } from '../../core/environments.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import type { Profile } from '../../core/profiles/profile.ts';
import { hasPreflightErrors } from '../../core/preflight/findings.ts';
import type { PreflightFinding } from '../../core/preflight/findings.ts';
import { preflightIdToken } from '../../core/preflight/idTokenPreflight.ts';
import type { Services } from '../services.ts';
import { formatPreflight } from './formatPreflight.ts';

export interface IdTokenCheckArgs {
  /** The level the app's products need (P9, aal3, …) when the extension cannot know its products. */
  requiredLevel?: string;
  /** Send even when the pre-flight finds errors. */
  ignorePreflight?: boolean;
}

/** The pre-flight for an ID token on this profile. Local apps get every Hello World product (Keyring registers them so). */
export async function idTokenFindings(
  services: Services,
  profile: Profile,
  idToken: string,
  args: IdTokenCheckArgs = {},
): Promise<PreflightFinding[]> {
  const local = profile.environmentId === 'local';
  return preflightIdToken(idToken, {
    environmentId: profile.environmentId,
    emulatorUrl: local ? await services.emulator.url() : undefined,
    productScopes: local ? services.emulator.productScopes : undefined,
    requiredLevel: args.requiredLevel,
  });
}

export async function showIdTokenReport(
  profile: Profile,
  findings: readonly PreflightFinding[],
): Promise<void> {
  const env = getEnvironment(profile.environmentId).label;
  const summary = hasPreflightErrors(findings)
    ? `The ${env} token exchange would reject this ID token. The platform reports only the first error.`
    : `No errors: the ${env} token exchange should accept this ID token's header and claims (the platform checks its signature).`;
  const doc = await vscode.workspace.openTextDocument({
    language: 'markdown',
    content: formatPreflight(`ID token pre-flight: ${profile.name}`, findings, summary),
  });
  await vscode.window.showTextDocument(doc, { preview: true });
}

/**
 * Before a token exchange: true to send. Called from code (an idToken or mock user passed in), errors
 * throw ERR_PREFLIGHT; interactively the user sees the first error and chooses.
 */
export async function confirmIdToken(
  services: Services,
  profile: Profile,
  idToken: string,
  args: IdTokenCheckArgs & { interactive: boolean },
): Promise<boolean> {
  const findings = await idTokenFindings(services, profile, idToken, args);
  if (!hasPreflightErrors(findings) || args.ignorePreflight) return true;
  const first = findings.find((f) => f.severity === 'error')!;
  const answer = first.platformError
    ? ` The platform would answer ${first.platformError.status} "${first.platformError.error_description}".`
    : '';
  if (!args.interactive) {
    throw new AuthExplorerError(
      'ERR_PREFLIGHT',
      `The ID token would be rejected: ${first.message}${answer}`,
      { rules: findings.filter((f) => f.severity === 'error').map((f) => f.rule) },
    );
  }
  const send = 'Send Anyway';
  const show = 'Show Findings';
  const choice = await vscode.window.showWarningMessage(
    `The platform would reject this ID token: ${first.message}`,
    { modal: true, detail: `${answer.trim()}\n\nFix: ${first.fix}` },
    show,
    send,
  );
  if (choice === show) await showIdTokenReport(profile, findings);
  return choice === send;
}
