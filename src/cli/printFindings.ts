// Prints pre-flight findings for a terminal: severity, rule, what the platform would answer, the fix.
import type { CliIo } from './command.ts';
import type { PreflightFinding } from '../core/preflight/findings.ts';

const LABEL = { error: 'error  ', warning: 'warning', info: 'info   ' } as const;

export function printFindings(io: CliIo, findings: readonly PreflightFinding[]): void {
  for (const f of findings) {
    io.out(`${LABEL[f.severity]} [${f.rule}] ${f.message}`);
    if (f.platformError) {
      const e = f.platformError;
      io.out(
        `        platform${f.inferred ? ' (inferred)' : ''}: HTTP ${e.status} {"error":${JSON.stringify(e.error)},"error_description":${JSON.stringify(e.error_description)}}`,
      );
    }
    io.out(`        fix: ${f.fix}`);
  }
}

export function countLine(findings: readonly PreflightFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
