import * as vscode from 'vscode';
import { startEmulator, type EmulatorAppConfig, type RunningEmulator } from '../core/emulator/server.ts';
import { AuthExplorerError } from '../core/errors.ts';
import { httpRequest } from '../core/http/httpRequest.ts';
import type { Log } from './output.ts';

/**
 * The "Local emulator" environment. Uses an emulator the user points at (NHS_AUTH_EMULATOR_URL,
 * set by `npm start`, or the nhsAuth.emulatorUrl setting); otherwise starts the embedded one on a
 * free loopback port the first time it is needed, so everything works offline.
 */
export class EmulatorHost implements vscode.Disposable {
  private readonly log: Log;
  private embedded: Promise<RunningEmulator> | undefined;

  constructor(log: Log) {
    this.log = log;
  }

  private externalUrl(): string | undefined {
    const configured = vscode.workspace.getConfiguration('nhsAuth').get<string>('emulatorUrl')?.trim();
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
    this.embedded ??= startEmulator({ port: 0, demoApp: false }).then((running) => {
      this.log.info(`Embedded emulator listening on ${running.url}`);
      return running;
    });
    return (await this.embedded).url;
  }

  /** Registers (or replaces) an app, so a local profile's key and secret are known to the emulator. */
  async registerApp(app: EmulatorAppConfig): Promise<void> {
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
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(app),
      timeoutMs: 10_000,
    });
    if (response.status !== 200) {
      throw new AuthExplorerError('ERR_HTTP_STATUS', `The emulator at ${external} refused the app (HTTP ${response.status}).`, { status: response.status });
    }
  }

  dispose(): void {
    void this.embedded?.then((e) => e.close()).catch(() => undefined);
    this.embedded = undefined;
  }
}
