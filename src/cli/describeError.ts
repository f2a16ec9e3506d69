import { toAuthExplorerError } from '../core/errors.ts';

/** One line for stderr: the stable code, then the message. */
export function describeError(e: unknown): string {
  const err = toAuthExplorerError(e);
  return `nhs-auth: ${err.code}: ${err.message}`;
}
