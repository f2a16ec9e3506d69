// Wires the extension: builds each service once and registers every disposable. Nothing else.
import * as vscode from 'vscode';
import { EmulatorHost } from './vscode/emulatorHost.ts';
import { DisposableStore } from './vscode/lifecycle.ts';
import { Log } from './vscode/output.ts';
import { ProfileStore } from './vscode/profileStore.ts';
import { Secrets } from './vscode/secrets.ts';
import type { Services } from './vscode/services.ts';
import { EnvironmentsModel } from './vscode/tree/environmentsModel.ts';
import { EnvironmentsTreeProvider } from './vscode/tree/environmentsTreeProvider.ts';
import { registerRefreshTreeCommand } from './vscode/commands/refreshTree.ts';
import { registerShowLogCommand } from './vscode/commands/showLog.ts';
import { registerOpenWalkthroughCommand } from './vscode/commands/openWalkthrough.ts';
import { Keyring } from './vscode/keyring.ts';
import { JtiHistory } from './vscode/jtiHistory.ts';
import type { KeyServices } from './vscode/keyServices.ts';
import { registerAddProfileCommand } from './vscode/commands/addProfile.ts';
import { registerEditProfileCommand } from './vscode/commands/editProfile.ts';
import { registerRemoveProfileCommand } from './vscode/commands/removeProfile.ts';
import { registerSelectProfileCommand } from './vscode/commands/selectProfile.ts';
import { registerGenerateKeyCommand } from './vscode/commands/generateKey.ts';
import { registerRotateKeyCommand } from './vscode/commands/rotateKey.ts';
import { registerImportKeyCommand } from './vscode/commands/importKey.ts';
import {
  registerCopyJwksCommand,
  registerExportJwksCommand,
  registerExportPublicKeyCommand,
} from './vscode/commands/exportJwks.ts';
import { registerDeleteKeyCommand, registerRetireKeyCommand } from './vscode/commands/retireKey.ts';
import { registerExportPrivateKeyCommand } from './vscode/commands/exportPrivateKey.ts';
import { registerSignAssertionCommand } from './vscode/commands/signAssertion.ts';
import { registerLintAssertionCommand } from './vscode/commands/lintAssertion.ts';
import { registerCheckJwksUrlCommand } from './vscode/commands/checkJwksUrl.ts';
import { registerCheckIdTokenCommand } from './vscode/commands/checkIdToken.ts';
import { FileRefreshLease } from './core/session/fileRefreshLease.ts';
import { refreshLeaseDir } from './vscode/sessions/refreshLeaseDir.ts';
import { RequestLog } from './vscode/sessions/requestLog.ts';
import { TokenService } from './vscode/sessions/tokenService.ts';
import type { TokenServices } from './vscode/sessions/tokenServices.ts';
import { StoredSessionSummaries } from './vscode/sessions/sessionSummaries.ts';
import { AUTH_PROVIDER_ID, NhsAuthenticationProvider } from './vscode/sessions/authenticationProvider.ts';
import { getToken, registerGetTokenCommands } from './vscode/commands/getToken.ts';
import { registerSessionCommands } from './vscode/commands/sessionCommands.ts';
import { registerApiCommands } from './vscode/commands/apiCommands.ts';
import { registerLogCommands } from './vscode/commands/logCommands.ts';
import { registerInspector, type InspectorRegistration } from './vscode/inspector/registerInspector.ts';
import { getEnvironment } from './core/environments.ts';
import { revealViewOnStart } from './vscode/revealViewOnStart.ts';
import { createPublicApi, type NhsAuthExplorerApi } from './vscode/publicApi.ts';
import { withTestHooks } from './vscode/testHooks.ts';

export type { NhsAuthExplorerApi, PublicProfile } from './vscode/publicApi.ts';

/** The internals the extension-host tests reach, only under the test-only switch (NHS_AUTH_TEST=1). */
export interface NhsAuthExplorerTestHooks {
  readonly services: TokenServices;
  readonly tree: EnvironmentsTreeProvider;
  readonly inspector: InspectorRegistration;
  readonly authProvider: NhsAuthenticationProvider;
  readonly activatedInMs: number;
}

export type NhsAuthExplorerExports = NhsAuthExplorerApi & { readonly testing?: NhsAuthExplorerTestHooks };

export function activate(context: vscode.ExtensionContext): NhsAuthExplorerExports {
  const started = performance.now();
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);

  const log = disposables.register(new Log());
  const profiles = disposables.register(new ProfileStore(context.globalState));
  const model = disposables.register(new EnvironmentsModel(profiles));
  const secrets = new Secrets(context.secrets);
  const emulator = disposables.register(new EmulatorHost(log));
  const base: Services = { context, profiles, secrets, log, emulator, model };
  const keyServices: KeyServices = {
    ...base,
    keyring: new Keyring(profiles, secrets, emulator),
    jtis: new JtiHistory(secrets),
  };
  const tokens = disposables.register(
    new TokenService(
      keyServices,
      new RequestLog(log),
      new FileRefreshLease({ dir: refreshLeaseDir(context) }),
    ),
  );
  const sessions = tokens.sessions;
  const services: TokenServices = { ...keyServices, tokens };
  disposables.register(model.useSessions(new StoredSessionSummaries(sessions)));
  disposables.register(model.usePairing(secrets));

  const tree = disposables.register(new EnvironmentsTreeProvider(model));
  disposables.register(
    vscode.window.createTreeView('nhsAuth.environments', { treeDataProvider: tree, showCollapseAll: true }),
  );

  disposables.register(registerRefreshTreeCommand(services));
  disposables.register(registerShowLogCommand(services));
  disposables.register(registerOpenWalkthroughCommand(services));
  for (const register of [
    registerAddProfileCommand,
    registerEditProfileCommand,
    registerRemoveProfileCommand,
    registerSelectProfileCommand,
    registerGenerateKeyCommand,
    registerRotateKeyCommand,
    registerImportKeyCommand,
    registerExportJwksCommand,
    registerExportPublicKeyCommand,
    registerCopyJwksCommand,
    registerRetireKeyCommand,
    registerDeleteKeyCommand,
    registerExportPrivateKeyCommand,
    registerSignAssertionCommand,
    registerLintAssertionCommand,
    registerCheckJwksUrlCommand,
    registerCheckIdTokenCommand,
  ]) {
    disposables.register(register(services));
  }
  for (const register of [
    registerGetTokenCommands,
    registerSessionCommands,
    registerApiCommands,
    registerLogCommands,
  ]) {
    for (const d of register(services)) disposables.register(d);
  }
  const authProvider = disposables.register(
    new NhsAuthenticationProvider(services, (profileId) =>
      getToken(services, { profileId, throwErrors: true }),
    ),
  );
  disposables.register(
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'NHS API Platform', authProvider),
  );

  const inspector = disposables.register(
    registerInspector(context, {
      sessions: { get: (id) => sessions.load(id), onDidChange: sessions.onDidChange },
      profiles: {
        activeProfileId: () => profiles.activeId(),
        label: (id) => {
          const p = profiles.find(id);
          return p && { name: p.name, environment: getEnvironment(p.environmentId).label };
        },
        onDidChangeActive: profiles.onDidChange,
      },
    }),
  );

  // Sessions saved with auto-refresh on get their timers back (after a reload, in a new window).
  void sessions.rearm();

  revealViewOnStart();
  const activatedInMs = performance.now() - started;
  return withTestHooks(createPublicApi(profiles, AUTH_PROVIDER_ID), () => ({
    services,
    tree,
    inspector,
    authProvider,
    activatedInMs,
  }));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
