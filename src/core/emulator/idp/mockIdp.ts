// One mock OpenID provider (NHS login or CIS2): its signing key, its authorization codes and the
// ID tokens it issues. Keys are RSA 2048 (generated at startup, kept small so startup stays fast).
import { createHash, generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import type { IdpProvider } from '../types.ts';
import type { MockUser } from './mockUsers.ts';
import { ExpiringMap } from '../expiringMap.ts';

const generateKeyPairAsync = promisify(generateKeyPair);
const CODE_TTL_MS = 5 * 60 * 1000;
const MAX_CODES = 10_000;
// NHS login ID tokens are said to last 60 minutes (third-party source); CIS2 publishes none (unsure).
const ID_TOKEN_TTL_S = 3600;

export const IDP_PATHS: Record<IdpProvider, string> = { 'nhs-login': '/mock-nhs-login', cis2: '/mock-cis2' };

interface IdpCode {
  clientId: string;
  redirectUri: string;
  user: MockUser;
  expiresAt: number;
}

export class MockIdp {
  readonly provider: IdpProvider;
  readonly kid: string;
  readonly #privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
  readonly #codes = new ExpiringMap<IdpCode>({ maxEntries: MAX_CODES });

  private constructor(provider: IdpProvider, privateKey: KeyObject, publicKey: KeyObject, kid: string) {
    this.provider = provider;
    this.kid = kid;
    this.#privateKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS512' };
  }

  static async create(provider: IdpProvider): Promise<MockIdp> {
    const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
    return new MockIdp(provider, privateKey, publicKey, `${provider}-${randomBytes(4).toString('hex')}`);
  }

  /** Unredeemed codes held now (for the load benchmark). */
  get pendingCodes(): number {
    return this.#codes.size;
  }

  /** The path prefix this IdP is served under, e.g. /mock-cis2. */
  get path(): string {
    return IDP_PATHS[this.provider];
  }

  issueCode(clientId: string, redirectUri: string, user: MockUser): string {
    const code = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + CODE_TTL_MS;
    this.#codes.set(code, { clientId, redirectUri, user, expiresAt }, expiresAt);
    return code;
  }

  /** Single use: a code is gone once redeemed, whatever the outcome. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): MockUser | undefined {
    const entry = this.#codes.take(code);
    if (!entry || entry.clientId !== clientId) return undefined;
    if (redirectUri !== undefined && redirectUri !== entry.redirectUri) return undefined;
    return entry.user;
  }

  async signLogoutToken(spec: LogoutTokenSpec): Promise<string> {
    return new SignJWT(spec.claims)
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: spec.kid ?? this.kid })
      .sign(this.#privateKey);
  }

  async issueIdToken(user: MockUser, clientId: string, issuer: string, accessToken: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> =
      this.provider === 'nhs-login'
        ? {
            aud: clientId,
            id_status: 'verified',
            token_use: 'id',
            auth_time: now,
            iss: issuer,
            vot: `${user.identityProofingLevel ?? 'P9'}.Cp.Cd`,
            exp: now + ID_TOKEN_TTL_S,
            iat: now,
            vtm: 'https://auth.sandpit.signin.nhs.uk/trustmark/auth.sandpit.signin.nhs.uk',
            jti: randomUUID(),
            identity_proofing_level: user.identityProofingLevel ?? 'P9',
            nhs_number: user.username,
            sub: user.username,
          }
        : {
            sub: user.username,
            iss: issuer,
            aud: clientId,
            azp: clientId,
            acr:
              user.authenticationAssuranceLevel === '3'
                ? 'AAL3_ANY'
                : `AAL${user.authenticationAssuranceLevel ?? '3'}_OR_ABOVE`,
            amr: [
              user.authenticationAssuranceLevel === '3'
                ? 'N3_SMARTCARD'
                : user.authenticationAssuranceLevel === '2'
                  ? 'FIDO_UAF'
                  : 'PWD',
            ],
            id_assurance_level: '3',
            authentication_assurance_level: user.authenticationAssuranceLevel ?? '3',
            auth_time: now,
            realm: '/NHSIdentity/Healthcare',
            tokenName: 'id_token',
            at_hash: atHash(accessToken),
            exp: now + ID_TOKEN_TTL_S,
            iat: now,
            ...(user.selectedRoleId ? { selected_roleid: user.selectedRoleId } : {}),
          };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: this.kid })
      .sign(this.#privateKey);
  }
}

/** A back-channel logout token as this IdP signs it (OpenID Connect Back-Channel Logout 1.0). */
export interface LogoutTokenSpec {
  claims: Record<string, unknown>;
  kid?: string;
}

/** OIDC at_hash for RS512: base64url of the left half of SHA-512 of the access token. */
function atHash(accessToken: string): string {
  const digest = createHash('sha512').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
