// "Copy as curl" from a log entry. Secret values become shell variables ($CLIENT_SECRET, …) so the
// command can be shared or pasted into a ticket; the user sets the variables themselves.
import type { RequestLogEntry } from './requestLogEntry.ts';

const PLACEHOLDERS: Readonly<Record<string, string>> = {
  client_secret: '$CLIENT_SECRET',
  client_assertion: '$CLIENT_ASSERTION',
  refresh_token: '$REFRESH_TOKEN',
  code: '$AUTHORIZATION_CODE',
  subject_token: '$SUBJECT_TOKEN',
  access_token: '$ACCESS_TOKEN',
  id_token: '$ID_TOKEN',
  password: '$PASSWORD',
  client_id: '$API_KEY',
};

function single(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const VARIABLES = [...new Set([...Object.values(PLACEHOLDERS), '$BASIC_CREDENTIALS'])].map((v) => v.slice(1));
const UNEXPANDED_DOLLAR = new RegExp(`\\$(?!(?:${VARIABLES.join('|')})\\b)`, 'g');

function double(s: string): string {
  // Everything but our own $VARIABLE placeholders is escaped so the shell expands only those.
  return `"${s.replace(/[\\"`]/g, '\\$&').replace(UNEXPANDED_DOLLAR, '\\$')}"`;
}

export function toCurl(entry: RequestLogEntry): string {
  const lines = [`curl -sS -X ${entry.method} ${single(entry.url)}`];
  for (const [name, value] of Object.entries(entry.requestHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const scheme = value.split(/\s+/, 1)[0] ?? 'Bearer';
      lines.push(`-H ${double(`${name}: ${scheme} ${scheme.toLowerCase() === 'basic' ? '$BASIC_CREDENTIALS' : '$ACCESS_TOKEN'}`)}`);
    } else if (lower === 'apikey' || lower === 'x-api-key') {
      lines.push(`-H ${double(`${name}: $API_KEY`)}`);
    } else {
      lines.push(`-H ${single(`${name}: ${value}`)}`);
    }
  }
  if (entry.bodyFormat === 'form') {
    for (const [k, v] of entry.requestFields) {
      const placeholder = PLACEHOLDERS[k];
      lines.push(placeholder ? `--data-urlencode ${double(`${k}=${placeholder}`)}` : `--data-urlencode ${single(`${k}=${v}`)}`);
    }
  } else if (entry.bodyFormat === 'json') {
    const parts = entry.requestFields.map(([k, v]) => `${JSON.stringify(k)}:${PLACEHOLDERS[k] ? `"${PLACEHOLDERS[k]}"` : JSON.stringify(v)}`);
    lines.push(`--data-raw ${double(`{${parts.join(',')}}`)}`);
  }
  return lines.join(' \\\n  ');
}
