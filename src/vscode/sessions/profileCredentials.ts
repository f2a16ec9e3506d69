import * as vscode from 'vscode';
import { AuthExplorerError } from '../../core/errors.ts';
import { assertionSigner } from '../../core/token/assertionSigner.ts';
import type { KeyServices } from '../keyServices.ts';
import { profileTokenUrl } from '../profileUrls.ts';
import { secretKeys } from '../secrets.ts';

export interface ProfileCredentialSet {
  tokenUrl: string;
  apiKey: string;
  clientSecret?: string;
}

/**
 * The one place a profile's credentials are resolved (API key, client secret, token URL, signing
 * key), for first grants and for refreshes and renewals alike.
 */
export class ProfileCredentials {
  private readonly services: KeyServices;

  constructor(services: KeyServices) {
    this.services = services;
  }

  async secrets(profileId: string, needSecret = false): Promise<{ apiKey: string; clientSecret?: string }> {
    const profile = this.services.profiles.get(profileId);
    const apiKey = await this.services.secrets.get(secretKeys.apiKey(profileId));
    if (!apiKey)
      throw new AuthExplorerError(
        'ERR_SECRET_MISSING',
        `Profile "${profile.name}" has no API key: edit the profile to add it.`,
        { profileId },
      );
    const clientSecret = await this.services.secrets.get(secretKeys.clientSecret(profileId));
    if (needSecret && !clientSecret)
      throw new AuthExplorerError(
        'ERR_SECRET_MISSING',
        `Profile "${profile.name}" has no client secret; authorization code and refresh need it. Edit the profile to add it.`,
        { profileId },
      );
    return { apiKey, clientSecret };
  }

  /** Everything a grant needs; a local profile's app is registered with the emulator first. */
  async forGrant(profileId: string, needSecret = false): Promise<ProfileCredentialSet> {
    const profile = this.services.profiles.get(profileId);
    if (profile.environmentId === 'local') await this.services.keyring.syncEmulatorApp(profileId);
    return {
      tokenUrl: await profileTokenUrl(profile, this.services.emulator),
      ...(await this.secrets(profileId, needSecret)),
    };
  }

  /** Signs a fresh assertion (new jti) per call, with the profile's newest active key. */
  async signer(profileId: string, tokenUrl: string, apiKey: string): Promise<() => Promise<string>> {
    const { kid, privateKeyPem } = await this.services.keyring.signingKey(profileId);
    const lifetimeSeconds = vscode.workspace
      .getConfiguration('nhsAuth')
      .get<number>('assertionLifetimeSeconds', 300);
    return assertionSigner({ privateKeyPem, kid, apiKey, tokenUrl, lifetimeSeconds });
  }
}
