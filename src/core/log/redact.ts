// The one redaction routine every error, log line, curl export, excerpt and support bundle goes
// through. Known secrets are replaced wherever they appear; fields whose names look secret (in any
// case or spelling: client_secret, Client-Secret, clientSecret, refreshToken, api_key, …) are
// replaced in form bodies, URL queries and fragments, JSON and headers; Bearer values, JWTs and PEM
// private keys are replaced even when no one named them.

/** `<redacted …abcd>`: enough to tell two tokens apart, too little to use one. Short values show nothing. */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `<redacted …${value.slice(-4)}>` : '<redacted>';
}

/** `abcd…wxyz`, the form the platform team asks for in support tickets. */
export function maskApiKey(apiKey: string): string {
  return apiKey.length >= 12 ? `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` : '<redacted>';
}

// *secret*, *token*, *password*, *assertion*, *api*key*, private keys, credentials and signatures.
const SECRET_NAME =
  /secret|token|passw(or)?d|passphrase|assertion|api.?key|private.?key|credential|^(sig|signature|auth|authorization|cookie|set-cookie)$/;
// …but not the names that only describe one: token_type, client_assertion_type, refresh_token_expires_in.
const DESCRIPTIVE_NAME =
  /(type|expiresin|expiresat|expiry|ms|count|url|uri|endpoint|hint|method|methodssupported|issuedat|period|name)$/;

/** True for a field, parameter or header name whose value must never be shown. Case and separators do not matter. */
export function isSecretFieldName(name: string): boolean {
  const n = name.trim().toLowerCase();
  if (!SECRET_NAME.test(n)) return false;
  return !DESCRIPTIVE_NAME.test(n.replace(/[-_.\s]/g, ''));
}

/** Form and query parameters also carry authorization codes as plain `code`. */
function isSecretParamName(name: string): boolean {
  return name.toLowerCase() === 'code' || isSecretFieldName(name);
}

/** True for a name that holds an API key, which is shown as its first and last 4 characters. */
export function isApiKeyFieldName(name: string): boolean {
  return /api.?key|^client.?id$/.test(name.trim().toLowerCase());
}

/** The masked form of a secret field's value. */
export function maskFieldValue(name: string, value: string): string {
  if (value.startsWith('<redacted') || value.startsWith('%3Credacted')) return value;
  return /api.?key/.test(name.toLowerCase()) ? maskApiKey(value) : maskSecret(value);
}

const JSON_FIELD = /("([^"\\]{1,100})"\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const FORM_FIELD = /(^|[?&#;\s])([A-Za-z0-9_.\-[\]]{1,100})=([^&#\s"']+)/g;
// "Name: value" lines, in plain text or inside a JSON string (where a line break is the two characters \n).
const HEADER_LINE = /(^|\\[nr]|[\r\n])([ \t]*)([A-Za-z0-9_-]{1,100}):[ \t]*((?:(?!\\[nr])[^\r\n"])+)/g;
const BEARER = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The spellings a secret can take in a body: as is, form-encoded, URL-encoded, JSON-escaped. */
function spellings(s: string): string[] {
  const out = new Set([
    s,
    encodeURIComponent(s),
    new URLSearchParams({ x: s }).toString().slice(2),
    JSON.stringify(s).slice(1, -1),
  ]);
  return [...out];
}

/**
 * Removes secrets from text. `secrets` are exact values to remove (client secret, tokens, API key);
 * values shorter than 6 characters are ignored so that redaction cannot shred ordinary words.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  for (const s of known) {
    for (const spelling of spellings(s))
      out = out.replace(new RegExp(escapeRegExp(spelling), 'g'), maskSecret(s));
  }
  out = out.replace(PEM, '<redacted private key>');
  out = out.replace(JSON_FIELD, (m, prefix: string, name: string, value: string) =>
    isSecretFieldName(name) ? `${prefix}"${maskFieldValue(name, value)}"` : m,
  );
  out = out.replace(FORM_FIELD, (m, lead: string, name: string, value: string) =>
    isSecretParamName(name) ? `${lead}${name}=${maskFieldValue(name, value)}` : m,
  );
  out = out.replace(HEADER_LINE, (m, lineStart: string, indent: string, name: string, value: string) => {
    if (!isSecretFieldName(name) || value.startsWith('<redacted')) return m;
    const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
    return `${lineStart}${indent}${name}: ${scheme ? `${scheme} <redacted>` : maskFieldValue(name, value.trim())}`;
  });
  out = out.replace(BEARER, (_m, scheme: string, value: string) => `${scheme} ${maskSecret(value)}`);
  out = out.replace(JWT, (m) => maskSecret(m));
  return out;
}

/** A URL with secret-named query and fragment parameters masked (and any known secret). */
export function redactUrl(url: string, secrets: readonly (string | undefined)[] = []): string {
  return redact(url, secrets);
}

/** Header values masked by name: Authorization keeps its scheme, API keys their first/last 4. */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  secrets: readonly (string | undefined)[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization')
      out[name] = `${value.split(/\s+/, 1)[0]} <redacted>`;
    else if (isSecretFieldName(lower)) out[name] = maskFieldValue(lower, value);
    else out[name] = redact(value, secrets);
  }
  return out;
}

/** Any value (an error's details, an explanation) with every string in it redacted. */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[] = [], depth = 0): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, depth + 1)) as T;
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      typeof v === 'string' && isSecretFieldName(k)
        ? maskFieldValue(k, v)
        : redactDeep(v, secrets, depth + 1);
  }
  return out as T;
}
