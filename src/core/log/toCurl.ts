// "Copy as curl" from a log entry. Secret values become shell variables ($CLIENT_SECRET, …) so the
// command can be shared or pasted into a ticket; the user sets the variables themselves. Which
// fields are secret is decided by the one rule in redact.ts.
import type { RequestLogEntry } from './requestLogEntry.ts';
import { isApiKeyFieldName, isSecretFieldName } from './redact.ts';

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

/** The shell variable standing for a secret field: the known names, else $NAME in upper snake case. */
function placeholderFor(name: string): string | undefined {
  const known = PLACEHOLDERS[name] ?? PLACEHOLDERS[name.toLowerCase()];
  if (known) return known;
  if (name.toLowerCase() === 'code') return '$AUTHORIZATION_CODE';
  if (isApiKeyFieldName(name)) return '$API_KEY';
  if (!isSecretFieldName(name)) return undefined;
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return `$${/^[A-Z]/.test(snake) ? snake : `SECRET_${snake}`}`;
}

function double(s: string, variables: readonly string[]): string {
  // Everything but our own $VARIABLE placeholders is escaped so the shell expands only those.
  const unexpanded = variables.length
    ? new RegExp(`\\$(?!(?:${variables.map((v) => v.slice(1)).join('|')})\\b)`, 'g')
    : /\$/g;
  return `"${s.replace(/[\\"`]/g, '\\$&').replace(unexpanded, '\\$')}"`;
}

export function toCurl(entry: RequestLogEntry): string {
  const lines = [`curl -sS -X ${entry.method} ${single(entry.url)}`];
  for (const [name, value] of Object.entries(entry.requestHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const scheme = value.split(/\s+/, 1)[0] ?? 'Bearer';
      const variable = scheme.toLowerCase() === 'basic' ? '$BASIC_CREDENTIALS' : '$ACCESS_TOKEN';
      lines.push(`-H ${double(`${name}: ${scheme} ${variable}`, [variable])}`);
    } else if (isApiKeyFieldName(lower) || isSecretFieldName(lower)) {
      const variable = placeholderFor(lower) ?? '$API_KEY';
      lines.push(`-H ${double(`${name}: ${variable}`, [variable])}`);
    } else {
      lines.push(`-H ${single(`${name}: ${value}`)}`);
    }
  }
  if (entry.bodyFormat === 'form') {
    for (const [k, v] of entry.requestFields) {
      const placeholder = placeholderFor(k);
      lines.push(
        placeholder
          ? `--data-urlencode ${double(`${k}=${placeholder}`, [placeholder])}`
          : `--data-urlencode ${single(`${k}=${v}`)}`,
      );
    }
  } else if (entry.bodyFormat === 'json') {
    const used: string[] = [];
    const parts = entry.requestFields.map(([k, v]) => {
      const placeholder = placeholderFor(k);
      if (placeholder) used.push(placeholder);
      return `${JSON.stringify(k)}:${placeholder ? `"${placeholder}"` : JSON.stringify(v)}`;
    });
    lines.push(`--data-raw ${double(`{${parts.join(',')}}`, used)}`);
  }
  return lines.join(' \\\n  ');
}
