// Explains pasted text: a platform error body (OAuth-style or an Apigee fault), a line of a CI log
// that contains one, an error_description alone, or an Apigee errorcode.
import type { Explanation } from './explanation.ts';
import { explainPlatformResponse } from './explainError.ts';

export interface TextExplanation {
  explanation: Explanation;
  /** False when nothing in the text matched a known platform error. */
  recognised: boolean;
}

const UNRECOGNISED = new Set(['oauth-unknown', 'fault-unknown', 'http-status', 'unexpected']);
const APIGEE_ERRORCODE = /^[a-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/** Every balanced {...} in the text that parses as a JSON object, in order. */
function jsonObjectsIn(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (let start = text.indexOf('{'); start >= 0 && found.length < 20; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          const v: unknown = JSON.parse(text.slice(start, i + 1));
          if (v && typeof v === 'object' && !Array.isArray(v)) found.push(v as Record<string, unknown>);
        } catch {
          /* not JSON: keep looking */
        }
        break;
      }
    }
  }
  return found;
}

function statusIn(text: string): number | undefined {
  const m = /\b(?:HTTP\/\d(?:\.\d)?\s+|status(?:\s*code)?[\s:=]+)([1-5]\d\d)\b/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

export function explainText(text: string, status?: number): TextExplanation {
  const trimmed = text.trim();
  const httpStatus = status ?? statusIn(trimmed) ?? 0;
  const result = (explanation: Explanation): TextExplanation => ({
    explanation,
    recognised: !UNRECOGNISED.has(explanation.id),
  });
  let fallback: TextExplanation | undefined;
  for (const body of jsonObjectsIn(trimmed)) {
    if (typeof body.error !== 'string' && typeof body.fault !== 'object' && typeof body.message !== 'string')
      continue;
    const r = result(explainPlatformResponse(httpStatus, body));
    if (r.recognised) return r;
    fallback ??= r;
  }
  if (fallback) return fallback;
  // A bare string: an Apigee errorcode, or an error_description / faultstring / message.
  const unquoted = trimmed.replace(/^["']|["']$/g, '').trim();
  if (APIGEE_ERRORCODE.test(unquoted)) {
    const r = result(
      explainPlatformResponse(httpStatus, { fault: { faultstring: '', detail: { errorcode: unquoted } } }),
    );
    if (r.recognised) return r;
  }
  return result(explainPlatformResponse(httpStatus, { error: '', error_description: unquoted }));
}
