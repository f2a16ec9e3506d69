import {
  profileAuthorizeUrl as authorizeUrl,
  profileTokenUrl as tokenUrl,
  type Profile,
} from '../core/profiles/profile.ts';
import type { EmulatorHost } from './emulatorHost.ts';

/** The exact token URL of a profile: what `aud` must equal. Local profiles ask the emulator for its URL. */
export async function profileTokenUrl(profile: Profile, emulator: EmulatorHost): Promise<string> {
  return tokenUrl(profile, {
    emulatorUrl: profile.environmentId === 'local' ? await emulator.url() : undefined,
  });
}

export async function profileAuthorizeUrl(
  profile: Profile,
  emulator: EmulatorHost,
): Promise<string | undefined> {
  return authorizeUrl(profile, {
    emulatorUrl: profile.environmentId === 'local' ? await emulator.url() : undefined,
  });
}
