import type { LintFinding } from '../core/assertion/lintAssertion.ts';

/** A Markdown report of lint findings, platform errors verbatim, in the platform's check order. */
export function formatFindings(profileName: string, findings: readonly LintFinding[]): string {
  const lines = [`# Client assertion lint: ${profileName}`, ''];
  if (findings.length === 0) {
    lines.push("No problems found: the platform would accept this assertion's header and claims.");
    return `${lines.join('\n')}\n`;
  }
  findings.forEach((f, i) => {
    lines.push(`## ${i + 1}. ${f.severity === 'error' ? 'Rejected' : 'Warning'}: ${f.message}`, '');
    if (f.platformError) {
      lines.push(
        `The platform answers HTTP ${f.platformError.status}:`,
        '',
        '```json',
        JSON.stringify(
          { error: f.platformError.error, error_description: f.platformError.error_description },
          null,
          2,
        ),
        '```',
        '',
      );
    }
    lines.push(`**Fix:** ${f.fix}`, '', `Rule \`${f.rule}\``, '');
  });
  return `${lines.join('\n')}\n`;
}
