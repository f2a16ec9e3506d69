// The registered developer apps, keyed by API key (the platform's client_id).
import { AuthExplorerError } from '../errors.ts';
import type { EmulatorAppConfig } from './types.ts';
import { validateApp } from './appsFile.ts';

export class AppsRegistry {
  readonly #apps = new Map<string, EmulatorAppConfig>();

  add(value: unknown, where = 'app'): EmulatorAppConfig {
    const app = validateApp(value, where);
    if (this.#apps.has(app.apiKey))
      throw new AuthExplorerError('ERR_APPS_FILE', `${where}.apiKey is already registered`);
    this.#apps.set(app.apiKey, app);
    return app;
  }

  /** Registers or replaces the app with this API key (a profile that changed its keys or secret). */
  put(value: unknown, where = 'app'): EmulatorAppConfig {
    const app = validateApp(value, where);
    this.#apps.set(app.apiKey, app);
    return app;
  }

  delete(apiKey: string): boolean {
    return this.#apps.delete(apiKey);
  }

  get size(): number {
    return this.#apps.size;
  }

  get(apiKey: string): EmulatorAppConfig | undefined {
    return this.#apps.get(apiKey);
  }

  list(): EmulatorAppConfig[] {
    return [...this.#apps.values()];
  }

  /** What the index and control API show: never secrets or keys. */
  publicView(): Record<string, unknown>[] {
    return this.list().map(publicViewOf);
  }
}

/** One app as the control API shows it: never its secret or keys. */
export function publicViewOf(a: EmulatorAppConfig): Record<string, unknown> {
  return {
    name: a.name,
    apiKey: a.apiKey,
    products: a.products,
    otherProducts: a.otherProducts ?? [],
    status: a.status ?? 'approved',
    redirectUri: a.redirectUri ?? null,
    publicKeys: a.jwksUrl ? 'jwksUrl' : a.jwks ? 'inline' : 'none',
  };
}
