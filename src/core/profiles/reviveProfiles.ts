// Reading profiles back from storage: stored JSON may be old, hand-edited or corrupt.
import { isEnvironmentId } from '../environments.ts';
import type { KeyRecord, Profile } from './profile.ts';

function isKeyRecord(v: unknown): v is KeyRecord {
  if (typeof v !== 'object' || v === null) return false;
  const k = v as Record<string, unknown>;
  const jwk = k.publicJwk as Record<string, unknown> | undefined;
  return (
    typeof k.kid === 'string' &&
    (k.status === 'active' || k.status === 'retired') &&
    typeof k.createdAt === 'number' &&
    typeof k.thumbprint === 'string' &&
    typeof jwk === 'object' &&
    jwk !== null &&
    jwk.kty === 'RSA' &&
    typeof jwk.n === 'string' &&
    typeof jwk.e === 'string' &&
    jwk.kid === k.kid
  );
}

function optionalString(v: unknown): v is string | undefined {
  return v === undefined || typeof v === 'string';
}

/** One stored profile, or undefined when it cannot be trusted. */
export function reviveProfile(value: unknown): Profile | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  if (
    typeof p.id !== 'string' ||
    typeof p.name !== 'string' ||
    typeof p.environmentId !== 'string' ||
    !isEnvironmentId(p.environmentId)
  )
    return undefined;
  if (
    !optionalString(p.customTokenUrl) ||
    !optionalString(p.customAuthorizeUrl) ||
    !optionalString(p.callbackUrl) ||
    !optionalString(p.jwksUrl)
  )
    return undefined;
  const keys = Array.isArray(p.keys) ? p.keys.filter(isKeyRecord) : [];
  const ever = Array.isArray(p.kidsEverUsed)
    ? p.kidsEverUsed.filter((k): k is string => typeof k === 'string')
    : [];
  // A KID in use must always count as used, even if the history was lost.
  const kidsEverUsed = [...new Set([...ever, ...keys.map((k) => k.kid)])];
  const profile: Profile = {
    id: p.id,
    name: p.name,
    environmentId: p.environmentId,
    keys,
    kidsEverUsed,
    hasClientSecret: p.hasClientSecret === true,
    createdAt: typeof p.createdAt === 'number' ? p.createdAt : 0,
  };
  if (typeof p.customTokenUrl === 'string') profile.customTokenUrl = p.customTokenUrl;
  if (typeof p.customAuthorizeUrl === 'string') profile.customAuthorizeUrl = p.customAuthorizeUrl;
  if (typeof p.callbackUrl === 'string') profile.callbackUrl = p.callbackUrl;
  if (typeof p.jwksUrl === 'string') profile.jwksUrl = p.jwksUrl;
  return profile;
}

/** All trustworthy profiles from a stored array; anything else yields []. Duplicate ids keep the first. */
export function reviveProfiles(value: unknown): Profile[] {
  if (!Array.isArray(value)) return [];
  const out: Profile[] = [];
  for (const v of value) {
    const p = reviveProfile(v);
    if (p && !out.some((o) => o.id === p.id)) out.push(p);
  }
  return out;
}
