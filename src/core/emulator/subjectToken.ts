// Validates the ID token sent as subject_token in a token exchange, in the order of
// validate-subject-token-claims.js, then the issuer (which IdP), the kid and the signature.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { compactVerify } from 'jose';
import { decodeJwtParts } from '../jwt/decode.ts';
import type { DecodedJwt } from '../jwt/decode.ts';
import type { EmulatorState } from './state.ts';
import type { IdpProvider, Reply } from './types.ts';
import { IDP_PATHS } from './idp/mockIdp.ts';
import { platformReply } from './replies.ts';
import type { PlatformErrorId } from '../platform/platformErrors.ts';

export type SubjectTokenResult =
  { ok: true; provider: IdpProvider; level: string } | { ok: false; reply: Reply };

const fail = (id: PlatformErrorId): SubjectTokenResult => ({ ok: false, reply: platformReply(id) });

/** Which mock IdP issued it: any origin, as long as the path is one of ours (the signature decides). */
function providerOfIssuer(iss: string): IdpProvider | undefined {
  let path: string;
  try {
    path = new URL(iss).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  return (Object.keys(IDP_PATHS) as IdpProvider[]).find((p) => path.endsWith(IDP_PATHS[p]));
}

export async function validateSubjectToken(state: EmulatorState, token: string): Promise<SubjectTokenResult> {
  let jwt: DecodedJwt;
  try {
    jwt = decodeJwtParts(token);
  } catch {
    return fail('subjectTokenMalformed');
  }
  const { header, payload } = jwt;
  if (!header.kid) return fail('subjectTokenKidMissing');
  if (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt') return fail('subjectTokenTyp');
  if (!header.alg) return fail('subjectTokenAlgMissing');
  if (!payload.exp) return fail('subjectTokenExpMissing');
  if (typeof payload.exp !== 'number') return fail('subjectTokenExpType');
  if (Date.now() > payload.exp * 1000) return fail('subjectTokenExpired');
  if (!payload.iss) return fail('subjectTokenIssMissing');
  // A quirk of the platform: a missing aud is a 401, not a 400.
  if (!payload.aud) return fail('subjectTokenAudMissing');
  const provider = typeof payload.iss === 'string' ? providerOfIssuer(payload.iss) : undefined;
  if (!provider) return fail('subjectTokenIss');
  const idp = state.idps[provider];
  if (header.kid !== idp.kid) return fail('subjectTokenKidUnknown');
  try {
    await compactVerify(token.trim(), createPublicKey({ key: idp.publicJwk as JsonWebKey, format: 'jwk' }), {
      algorithms: ['RS512', 'RS256'],
    });
  } catch {
    // The platform's wording for a bad ID token signature is not public (unsure).
    return fail('assertionSignature');
  }
  const level =
    provider === 'nhs-login' ? payload.identity_proofing_level : payload.authentication_assurance_level;
  return {
    ok: true,
    provider,
    level: typeof level === 'string' || typeof level === 'number' ? String(level) : '',
  };
}
