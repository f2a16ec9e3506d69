// Maps any failure to a title, likely causes (most likely first) and a fix: by its code
// (codeExplanations.ts), and for a server's answer by its verbatim strings (explainResponse.ts).
import { isAuthExplorerError } from '../errors.ts';
import { explainCode } from './codeExplanations.ts';
import type { ExplainContext, Explanation } from './explanation.ts';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Explains a platform response body directly (e.g. a protected API's 401). */
export function explainPlatformResponse(
  status: number,
  body: unknown,
  ctx: ExplainContext = {},
): Explanation {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fault = o['fault'] as Record<string, unknown> | undefined;
  if (fault && typeof fault === 'object') {
    const detail = fault['detail'] as Record<string, unknown> | undefined;
    const details = { status, faultstring: str(fault['faultstring']), errorcode: str(detail?.['errorcode']) };
    return status === 429
      ? explainCode('ERR_RATE_LIMITED', details, ctx, undefined)
      : explainCode('ERR_APIGEE_FAULT', details, ctx, undefined);
  }
  const fields = {
    status,
    error: str(o['error']),
    error_description: str(o['error_description']),
    message_id: str(o['message_id']),
    message: str(o['message']),
  };
  if (status === 429) return explainCode('ERR_RATE_LIMITED', fields, ctx, undefined);
  if (fields.error !== undefined) return explainCode('ERR_OAUTH', fields, ctx, undefined);
  return explainCode(
    'ERR_HTTP_STATUS',
    { status, message: fields.message, message_id: fields.message_id },
    ctx,
    undefined,
  );
}

export function explainError(err: unknown, context: ExplainContext = {}): Explanation {
  if (isAuthExplorerError(err)) return explainCode(err.code, err.details, context, err.message);
  return explainCode('ERR_INTERNAL', {}, context, err instanceof Error ? err.message : String(err));
}
