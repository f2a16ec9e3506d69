// The one redaction routine every log line, curl export, excerpt and support bundle goes through.
// Known secrets are replaced wherever they appear; secret-looking fields, Bearer tokens and JWTs are
// replaced even when the caller did not name them.

/** `<redacted …abcd>`: enough to tell two tokens apart, too little to use one. Short values show nothing. */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `<redacted …${value.slice(-4)}>` : '<redacted>';
}

/** `abcd…wxyz`, the form the platform team asks for in support tickets (seed 001). */
export function maskApiKey(apiKey: string): string {
  return apiKey.length >= 12 ? `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` : '<redacted>';
}

export const SECRET_FIELDS: readonly string[] = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'subject_token',
  'code',
  'password',
  'private_key',
];

const FIELD_ALT = SECRET_FIELDS.join('|');
const JSON_FIELD = new RegExp(`("(?:${FIELD_ALT})"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g');
const FORM_FIELD = new RegExp(`(^|[?&\\s])(${FIELD_ALT})=([^&\\s"']+)`, 'g');
const BEARER = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes secrets from text. `secrets` are exact values to remove (client secret, tokens, API key);
 * values shorter than 6 characters are ignored so that redaction cannot shred ordinary words.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  for (const s of known) {
    out = out.replace(new RegExp(escapeRegExp(s), 'g'), maskSecret(s));
    // Also the form-encoded and JSON-escaped spellings, which differ for secrets with symbols.
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.replace(new RegExp(escapeRegExp(encoded), 'g'), maskSecret(s));
  }
  out = out.replace(PEM, '<redacted private key>');
  out = out.replace(JSON_FIELD, (_m, prefix: string, value: string) => `${prefix}"${value.startsWith('<redacted') ? value : maskSecret(value)}"`);
  out = out.replace(FORM_FIELD, (_m, lead: string, key: string, value: string) => `${lead}${key}=${value.startsWith('<redacted') || value.startsWith('%3Credacted') ? value : maskSecret(value)}`);
  out = out.replace(BEARER, (_m, scheme: string, value: string) => `${scheme} ${maskSecret(value)}`);
  out = out.replace(JWT, (m) => maskSecret(m));
  return out;
}
