import type * as vscode from 'vscode';
import type { EmulatorHost } from './emulatorHost.ts';
import type { Log } from './output.ts';
import type { ProfileStore } from './profileStore.ts';
import type { Secrets } from './secrets.ts';
import type { EnvironmentsModel } from './tree/environmentsModel.ts';

/** The services built once in extension.ts and handed to every command and view. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly profiles: ProfileStore;
  readonly secrets: Secrets;
  readonly log: Log;
  readonly emulator: EmulatorHost;
  readonly model: EnvironmentsModel;
}
