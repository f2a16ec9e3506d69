// Key identifiers: the docs recommend test-1 / prod-1, numbered sequentially on rotation, never reused.
import { AuthExplorerError } from '../errors.ts';

/** The next KID for the prefix: one more than the highest ever used (deleted keys included). */
export function nextKid(prefix: 'test' | 'prod', everUsed: readonly string[]): string {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  let highest = 0;
  for (const kid of everUsed) {
    const m = pattern.exec(kid);
    if (m?.[1]) highest = Math.max(highest, Number.parseInt(m[1], 10));
  }
  let n = highest + 1;
  // A KID like "test-01" parses as 1 but is a different string; skip any exact collision anyway.
  while (everUsed.includes(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Undefined when the KID is acceptable, else the reason. KIDs become file names, so keep them plain. */
export function kidProblem(kid: string): string | undefined {
  if (kid.length === 0) return 'The KID is empty.';
  if (!KID_PATTERN.test(kid)) {
    return `The KID '${kid}' should be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (for example test-1).`;
  }
  return undefined;
}

export function assertValidKid(kid: string): void {
  const problem = kidProblem(kid);
  if (problem) throw new AuthExplorerError('ERR_ARGUMENT', problem, { kid });
}
