// Everything one running emulator holds in memory.
import { AppsRegistry } from './appsRegistry.ts';
import { JwksCache } from './jwksCache.ts';
import { JtiStore } from './clientAssertion.ts';
import { TokenStore } from './tokenStore.ts';
import { FaultQueue } from './faults.ts';
import { MockIdp } from './idp/mockIdp.ts';
import { AuthorizeSessions } from './authorizeSessions.ts';
import type { IdpProvider } from './types.ts';
import type { HttpTransport } from '../http/transport.ts';

export class EmulatorState {
  readonly apps = new AppsRegistry();
  readonly jwksCache: JwksCache;
  readonly jtiStore = new JtiStore();
  readonly tokens = new TokenStore();
  readonly faults = new FaultQueue();
  readonly sessions = new AuthorizeSessions();
  readonly idps: Record<IdpProvider, MockIdp>;
  /** The key /_status wants in its apikey header (the control token). */
  statusApiKey = '';

  private constructor(idps: Record<IdpProvider, MockIdp>, transport?: HttpTransport) {
    this.idps = idps;
    this.jwksCache = new JwksCache(transport);
  }

  static async create(transport?: HttpTransport): Promise<EmulatorState> {
    const [nhsLogin, cis2] = await Promise.all([MockIdp.create('nhs-login'), MockIdp.create('cis2')]);
    return new EmulatorState({ 'nhs-login': nhsLogin, cis2 }, transport);
  }
}
