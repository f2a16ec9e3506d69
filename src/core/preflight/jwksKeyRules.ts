// The key-level findings for a fetched JWKS: is the KID there, is it your key (same modulus), and is
// it the kind of key the platform's docs ask for (RSA 4096, use sig).
import { CLIENT_ASSERTION_ERRORS } from '../assertion/platformErrors.ts';
import type { PreflightFinding } from './findings.ts';

/** A public key you sign with: its KID (when known) and RSA modulus and exponent (base64url). */
export interface LocalPublicKey {
  kid?: string;
  n: string;
  e: string;
}

export function modulusBits(n: unknown): number | undefined {
  if (typeof n !== 'string' || n === '') return undefined;
  const bytes = Buffer.from(n, 'base64url');
  let bits = bytes.length * 8;
  const first = bytes[0] ?? 0;
  for (let mask = 0x80; mask > 0 && (first & mask) === 0; mask >>= 1) bits--;
  return bits;
}

/** A short, comparable view of a modulus: its first and last characters. */
function nHint(n: unknown): string {
  return typeof n === 'string' && n.length > 16 ? `${n.slice(0, 8)}…${n.slice(-6)}` : String(n);
}

function sameKey(jwk: Record<string, unknown>, local: LocalPublicKey): boolean {
  return jwk.n === local.n && jwk.e === local.e;
}

function keyShapeRules(jwk: Record<string, unknown>, kid: string): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  if (jwk.kty !== 'RSA') {
    out.push({
      rule: 'jwks-key-type',
      severity: 'error',
      message: `The key '${kid}' is ${String(jwk.kty)}, not RSA, so an RS512 signature cannot verify with it.`,
      fix: 'Publish the RSA public key of the key pair you sign with.',
      platformError: CLIENT_ASSERTION_ERRORS.signature,
      inferred: true,
    });
    return out;
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    out.push({
      rule: 'jwks-key-use',
      severity: 'warning',
      message: `The key '${kid}' has use '${String(jwk.use)}'; a signing key has use 'sig'. JWKS clients may skip it when verifying signatures.`,
      fix: 'Set "use": "sig" on the key (or leave use out).',
    });
  }
  if (jwk.alg !== undefined && jwk.alg !== 'RS512') {
    out.push({
      rule: 'jwks-key-alg',
      severity: 'warning',
      message: `The key '${kid}' declares alg '${String(jwk.alg)}'; the platform verifies RS512.`,
      fix: 'Set "alg": "RS512" on the key or leave alg out.',
    });
  }
  const bits = modulusBits(jwk.n);
  if (bits !== undefined && bits !== 4096) {
    out.push({
      rule: 'jwks-key-size',
      severity: 'warning',
      message: `The key '${kid}' is ${bits} bits; the platform's docs require 4096-bit RSA keys.`,
      fix: 'Generate a 4096-bit key pair (nhs-auth keys generate), publish it under a new KID and rotate to it.',
    });
  }
  return out;
}

export async function jwksKeyRules(
  keys: Record<string, unknown>[],
  opts: { kid?: string; localKeys?: readonly LocalPublicKey[] },
): Promise<PreflightFinding[]> {
  const out: PreflightFinding[] = [];
  const published = keys.map((k) => (typeof k.kid === 'string' ? k.kid : '(no kid)'));
  const has = published.length > 0 ? `it has ${published.join(', ')}` : 'it has no keys';
  // Which KIDs to look at: the one asked about, else those of your local keys, else every key.
  const locals = opts.localKeys ?? [];
  const wanted = opts.kid
    ? [opts.kid]
    : [...new Set(locals.map((l) => l.kid).filter((k): k is string => typeof k === 'string'))];
  if (keys.length === 0) {
    out.push({
      rule: 'jwks-empty',
      severity: 'error',
      message: 'The JWKS has no keys.',
      fix: 'Publish your public key in the "keys" array.',
      platformError: CLIENT_ASSERTION_ERRORS.kidUnknown,
    });
    return out;
  }
  for (const kid of wanted) {
    const matches = keys.filter((k) => k.kid === kid);
    if (matches.length === 0) {
      const local = locals.find((l) => l.kid === kid) ?? (locals.length === 1 ? locals[0] : undefined);
      const elsewhere = local ? keys.find((k) => sameKey(k, local)) : undefined;
      const moved = elsewhere ? ` Your key is published, but under kid '${String(elsewhere.kid)}'.` : '';
      out.push({
        rule: 'jwks-kid-missing',
        severity: 'error',
        message: `kid '${kid}' is not in the JWKS: ${has}.${moved}`,
        fix: `Publish the public key under kid '${kid}' (append it; keep keys still in use), or sign with a KID that is published. The platform caches the JWKS for up to an hour, so a key added now may not be seen until then.`,
        platformError: CLIENT_ASSERTION_ERRORS.kidUnknown,
      });
      continue;
    }
    if (matches.length > 1) {
      out.push({
        rule: 'jwks-kid-duplicate',
        severity: 'warning',
        message: `The JWKS has ${matches.length} keys with kid '${kid}'; which one the platform uses is undefined.`,
        fix: 'Give every key its own KID and never reuse one.',
      });
    }
    const jwk = matches[0]!;
    out.push(...keyShapeRules(jwk, kid));
    const local =
      locals.find((l) => l.kid === kid) ??
      (locals.length === 1 && locals[0]!.kid === undefined ? locals[0] : undefined);
    if (local && jwk.kty === 'RSA' && !sameKey(jwk, local)) {
      const other = keys.find((k) => sameKey(k, local));
      out.push({
        rule: 'jwks-modulus-mismatch',
        severity: 'error',
        message: `kid '${kid}' is published, but with a different key: its modulus is ${nHint(jwk.n)}, yours is ${nHint(local.n)}.${other ? ` Your key is published under kid '${String(other.kid)}'.` : ''} Everything looks right until the signature check fails.`,
        fix: 'Publish the public key of the private key you sign with under this KID (nhs-auth keys jwks --key KEY.pem --kid KID), or sign with the private key that matches the published one. Never change the key behind a KID that is in use: publish a new KID.',
        platformError: CLIENT_ASSERTION_ERRORS.signature,
      });
    }
  }
  // A local key given without a KID: is its modulus published at all?
  for (const local of locals.filter((l) => l.kid === undefined && !opts.kid)) {
    const match = keys.find((k) => sameKey(k, local));
    if (!match) {
      out.push({
        rule: 'jwks-key-not-published',
        severity: 'error',
        message: `Your key (modulus ${nHint(local.n)}) is not in the JWKS: ${has}.`,
        fix: 'Append your public key to the JWKS (nhs-auth keys jwks --key KEY.pem --kid KID).',
        platformError: CLIENT_ASSERTION_ERRORS.signature,
      });
    } else {
      out.push(...keyShapeRules(match, String(match.kid ?? '(no kid)')));
    }
  }
  if (wanted.length === 0 && locals.length === 0) {
    for (const k of keys) out.push(...keyShapeRules(k, typeof k.kid === 'string' ? k.kid : '(no kid)'));
    if (keys.some((k) => typeof k.kid !== 'string')) {
      out.push({
        rule: 'jwks-kid-absent',
        severity: 'warning',
        message: "A key in the JWKS has no kid; the platform picks keys by the assertion's kid header.",
        fix: 'Give every key a kid (test-1, prod-1, …).',
      });
    }
  }
  return out;
}
