// The profile model: one app registration in one environment, with its key history.
// Public data only; the API key, client secret and private keys live in SecretStorage.
// Every operation returns a new object so the VS Code layer can diff and store snapshots.
import { randomUUID } from 'node:crypto';
import { AuthExplorerError } from '../errors.ts';
import {
  getEnvironment,
  isEnvironmentId,
  parseHttpUrl,
  tokenUrlFor,
  authorizeUrlFor,
} from '../environments.ts';
import type { EnvironmentId } from '../environments.ts';
import type { PublicJwk } from '../keys/jwks.ts';
import { assertValidKid, nextKid } from '../keys/kid.ts';

export interface KeyRecord {
  kid: string;
  status: 'active' | 'retired';
  createdAt: number;
  thumbprint: string;
  publicJwk: PublicJwk;
}

export interface Profile {
  id: string;
  name: string;
  environmentId: EnvironmentId;
  customTokenUrl?: string;
  customAuthorizeUrl?: string;
  callbackUrl?: string;
  /** Where this app's public keys are published, when it hosts its own JWKS (the portal's JWKS URL). */
  jwksUrl?: string;
  keys: KeyRecord[];
  /** Every KID this profile has ever had, deleted ones included: the docs say never reuse a KID. */
  kidsEverUsed: string[];
  hasClientSecret: boolean;
  createdAt: number;
}

export interface ProfileInput {
  name: string;
  environmentId: EnvironmentId;
  customTokenUrl?: string;
  customAuthorizeUrl?: string;
  callbackUrl?: string;
  id?: string;
  now?: number;
}

export const MAX_PROFILE_NAME_LENGTH = 60;

/** Undefined when the name is fine, else why not (shaped for an input box's validateInput). */
export function validateProfileName(
  name: string,
  others: readonly Pick<Profile, 'name'>[] = [],
): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the profile a name.';
  if (trimmed.length > MAX_PROFILE_NAME_LENGTH)
    return `Keep the name to ${MAX_PROFILE_NAME_LENGTH} characters or fewer.`;
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'The name must not contain control characters.';
  if (others.some((p) => p.name.trim().toLowerCase() === trimmed.toLowerCase()))
    return `A profile named '${trimmed}' already exists.`;
  return undefined;
}

function checkUrls(
  p: Pick<Profile, 'environmentId' | 'customTokenUrl' | 'customAuthorizeUrl' | 'callbackUrl' | 'jwksUrl'>,
): void {
  if (p.environmentId === 'custom' && !p.customTokenUrl) {
    throw new AuthExplorerError('ERR_ARGUMENT', 'A Custom profile needs a token URL.');
  }
  if (p.customTokenUrl) parseHttpUrl(p.customTokenUrl, 'token URL');
  if (p.customAuthorizeUrl) parseHttpUrl(p.customAuthorizeUrl, 'authorize URL');
  if (p.callbackUrl) parseHttpUrl(p.callbackUrl, 'callback URL');
  if (p.jwksUrl) parseHttpUrl(p.jwksUrl, 'JWKS URL');
}

export function createProfile(input: ProfileInput, existing: readonly Profile[] = []): Profile {
  if (!isEnvironmentId(input.environmentId)) {
    throw new AuthExplorerError('ERR_ARGUMENT', `Unknown environment '${String(input.environmentId)}'.`);
  }
  const problem = validateProfileName(input.name, existing);
  if (problem) throw new AuthExplorerError('ERR_ARGUMENT', problem);
  const profile: Profile = {
    id: input.id ?? randomUUID(),
    name: input.name.trim(),
    environmentId: input.environmentId,
    keys: [],
    kidsEverUsed: [],
    hasClientSecret: false,
    createdAt: input.now ?? Date.now(),
  };
  if (input.customTokenUrl) profile.customTokenUrl = input.customTokenUrl.trim();
  if (input.customAuthorizeUrl) profile.customAuthorizeUrl = input.customAuthorizeUrl.trim();
  if (input.callbackUrl) profile.callbackUrl = input.callbackUrl.trim();
  checkUrls(profile);
  if (existing.some((p) => p.id === profile.id))
    throw new AuthExplorerError('ERR_ARGUMENT', `A profile with id '${profile.id}' already exists.`);
  return profile;
}

/** Changes name, environment or URLs; keys and KID history are kept. */
export function updateProfile(
  profile: Profile,
  patch: Partial<
    Pick<
      Profile,
      | 'name'
      | 'environmentId'
      | 'customTokenUrl'
      | 'customAuthorizeUrl'
      | 'callbackUrl'
      | 'jwksUrl'
      | 'hasClientSecret'
    >
  >,
  others: readonly Profile[] = [],
): Profile {
  const next: Profile = { ...profile, ...patch };
  if (patch.name !== undefined) {
    const problem = validateProfileName(
      patch.name,
      others.filter((o) => o.id !== profile.id),
    );
    if (problem) throw new AuthExplorerError('ERR_ARGUMENT', problem);
    next.name = patch.name.trim();
  }
  if (!isEnvironmentId(next.environmentId))
    throw new AuthExplorerError('ERR_ARGUMENT', `Unknown environment '${String(next.environmentId)}'.`);
  for (const k of ['customTokenUrl', 'customAuthorizeUrl', 'callbackUrl', 'jwksUrl'] as const) {
    if (k in patch && !patch[k]) delete next[k];
  }
  checkUrls(next);
  return next;
}

function findKey(profile: Profile, kid: string): KeyRecord {
  const key = profile.keys.find((k) => k.kid === kid);
  if (!key)
    throw new AuthExplorerError('ERR_KID_UNKNOWN', `Profile '${profile.name}' has no key '${kid}'.`, { kid });
  return key;
}

/** Adds a key. Rotation is adding a new key while the old one stays active until retired. */
export function addKey(profile: Profile, record: KeyRecord): Profile {
  assertValidKid(record.kid);
  if (profile.kidsEverUsed.includes(record.kid) || profile.keys.some((k) => k.kid === record.kid)) {
    throw new AuthExplorerError(
      'ERR_KID_EXISTS',
      `The KID '${record.kid}' has already been used by this profile; KIDs must never be reused. Try '${nextKidFor(profile)}'.`,
      { kid: record.kid },
    );
  }
  if (record.publicJwk.kid !== record.kid) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      `The key record's JWK has kid '${record.publicJwk.kid}', not '${record.kid}'.`,
    );
  }
  return {
    ...profile,
    keys: [...profile.keys, { ...record }],
    kidsEverUsed: [...profile.kidsEverUsed, record.kid],
  };
}

/** Stops signing with a key and takes it out of the published JWKS (its private key is kept until deleted). */
export function retireKey(profile: Profile, kid: string): Profile {
  findKey(profile, kid);
  return {
    ...profile,
    keys: profile.keys.map((k) => (k.kid === kid ? { ...k, status: 'retired' as const } : k)),
  };
}

/** Brings a retired key back into use. */
export function reactivateKey(profile: Profile, kid: string): Profile {
  findKey(profile, kid);
  return {
    ...profile,
    keys: profile.keys.map((k) => (k.kid === kid ? { ...k, status: 'active' as const } : k)),
  };
}

/** Removes the key and drops it from the JWKS; its KID stays in kidsEverUsed so it is never reissued. */
export function deleteKey(profile: Profile, kid: string): Profile {
  findKey(profile, kid);
  return { ...profile, keys: profile.keys.filter((k) => k.kid !== kid) };
}

/** The key to sign with: the newest active one (so a freshly rotated key takes over). */
export function activeKey(profile: Profile): KeyRecord | undefined {
  let best: KeyRecord | undefined;
  for (const k of profile.keys) {
    if (k.status === 'active' && (!best || k.createdAt >= best.createdAt)) best = k;
  }
  return best;
}

export function requireActiveKey(profile: Profile): KeyRecord {
  const key = activeKey(profile);
  if (!key)
    throw new AuthExplorerError(
      'ERR_NO_ACTIVE_KEY',
      `Profile '${profile.name}' has no active key. Generate or import one first.`,
    );
  return key;
}

/**
 * The JWKS to publish: every active key, in the order added (new keys are appended),
 * so a rotation has two live keys until the old one is retired.
 */
export function profileJwks(profile: Profile): { keys: PublicJwk[] } {
  return { keys: profile.keys.filter((k) => k.status === 'active').map((k) => ({ ...k.publicJwk })) };
}

export function nextKidFor(profile: Profile): string {
  return nextKid(getEnvironment(profile.environmentId).kidPrefix, profile.kidsEverUsed);
}

export function profileTokenUrl(profile: Profile, opts: { emulatorUrl?: string } = {}): string {
  return tokenUrlFor(getEnvironment(profile.environmentId), {
    ...opts,
    customTokenUrl: profile.customTokenUrl,
  });
}

export function profileAuthorizeUrl(
  profile: Profile,
  opts: { emulatorUrl?: string } = {},
): string | undefined {
  return authorizeUrlFor(getEnvironment(profile.environmentId), {
    ...opts,
    customAuthorizeUrl: profile.customAuthorizeUrl,
  });
}
