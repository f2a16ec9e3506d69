import type { PreflightFinding } from '../../core/preflight/findings.ts';

const HEADING = { error: 'Refused', warning: 'Warning', info: 'Note' } as const;

/** A Markdown report of pre-flight findings, platform errors verbatim, in the order checked. */
export function formatPreflight(
  title: string,
  findings: readonly PreflightFinding[],
  summary: string,
): string {
  const lines = [`# ${title}`, '', summary, ''];
  findings.forEach((f, i) => {
    lines.push(`## ${i + 1}. ${HEADING[f.severity]}: ${f.message}`, '');
    if (f.platformError) {
      lines.push(
        `The platform answers HTTP ${f.platformError.status}${f.inferred ? ' (inferred)' : ''}:`,
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
