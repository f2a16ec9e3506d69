import * as vscode from 'vscode';
import { explainError } from '../core/explain/explainError.ts';
import type { ExplainContext, Explanation } from '../core/explain/explanation.ts';
import { toAuthExplorerError } from '../core/errors.ts';
import type { Log } from './output.ts';
import { redact, redactDeep } from '../core/log/redact.ts';

/** Markdown for the "Details" view: what happened, likely causes in order, the fix, the platform's words. */
export function explanationMarkdown(e: Explanation, message: string): string {
  const lines = [`# ${e.title}`, '', `\`${e.code}\` · ${message}`, '', '## Most likely causes', ''];
  e.causes.forEach((c, i) => lines.push(`${i + 1}. ${c}`));
  lines.push('', '## Fix', '', e.fix, '');
  if (e.platform) {
    lines.push(
      '## What the platform returned',
      '',
      '```json',
      JSON.stringify(e.platform, null, 2),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

/** A notification with the explanation and a Details action; the log gets the same, redacted by construction. */
export async function showError(
  log: Log,
  error: unknown,
  context: ExplainContext = {},
): Promise<Explanation> {
  const err = toAuthExplorerError(error);
  // The token client already redacts what it throws; this pass covers every other source of errors.
  const secrets = [context.apiKey];
  const explanation = redactDeep(explainError(err, context), secrets);
  const message = redact(err.message, secrets);
  log.error(`${explanation.code}: ${explanation.title}: ${message}`, [context.apiKey ?? '']);
  const details = 'Details';
  const showLog = 'Show Log';
  void vscode.window
    .showErrorMessage(`${explanation.title}. ${explanation.fix}`, details, showLog)
    .then(async (choice) => {
      if (choice === details) {
        const doc = await vscode.workspace.openTextDocument({
          language: 'markdown',
          content: explanationMarkdown(explanation, message),
        });
        await vscode.window.showTextDocument(doc, { preview: true });
      } else if (choice === showLog) {
        log.show();
      }
    });
  return explanation;
}
