// Mismatches between things that live in different places: a KID named for one kind of environment
// used on another, one public key registered in two environments, one API key used in two. The
// platform's docs ask for a key pair and KID per environment, named test-N or prod-N.
import { createHash } from 'node:crypto';
import { CLIENT_ASSERTION_ERRORS } from '../assertion/platformErrors.ts';
import { environmentOfTokenUrl, environmentsOfHost, getEnvironment } from '../environments.ts';
import type { EnvironmentId, EnvironmentInfo } from '../environments.ts';
import type { PreflightFinding } from './findings.ts';

export interface PairingProfile {
  id: string;
  name: string;
  environmentId: EnvironmentId;
  customTokenUrl?: string;
  keys: readonly { kid: string; thumbprint: string; status?: string }[];
  /** apiKeyFingerprint(apiKey) when the profile has an API key; never the key itself. */
  apiKeyFingerprint?: string;
}

export type PairingFinding = PreflightFinding & { profileId: string };

/** A one-way fingerprint, so API keys can be compared without being kept or shown. */
export function apiKeyFingerprint(apiKey: string): string {
  return createHash('sha256').update(`nhs-auth api key\0${apiKey}`).digest('base64url').slice(0, 22);
}

/** The platform environment a profile talks to: its own, or the one its custom token URL names. */
export function platformEnvironmentOf(
  p: Pick<PairingProfile, 'environmentId' | 'customTokenUrl'>,
): EnvironmentInfo | undefined {
  const env = getEnvironment(p.environmentId);
  if (env.host) return env;
  if (p.environmentId === 'custom' && p.customTokenUrl)
    return environmentOfTokenUrl(p.customTokenUrl) ?? environmentsOfHost(p.customTokenUrl)[0];
  return undefined;
}

const KID_NAME = /^(test|prod)-\d+$/;

function kidRules(p: PairingProfile, env: EnvironmentInfo): PairingFinding[] {
  const out: PairingFinding[] = [];
  for (const key of p.keys) {
    const m = KID_NAME.exec(key.kid);
    if (!m || m[1] === env.kidPrefix) continue;
    const named = m[1] === 'prod' ? 'production' : 'a test environment';
    out.push({
      profileId: p.id,
      rule: 'kid-environment',
      severity: 'warning',
      message: `Profile '${p.name}' targets ${env.label} but its key '${key.kid}' is named for ${named}.`,
      fix: `Use a key pair made for ${env.label}, named ${env.kidPrefix}-N (Generate Key Pair names it for you), and register its public key for this environment's app. A key registered for another environment is unknown here.`,
      platformError: CLIENT_ASSERTION_ERRORS.kidUnknown,
      inferred: true,
    });
  }
  return out;
}

function hostOf(env: EnvironmentInfo): string {
  return env.host ?? env.id;
}

export function environmentPairingFindings(profiles: readonly PairingProfile[]): PairingFinding[] {
  const out: PairingFinding[] = [];
  const placed = profiles.map((p) => ({ p, env: platformEnvironmentOf(p) }));
  for (const { p, env } of placed) if (env) out.push(...kidRules(p, env));

  // Same public key (thumbprint) in profiles of two platform environments (hosts).
  for (const { p, env } of placed) {
    if (!env) continue;
    for (const key of p.keys) {
      const others = placed.filter(
        (o) =>
          o.p.id !== p.id &&
          o.env &&
          hostOf(o.env) !== hostOf(env) &&
          o.p.keys.some((k) => k.thumbprint === key.thumbprint),
      );
      if (others.length === 0) continue;
      const where = others.map((o) => `'${o.p.name}' (${o.env!.label})`).join(', ');
      out.push({
        profileId: p.id,
        rule: 'key-shared-across-environments',
        severity: 'warning',
        message: `The public key '${key.kid}' of '${p.name}' (${env.label}) is also in ${where}.`,
        fix: 'Generate a separate key pair and KID for each environment: the docs ask for one per environment, so a production key is never exposed by test tooling.',
      });
    }
  }

  // Same API key in profiles of two platform environments: each environment has its own app and key.
  for (const { p, env } of placed) {
    if (!env || !p.apiKeyFingerprint) continue;
    const others = placed.filter(
      (o) =>
        o.p.id !== p.id &&
        o.env &&
        hostOf(o.env) !== hostOf(env) &&
        o.p.apiKeyFingerprint === p.apiKeyFingerprint,
    );
    if (others.length === 0) continue;
    const where = others.map((o) => `'${o.p.name}' (${o.env!.label})`).join(', ');
    out.push({
      profileId: p.id,
      rule: 'api-key-environment',
      severity: 'warning',
      message: `Profile '${p.name}' targets ${env.label} but its API key is the same as ${where}; an API key belongs to one environment's app.`,
      fix: `Use the API key of the app registered for ${env.label} (the developer portal shows one per environment).`,
      platformError: env.id === 'sandbox' ? undefined : CLIENT_ASSERTION_ERRORS.issUnknown,
      inferred: true,
    });
  }
  return out;
}

/** Pairing checks for one assertion on its own: the KID it names against the environment it is for. */
export function kidEnvironmentFindings(kid: unknown, env: EnvironmentInfo): PreflightFinding[] {
  if (typeof kid !== 'string' || !env.host) return [];
  return kidRules(
    { id: '', name: 'this assertion', environmentId: env.id, keys: [{ kid, thumbprint: '' }] },
    env,
  ).map(({ profileId: _p, ...f }) => ({
    ...f,
    message: `The assertion targets ${env.label} but its kid '${kid}' is named for ${env.kidPrefix === 'prod' ? 'a test environment' : 'production'}.`,
  }));
}
