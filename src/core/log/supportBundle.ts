// A support-ticket document in the shape the API Platform team asks for: application name and
// id, environment, the API key's first/last 4 characters only, the assertion header and payload without
// signature, the exact request without secrets, timestamps and message ids.
import { maskApiKey, redact } from './redact.ts';
import type { RequestLogEntry } from './requestLogEntry.ts';
import { toCurl } from './toCurl.ts';

export interface SupportBundleInput {
  appName: string;
  environment: string;
  apiKey: string;
  applicationId?: string;
  entries: readonly RequestLogEntry[];
  /** What you were trying to do, in your words. */
  summary?: string;
  /** Any other values that must not appear (client secret, tokens). */
  secrets?: readonly (string | undefined)[];
  generatedAt?: number;
}

function fence(lang: string, body: string): string {
  return `\`\`\`${lang}\n${body}\n\`\`\``;
}

export function supportBundle(input: SupportBundleInput): string {
  const key = maskApiKey(input.apiKey);
  const out: string[] = [];
  out.push(`# Support request: ${input.appName} (${input.environment})`, '');
  if (input.summary) out.push(input.summary, '');
  out.push('## Application', '');
  out.push(`- Application name: ${input.appName}`);
  if (input.applicationId) out.push(`- Application ID: ${input.applicationId}`);
  out.push(`- Environment: ${input.environment}`);
  out.push(`- API key: ${key} (first/last 4 characters only)`);
  out.push(`- Generated: ${new Date(input.generatedAt ?? Date.now()).toISOString()}`, '');
  const failing = input.entries.filter((e) => e.error || (e.status !== undefined && e.status >= 400));
  out.push('## Requests', '');
  out.push(`${input.entries.length} request(s), ${failing.length} failed. Times are UTC.`, '');
  input.entries.forEach((e, i) => {
    out.push(`### ${i + 1}. ${e.method} ${e.url}${e.grant ? ` (${e.grant}, attempt ${e.attempt})` : ''}`, '');
    out.push(`- Timestamp: ${e.startedAt}`);
    if (e.durationMs !== undefined) out.push(`- Duration: ${e.durationMs} ms`);
    out.push(`- Status: ${e.status ?? 'no response'}`);
    if (e.messageId) out.push(`- Message ID: ${e.messageId}`);
    if (e.error) out.push(`- Error: ${e.error.code}: ${e.error.message}`);
    out.push('');
    if (e.clientAssertion) {
      out.push('Client assertion (header and payload, signature removed):', '');
      out.push(
        fence(
          'json',
          JSON.stringify(
            e.clientAssertion.error
              ? { error: e.clientAssertion.error }
              : { header: e.clientAssertion.header, payload: e.clientAssertion.payload },
            null,
            2,
          ),
        ),
        '',
      );
    }
    out.push('Request (secrets replaced by $VARIABLES):', '');
    out.push(fence('sh', toCurl(e)), '');
    if (e.responseBody !== undefined) {
      out.push('Response body (tokens redacted):', '');
      out.push(fence('json', e.responseBody), '');
    }
  });
  // A last pass over the whole document with the same redaction as the log: the full key and any
  // named or secret-looking value must never survive.
  let doc = out.join('\n');
  doc = doc.split(input.apiKey).join(key);
  return redact(doc, input.secrets ?? []);
}
