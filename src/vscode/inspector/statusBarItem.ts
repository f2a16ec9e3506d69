// Status bar: the active profile and its access token's countdown; a click opens the inspector.
// Ticks once a second only while the active profile has an unexpired access token.
import * as vscode from 'vscode';
import { countdownState, formatClock, formatDuration } from '../../core/inspector/countdown.ts';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { sessionStatus } from '../../core/session/sessionStatus.ts';
import { DisposableStore } from '../lifecycle.ts';
import type { InspectorDeps } from './inspectorDeps.ts';

const WARN_MS = 60_000;

export class InspectorStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item: vscode.StatusBarItem;
  private readonly deps: InspectorDeps;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private snapshot: SessionSnapshot | undefined;
  private generation = 0;

  constructor(deps: InspectorDeps, now: () => number = Date.now) {
    this.deps = deps;
    this.now = now;
    this.item = this.store.register(
      vscode.window.createStatusBarItem('nhsAuth.tokenStatus', vscode.StatusBarAlignment.Left, 50),
    );
    this.item.name = 'NHS Auth token';
    this.item.command = { title: 'Open Token Inspector', command: 'nhsAuth.openInspector' };
    this.store.register(deps.profiles.onDidChangeActive(() => void this.reload()));
    this.store.register(
      deps.sessions.onDidChange((id) => {
        if (id === deps.profiles.activeProfileId()) void this.reload();
      }),
    );
    this.store.register({ dispose: () => this.stopTimer() });
    void this.reload();
  }

  /** Current text, for tests. */
  get text(): string {
    return this.item.text;
  }

  async reload(): Promise<void> {
    const generation = ++this.generation;
    const id = this.deps.profiles.activeProfileId();
    let snapshot: SessionSnapshot | undefined;
    try {
      snapshot = id ? await this.deps.sessions.get(id) : undefined;
    } catch {
      snapshot = undefined;
    }
    if (generation !== this.generation) return;
    this.snapshot = snapshot;
    this.render();
    this.stopTimer();
    if (snapshot && snapshot.accessTokenExpiresAt > this.now())
      this.timer = setInterval(() => this.render(), 1000);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private render(): void {
    const id = this.deps.profiles.activeProfileId();
    const label = id ? this.deps.profiles.label(id) : undefined;
    if (!id || !label) {
      this.item.hide();
      this.stopTimer();
      return;
    }
    const s = this.snapshot;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(label.name)}** · ${escapeMd(label.environment)}\n\n`);
    if (!s) {
      this.item.text = `$(key) ${label.name}`;
      this.item.backgroundColor = undefined;
      tooltip.appendMarkdown('No token yet.\n\n');
      this.item.accessibilityInformation = { label: `NHS Auth: ${label.name}, no token`, role: 'button' };
    } else {
      const st = countdownState(s.accessTokenExpiresAt, this.now(), WARN_MS);
      const status = sessionStatus(s, this.now(), WARN_MS);
      const renewing = status.state === 'renewing';
      this.item.text = `$(${renewing ? 'sync' : 'key'}) ${label.name} · ${renewing && st.level === 'expired' ? 'renewing' : st.level === 'expired' ? 'expired' : formatClock(st.remainingMs)}`;
      // Auto-refresh will renew it: no red, whatever the clock says. Nor for an expired application
      // token: no session is lost, the next Get Token simply asks for a new one (error colours are for
      // when action is needed).
      const appTokenExpired = st.level === 'expired' && s.refreshToken === undefined;
      this.item.backgroundColor =
        st.level === 'ok' || renewing || appTokenExpired
          ? undefined
          : new vscode.ThemeColor(
              st.level === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground',
            );
      const left =
        st.level === 'expired'
          ? renewing
            ? 'renewing'
            : 'expired'
          : `${formatDuration(st.remainingMs)} left`;
      tooltip.appendMarkdown(`Access token: ${left}\n\n`);
      if (s.refreshCount !== undefined) tooltip.appendMarkdown(`refresh_count: ${s.refreshCount}\n\n`);
      if (status.state !== 'valid') tooltip.appendMarkdown(`${escapeMd(status.text)}\n\n`);
      this.item.accessibilityInformation = {
        label: `NHS Auth: ${label.name}, access token ${left}`,
        role: 'button',
      };
      if (st.level === 'expired') this.stopTimer();
    }
    tooltip.appendMarkdown('Click to open the Token Inspector.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.generation++;
    this.store.dispose();
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
