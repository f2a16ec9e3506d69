// The token inspector webview panel: one at a time, restored after a reload by the serializer.
// It shows either a profile's session (live: follows session changes) or a decoded JWT.
import * as vscode from 'vscode';
import { buildInspectorModel } from '../../core/inspector/inspectorModel.ts';
import type {
  InspectorAction,
  InspectorModel,
  SignatureStatus,
} from '../../core/inspector/inspectorModel.ts';
import { parseWebviewMessage } from '../../core/inspector/protocol.ts';
import type { HostMessage, PanelState, WebviewMessage } from '../../core/inspector/protocol.ts';
import { isAuthExplorerError } from '../../core/errors.ts';
import { DisposableStore } from '../lifecycle.ts';
import { ACTION_COMMANDS } from './inspectorDeps.ts';
import type { InspectorDeps } from './inspectorDeps.ts';
import { inspectorHtml, inspectorResourceRoots } from './inspectorHtml.ts';

export const INSPECTOR_VIEW_TYPE = 'nhsAuth.inspector';

/** What the panel shows. `followActive`: switch when the active profile changes. */
export type InspectorTarget =
  { mode: 'session'; profileId?: string; followActive: boolean } | { mode: 'decoded'; model: InspectorModel };

export interface InspectorPanelContext {
  extensionUri: vscode.Uri;
  deps: InspectorDeps;
  now(): number;
  /** Every validated message posted to / received from the webview, for tests and diagnostics. */
  posted: vscode.EventEmitter<HostMessage>;
  received: vscode.EventEmitter<WebviewMessage>;
}

export type RenderedMessage = Extract<WebviewMessage, { type: 'rendered' }>;

export class InspectorPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly ctx: InspectorPanelContext;
  private readonly store = new DisposableStore();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private target: InspectorTarget;
  private generation = 0;
  private readonly signatures = new Map<string, SignatureStatus>();
  private disposed = false;
  /** The last model posted to the webview. */
  lastPostedModel: InspectorModel | undefined;
  /** The last `rendered` report from the webview. */
  lastRendered: RenderedMessage | undefined;

  constructor(panel: vscode.WebviewPanel, ctx: InspectorPanelContext, target: InspectorTarget) {
    this.panel = panel;
    this.ctx = ctx;
    this.target = target;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: inspectorResourceRoots(ctx.extensionUri),
    };
    panel.webview.html = inspectorHtml(panel.webview, ctx.extensionUri);
    this.store.register(this.disposeEmitter);
    this.store.register(panel.onDidDispose(() => this.dispose()));
    this.store.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
    this.store.register(
      ctx.deps.sessions.onDidChange((profileId) => {
        if (this.target.mode === 'session' && profileId === this.profileId()) void this.update();
      }),
    );
    this.store.register(
      ctx.deps.profiles.onDidChangeActive(() => {
        if (this.target.mode === 'session' && this.target.followActive) void this.update();
      }),
    );
    this.updateTitle();
  }

  /** The profile shown, when in session mode. */
  profileId(): string | undefined {
    if (this.target.mode !== 'session') return undefined;
    return this.target.followActive ? this.ctx.deps.profiles.activeProfileId() : this.target.profileId;
  }

  show(target: InspectorTarget): void {
    this.target = target;
    this.updateTitle();
    this.panel.reveal(undefined, false);
    void this.update();
  }

  /** Rebuilds the model and posts it; the newest call wins if several overlap. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const target = this.target;
    if (target.mode === 'decoded') {
      this.postModel(
        { ...target.model, generatedAt: this.ctx.now() },
        { version: 1, mode: 'decoded', model: target.model },
      );
      return;
    }
    const profileId = this.profileId();
    const label = profileId ? this.ctx.deps.profiles.label(profileId) : undefined;
    let snapshot;
    try {
      snapshot = profileId ? await this.ctx.deps.sessions.get(profileId) : undefined;
    } catch {
      snapshot = undefined; // an unreadable session shows as "no token"; the session service reports its own errors
    }
    if (generation !== this.generation || this.disposed) return;
    const idToken = snapshot?.idToken;
    const verify = this.ctx.deps.verifyIdToken;
    const known = idToken ? this.signatures.get(idToken) : undefined;
    const signature: SignatureStatus = known ?? (idToken && verify ? 'checking' : 'not-verified');
    const build = (sig: SignatureStatus): InspectorModel =>
      buildInspectorModel(snapshot, {
        now: this.ctx.now(),
        profileId,
        profileName: label?.name,
        environmentLabel: label?.environment,
        idTokenSignature: sig,
      });
    const state: PanelState =
      profileId !== undefined && !target.followActive
        ? { version: 1, mode: 'session', profileId, followActive: false }
        : { version: 1, mode: 'session', followActive: target.followActive };
    this.postModel(build(signature), state);
    this.updateTitle(label?.name);
    if (signature === 'checking' && idToken && verify) {
      const result = await verify(idToken).then(
        (r) => (r === 'unknown' ? 'not-verified' : r),
        () => 'failed' as const,
      );
      this.signatures.clear(); // keep only the current ID token's result
      this.signatures.set(idToken, result);
      if (generation === this.generation && !this.disposed) this.postModel(build(result), state);
    }
  }

  private postModel(model: InspectorModel, state: PanelState): void {
    this.lastPostedModel = model;
    this.post({ type: 'model', model, state });
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
    this.ctx.posted.fire(message);
  }

  private updateTitle(profileName?: string): void {
    this.panel.title =
      this.target.mode === 'decoded'
        ? 'Decoded Token'
        : `Token Inspector${profileName ? `: ${profileName}` : ''}`;
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) return; // the webview renders attacker-controlled claims: never act on anything unvalidated
    this.ctx.received.fire(msg);
    if (msg.type === 'ready') void this.update();
    else if (msg.type === 'rendered') this.lastRendered = msg;
    else void this.runAction(msg.action, msg.profileId);
  }

  private async runAction(action: InspectorAction, profileId: string): Promise<void> {
    // Only the profile on screen, and only an action the model offered: a stale page must not act on another profile.
    if (profileId !== this.profileId() || !this.lastPostedModel?.actions.includes(action)) return;
    this.post({ type: 'actionState', action, state: 'running' });
    try {
      await vscode.commands.executeCommand(ACTION_COMMANDS[action], profileId);
      this.post({ type: 'actionState', action, state: 'done' });
    } catch (e) {
      const message = isAuthExplorerError(e)
        ? `${e.message} (${e.code})`
        : e instanceof Error
          ? e.message
          : String(e);
      this.post({ type: 'actionState', action, state: 'failed', message });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.store.dispose();
    this.panel.dispose();
  }
}
