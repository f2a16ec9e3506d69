import * as vscode from 'vscode';
import { ALL_HELLO_WORLD_PRODUCTS } from '../core/emulator/demoApp.ts';
import { startEmulator, type EmulatorAppConfig, type RunningEmulator } from '../core/emulator/server.ts';
import { AuthExplorerError } from '../core/errors.ts';
import { httpRequest } from '../core/http/httpRequest.ts';
import { hostTransport } from './hostTransport.ts';
import type { Log } from './output.ts';

/**
 * The "Local emulator" environment. Uses an emulator the user points at (NHS_AUTH_EMULATOR_URL,
 * set by `npm start`, or the nhsAuth.emulatorUrl setting); otherwise starts the embedded one on a
 * free loopback port the first time it is needed, so everything works offline. The control API
 * token is NHS_AUTH_EMULATOR_CONTROL_TOKEN for an external emulator, and known for the embedded one.
 * In an untrusted workspace only the user's own nhsAuth.emulatorUrl counts (a cloned repository
 * must not redirect the Local profile's assertions and secrets).
 */
export class EmulatorHost implements vscode.Disposable {
  private readonly log: Log;
  private embedded: Promise<RunningEmulator> | undefined;

  constructor(log: Log) {
    this.log = log;
  }

  private externalUrl(): string | undefined {
    const config = vscode.workspace.getConfiguration('nhsAuth');
    const configured = (
      vscode.workspace.isTrusted
        ? config.get<string>('emulatorUrl')
        : config.inspect<string>('emulatorUrl')?.globalValue
    )?.trim();
    const url = configured || process.env.NHS_AUTH_EMULATOR_URL?.trim();
    return url ? url.replace(/\/+$/, '') : undefined;
  }

  /** True when the emulator runs inside this extension host. */
  isEmbedded(): boolean {
    return this.externalUrl() === undefined;
  }

  async url(): Promise<string> {
    const external = this.externalUrl();
    if (external) return external;
    this.embedded ??= startEmulator({ port: 0, demoApp: false, transport: hostTransport }).then(
      async (running) => {
        this.log.info(`Embedded emulator listening on ${running.url}`);
        await this.forward(running);
        return running;
      },
    );
    return (await this.embedded).url;
  }

  /**
   * In a remote window the emulator runs on the remote machine: forward its port to the user's machine
   * (asExternalUri; a no-op locally) and let its fence answer at the forwarded address, where the
   * browser opens its sign-in pages. A path proxy on the workbench's own origin (code-server's
   * /proxy/<port>/) redirects the browser to the port itself and needs nothing.
   */
  private async forward(running: RunningEmulator): Promise<void> {
    try {
      const external = new URL(
        (await vscode.env.asExternalUri(vscode.Uri.parse(running.url))).toString(true),
      );
      if (external.origin !== new URL(running.url).origin && external.pathname.replace(/\/+$/, '') === '') {
        running.allowForwardedOrigin(external.origin);
        this.log.info(`The embedded emulator is forwarded to ${external.origin} for your browser.`);
      }
    } catch (e) {
      this.log.warn(`The embedded emulator's port could not be forwarded: ${(e as Error).message}`);
    }
  }

  /** The control API's bearer token, for tools and tests that inject faults. */
  async controlToken(): Promise<string | undefined> {
    if (this.externalUrl()) return process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN?.trim() || undefined;
    await this.url();
    return (await this.embedded!).controlToken;
  }

  /** Registers (or replaces) an app, so a local profile's key and secret are known to the emulator. */
  /** The product scopes a Local profile's app is subscribed to: every one, so every grant and level can be tried offline. */
  readonly productScopes: readonly string[] = ALL_HELLO_WORLD_PRODUCTS;

  /** Registers (or updates) a Local profile's app, approved and subscribed to every product. */
  async registerProfileApp(app: Omit<EmulatorAppConfig, 'products' | 'status'>): Promise<void> {
    await this.registerApp({ ...app, products: [...this.productScopes], status: 'approved' });
  }

  private async registerApp(app: EmulatorAppConfig): Promise<void> {
    const external = this.externalUrl();
    if (!external) {
      await this.url();
      const running = await this.embedded!;
      running.putApp(app);
      return;
    }
    const response = await httpRequest({
      url: `${external}/_emulator/apps`,
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...this.controlHeader() },
      body: JSON.stringify(app),
      timeoutMs: 10_000,
      transport: hostTransport,
    });
    if (response.status === 401) {
      throw new AuthExplorerError(
        'ERR_HTTP_STATUS',
        `The emulator at ${external} needs its control token: set NHS_AUTH_EMULATOR_CONTROL_TOKEN to the value nhs-auth emulator printed after "control token:".`,
        { status: 401 },
      );
    }
    if (response.status !== 200) {
      throw new AuthExplorerError(
        'ERR_HTTP_STATUS',
        `The emulator at ${external} refused the app (HTTP ${response.status}).`,
        { status: response.status },
      );
    }
  }

  private controlHeader(): Record<string, string> {
    const token = process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN?.trim();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  dispose(): void {
    void this.embedded?.then((e) => e.close()).catch(() => undefined);
    this.embedded = undefined;
  }
}
