import { randomBytes } from 'node:crypto';
import { AuthExplorerError } from '../core/errors.ts';
import { generateKeyPair, type KeyPairPem } from '../core/keys/generateKeyPair.ts';
import type { PublicJwk } from '../core/keys/jwks.ts';
import { createKeyRecord } from '../core/profiles/keyRecord.ts';
import {
  addKey,
  deleteKey,
  nextKidFor,
  profileJwks,
  requireActiveKey,
  retireKey,
  type KeyRecord,
} from '../core/profiles/profile.ts';
import type { EmulatorHost } from './emulatorHost.ts';
import type { ProfileStore } from './profileStore.ts';
import { secretKeys, type Secrets } from './secrets.ts';

export const DEFAULT_CALLBACK_URL = 'http://127.0.0.1:8765/callback';

/** Random credentials for a local-emulator profile: there is no portal to copy them from. */
export function localCredentials(): { apiKey: string; clientSecret: string } {
  return { apiKey: randomBytes(16).toString('hex'), clientSecret: randomBytes(16).toString('hex') };
}

/**
 * Keys of a profile: the public half and KID bookkeeping in the profile (extension state), the
 * private key only in SecretStorage. Signing uses the newest active key; the JWKS publishes every
 * active key, so a rotation has two live keys until the old one is retired.
 */
export class Keyring {
  private readonly profiles: ProfileStore;
  private readonly secrets: Secrets;
  private readonly emulator: EmulatorHost;

  constructor(profiles: ProfileStore, secrets: Secrets, emulator: EmulatorHost) {
    this.profiles = profiles;
    this.secrets = secrets;
    this.emulator = emulator;
  }

  /** Generates an RSA-4096 pair off the extension host's thread and adds it under the next KID. */
  async generate(profileId: string, signal?: AbortSignal): Promise<KeyRecord> {
    const pair = await generateKeyPair({ signal });
    return this.add(profileId, pair);
  }

  /** Adds an imported or generated pair under the next KID of the profile. */
  async add(profileId: string, pair: KeyPairPem): Promise<KeyRecord> {
    const record = await createKeyRecord(nextKidFor(this.profiles.get(profileId)), pair.publicKeyPem);
    // The private key is stored before the KID is announced, so a KID never exists without its key.
    await this.secrets.store(secretKeys.privateKey(profileId, record.kid), pair.privateKeyPem);
    await this.profiles.save(addKey(this.profiles.get(profileId), record));
    await this.syncEmulatorApp(profileId);
    return record;
  }

  async retire(profileId: string, kid: string): Promise<void> {
    await this.profiles.save(retireKey(this.profiles.get(profileId), kid));
    await this.syncEmulatorApp(profileId);
  }

  /** Deletes the key and its private half; the KID stays in kidsEverUsed so it is never reused. */
  async delete(profileId: string, kid: string): Promise<void> {
    const next = deleteKey(this.profiles.get(profileId), kid);
    await this.secrets.delete(secretKeys.privateKey(profileId, kid));
    await this.profiles.save(next);
    await this.syncEmulatorApp(profileId);
  }

  /** The newest active key with its private PEM, for signing. */
  async signingKey(profileId: string): Promise<{ kid: string; privateKeyPem: string }> {
    const { kid } = requireActiveKey(this.profiles.get(profileId));
    return { kid, privateKeyPem: await this.privateKey(profileId, kid) };
  }

  async privateKey(profileId: string, kid: string): Promise<string> {
    const pem = await this.secrets.get(secretKeys.privateKey(profileId, kid));
    if (!pem)
      throw new AuthExplorerError(
        'ERR_SECRET_MISSING',
        `The private key for ${kid} is not in SecretStorage (was it deleted, or created on another machine?).`,
        { profileId, kid },
      );
    return pem;
  }

  /** The portal-ready JWKS: every active key. */
  jwks(profileId: string): { keys: PublicJwk[] } {
    return profileJwks(this.profiles.get(profileId));
  }

  /** Keeps a local profile's app registered with the emulator, which lives in memory. */
  async syncEmulatorApp(profileId: string): Promise<void> {
    const profile = this.profiles.get(profileId);
    if (profile.environmentId !== 'local') return;
    const apiKey = await this.secrets.get(secretKeys.apiKey(profileId));
    if (!apiKey) return;
    await this.emulator.registerProfileApp({
      name: profile.name,
      apiKey,
      clientSecret: (await this.secrets.get(secretKeys.clientSecret(profileId))) ?? undefined,
      jwks: this.jwks(profileId) as unknown as { keys: Record<string, unknown>[] },
      redirectUri: profile.callbackUrl ?? DEFAULT_CALLBACK_URL,
    });
  }
}
