import type { JtiHistory } from './jtiHistory.ts';
import type { Keyring } from './keyring.ts';
import type { Services } from './services.ts';

/** Services plus the key-related ones, for the profile and key commands. */
export interface KeyServices extends Services {
  readonly keyring: Keyring;
  readonly jtis: JtiHistory;
}
