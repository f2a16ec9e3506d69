// Building the public record of a key that a profile keeps.
import { jwkThumbprint, publicJwk } from '../keys/jwks.ts';
import { assertValidKid } from '../keys/kid.ts';
import type { KeyRecord } from './profile.ts';

export async function createKeyRecord(
  kid: string,
  publicOrPrivateKeyPem: string,
  now: number = Date.now(),
): Promise<KeyRecord> {
  assertValidKid(kid);
  const jwk = await publicJwk(publicOrPrivateKeyPem, kid);
  return { kid, status: 'active', createdAt: now, thumbprint: await jwkThumbprint(jwk), publicJwk: jwk };
}
