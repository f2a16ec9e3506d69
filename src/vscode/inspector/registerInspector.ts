// Registers the token inspector: its commands, the panel serializer and the status bar item.
import * as vscode from 'vscode';
import { parsePanelState } from '../../core/inspector/protocol.ts';
import type { HostMessage, WebviewMessage } from '../../core/inspector/protocol.ts';
import { profileIdOf } from '../commandArgs.ts';
import { DisposableStore } from '../lifecycle.ts';
import { decodeTokenFromUser } from './decodeTokenCommand.ts';
import type { InspectorDeps } from './inspectorDeps.ts';
import { INSPECTOR_VIEW_TYPE, InspectorPanel } from './inspectorPanel.ts';
import type { InspectorPanelContext, InspectorTarget } from './inspectorPanel.ts';
import { inspectorResourceRoots } from './inspectorHtml.ts';
import { InspectorStatusBar } from './statusBarItem.ts';

/** Returned by registerInspector; the extension API can expose it so extension tests can observe the panel. */
export interface InspectorRegistration extends vscode.Disposable {
  /** The open inspector panel, if any (there is at most one). */
  readonly current: InspectorPanel | undefined;
  /** Every message posted to the webview. */
  readonly onDidPostMessage: vscode.Event<HostMessage>;
  /** Every validated message received from the webview (ready, action, rendered). */
  readonly onDidReceiveMessage: vscode.Event<WebviewMessage>;
  readonly statusBar: InspectorStatusBar;
}

export function registerInspector(
  context: vscode.ExtensionContext,
  deps: InspectorDeps,
): InspectorRegistration {
  const store = new DisposableStore();
  const ctx: InspectorPanelContext = {
    extensionUri: context.extensionUri,
    deps,
    now: Date.now,
    posted: store.register(new vscode.EventEmitter<HostMessage>()),
    received: store.register(new vscode.EventEmitter<WebviewMessage>()),
  };
  let current: InspectorPanel | undefined;

  const adopt = (panel: InspectorPanel): InspectorPanel => {
    current = panel;
    const sub = panel.onDidDispose(() => {
      if (current === panel) current = undefined;
      sub.dispose();
    });
    return panel;
  };

  const createOrShow = (target: InspectorTarget): InspectorPanel => {
    if (current) {
      current.show(target);
      return current;
    }
    const panel = vscode.window.createWebviewPanel(
      INSPECTOR_VIEW_TYPE,
      'Token Inspector',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: inspectorResourceRoots(context.extensionUri),
      },
    );
    // The webview asks for its model with 'ready' once its script runs.
    return adopt(new InspectorPanel(panel, ctx, target));
  };

  store.register(
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, raw: unknown): Promise<void> => {
        const state = parsePanelState(raw);
        const target: InspectorTarget =
          state?.mode === 'decoded'
            ? { mode: 'decoded', model: state.model }
            : { mode: 'session', profileId: state?.profileId, followActive: state?.followActive ?? true };
        if (current) {
          // One panel at a time: a second restored panel replaces nothing, it just closes.
          panel.dispose();
          return;
        }
        adopt(new InspectorPanel(panel, ctx, target));
      },
    }),
  );

  store.register(
    vscode.commands.registerCommand('nhsAuth.openInspector', (arg?: unknown): void => {
      const profileId = profileIdOf(arg);
      createOrShow(
        profileId
          ? { mode: 'session', profileId, followActive: false }
          : { mode: 'session', followActive: true },
      );
    }),
  );

  store.register(
    vscode.commands.registerCommand('nhsAuth.decodeToken', async (arg?: unknown): Promise<void> => {
      const model = await decodeTokenFromUser(arg, ctx.now);
      if (model) createOrShow({ mode: 'decoded', model });
    }),
  );

  const statusBar = store.register(new InspectorStatusBar(deps));

  return {
    get current() {
      return current;
    },
    onDidPostMessage: ctx.posted.event,
    onDidReceiveMessage: ctx.received.event,
    statusBar,
    dispose: () => {
      current?.dispose();
      store.dispose();
    },
  };
}
