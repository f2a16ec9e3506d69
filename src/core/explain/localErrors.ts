// Errors that happen on this machine, before anything is sent: the error's own message says what is
// wrong; this adds a title and the fix.
import type { ErrorCode } from '../errors.ts';
import type { Explanation } from './explanation.ts';

const LOCAL: Partial<Record<ErrorCode, { id: string; title: string; fix: string }>> = {
  ERR_NO_ACTIVE_KEY: { id: 'no-active-key', title: 'No active signing key', fix: 'Generate or import a key for this profile (NHS Auth: Generate Key Pair), or reactivate a retired one.' },
  ERR_SECRET_MISSING: { id: 'secret-missing', title: 'A credential is missing', fix: 'Edit the profile to add it; credentials are kept only in this machine\u2019s SecretStorage, so a profile made elsewhere needs them again.' },
  ERR_KID_UNKNOWN: { id: 'kid-unknown', title: 'No key with that KID', fix: 'Pick a KID listed under the profile in the Environments tree.' },
  ERR_KID_EXISTS: { id: 'kid-exists', title: 'That KID was used before', fix: 'The platform requires a new KID for every key; use the next one offered (test-N or prod-N).' },
  ERR_PROFILE_UNKNOWN: { id: 'profile-unknown', title: 'No such profile', fix: 'Pick a profile from the Environments tree; it may have been removed.' },
  ERR_PEM_INVALID: { id: 'pem-invalid', title: 'Not a readable PEM private key', fix: 'Choose the private key file (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), not the public key or certificate.' },
  ERR_KEY_TYPE: { id: 'key-type', title: 'Not an RSA private key', fix: 'The platform needs an RSA key pair for RS512: import the RSA private key, or generate one here.' },
  ERR_KEY_SIZE: { id: 'key-size', title: 'The key is smaller than 4096 bits', fix: 'The platform requires 4096-bit RSA keys: generate a new key pair here (NHS Auth: Generate Key Pair).' },
  ERR_PKCS12_PASSPHRASE: { id: 'pkcs12-passphrase', title: 'Wrong PKCS#12 passphrase', fix: 'Import again with the passphrase the .pfx/.p12 file was exported with.' },
  ERR_PKCS12_INVALID: { id: 'pkcs12-invalid', title: 'Not a usable PKCS#12 file', fix: 'Choose a .pfx/.p12 file that contains an RSA private key, or export the key as PEM and import that.' },
  ERR_JWKS_INVALID: { id: 'jwks-invalid', title: 'Not a valid JWKS', fix: 'A JWKS is JSON shaped {"keys": [{"kty": "RSA", "n": …, "e": …, "kid": …}]}; export it again from the profile.' },
  ERR_JWT_MALFORMED: { id: 'jwt-malformed', title: 'Not a well-formed JWT', fix: 'Paste the whole token: three base64url parts separated by dots, without quotes or line breaks.' },
  ERR_ARGUMENT: { id: 'argument', title: 'That value cannot be used', fix: 'Correct the value named in the message and try again.' },
  ERR_PREFLIGHT: { id: 'preflight', title: 'The platform would refuse this', fix: 'Fix the first finding in the pre-flight report (it names the platform\u2019s error and the fix), or send anyway to see the platform\u2019s own answer.' },
  ERR_APPS_FILE: { id: 'apps-file', title: 'The emulator apps file is not valid', fix: 'Fix the field named in the message; see docs/emulator.md for the file\u2019s shape.' },
};

/** The explanation of a local error, or undefined when the code is not a local one. */
export function explainLocal(code: string, message: string | undefined): Explanation | undefined {
  const entry = LOCAL[code as ErrorCode];
  if (!entry) return undefined;
  return { code, id: entry.id, title: entry.title, causes: [message ?? entry.title], fix: entry.fix };
}
