// Rules that need the JWKS: is the kid published, and does the signature verify with that key.
import { compactVerify, importJWK } from 'jose';
import type { JWK } from 'jose';
import { CLIENT_ASSERTION_ERRORS } from './platformErrors.ts';
import { CHECK_ORDER } from './lintTypes.ts';
import type { OrderedFinding } from './lintTypes.ts';

function modulusBits(n: unknown): number | undefined {
  if (typeof n !== 'string') return undefined;
  const bytes = Buffer.from(n, 'base64url');
  let bits = bytes.length * 8;
  // Leading zero bits of the first byte do not count.
  const first = bytes[0] ?? 0;
  for (let mask = 0x80; mask > 0 && (first & mask) === 0; mask >>= 1) bits--;
  return bits;
}

export async function lintKeyRules(
  jwt: string,
  kid: string,
  jwks: { keys: Record<string, unknown>[] },
): Promise<OrderedFinding[]> {
  const findings: OrderedFinding[] = [];
  const matches = jwks.keys.filter((k) => k.kid === kid);
  if (matches.length === 0) {
    const published = jwks.keys.map((k) => (typeof k.kid === 'string' ? k.kid : '(no kid)'));
    findings.push({
      order: CHECK_ORDER.jwks,
      rule: 'kid-not-in-jwks',
      severity: 'error',
      message:
        published.length > 0
          ? `kid '${kid}' is not in the JWKS, which has: ${published.join(', ')}.`
          : `kid '${kid}' is not in the JWKS: it has no keys.`,
      fix: 'Sign with a KID that is published, or add this public key to the JWKS (append it: keep the old key until nothing signs with it). The platform caches a JWKS URL for up to 1 hour, so a new key may take that long to be seen.',
      platformError: CLIENT_ASSERTION_ERRORS.kidUnknown,
    });
    return findings;
  }
  if (matches.length > 1) {
    findings.push({
      order: CHECK_ORDER.jwk,
      rule: 'jwks-duplicate-kid',
      severity: 'warning',
      message: `The JWKS has ${matches.length} keys with kid '${kid}'; which one is used is undefined.`,
      fix: 'Give every key its own KID and never reuse one.',
    });
  }
  const jwk = matches[0]!;
  if (jwk.kty !== 'RSA') {
    findings.push({
      order: CHECK_ORDER.signature,
      rule: 'signature',
      severity: 'error',
      message: `The JWKS key '${kid}' is ${String(jwk.kty)}, not RSA, so an RS512 signature cannot verify.`,
      fix: 'Publish the RSA public key that matches the private key you sign with.',
      platformError: CLIENT_ASSERTION_ERRORS.signature,
    });
    return findings;
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    findings.push({
      order: CHECK_ORDER.jwk,
      rule: 'jwk-use',
      severity: 'warning',
      message: `The JWKS key '${kid}' has use '${String(jwk.use)}'; signing keys have use 'sig'.`,
      fix: 'Set "use": "sig" on the key in the JWKS.',
    });
  }
  if (jwk.alg !== undefined && jwk.alg !== 'RS512') {
    findings.push({
      order: CHECK_ORDER.jwk,
      rule: 'jwk-alg',
      severity: 'warning',
      message: `The JWKS key '${kid}' declares alg '${String(jwk.alg)}'; the platform uses RS512.`,
      fix: 'Set "alg": "RS512" on the key or leave alg out.',
    });
  }
  const bits = modulusBits(jwk.n);
  if (bits !== undefined && bits < 4096) {
    findings.push({
      order: CHECK_ORDER.jwk,
      rule: 'jwk-size',
      severity: 'warning',
      message: `The JWKS key '${kid}' is ${bits} bits; the platform's docs require 4096-bit RSA keys.`,
      fix: 'Generate a 4096-bit key pair (nhs-auth keys generate) and rotate to it.',
    });
  }
  try {
    // Only the key material: a stray alg/use/key_ops on the published JWK must not block the check.
    const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e } as JWK, 'RS512');
    // Only the signature is checked here: exp/aud were linted above with the platform's own rules.
    await compactVerify(jwt.trim(), key, { algorithms: ['RS512'] });
  } catch (e) {
    const reason =
      (e as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        ? 'the signature does not verify with it'
        : `it could not be used: ${(e as Error).message}`;
    findings.push({
      order: CHECK_ORDER.signature,
      rule: 'signature',
      severity: 'error',
      message: `The JWKS has kid '${kid}' but ${reason}.`,
      fix: 'The private key that signed this is not the one published under this KID. Publish the public key of the signing key (nhs-auth keys jwks --key KEY.pem --kid KID), or sign with the matching private key. Never change the key behind an existing KID: use a new KID.',
      platformError: CLIENT_ASSERTION_ERRORS.signature,
    });
  }
  return findings;
}
