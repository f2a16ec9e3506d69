// Entry of the token inspector webview bundle (dist/webview/inspector.js).
// No network: the CSP has no connect-src and nothing here fetches; all data arrives by postMessage.
import type { InspectorAction, InspectorModel } from '../../core/inspector/inspectorModel.ts';
import { parseHostMessage, parsePanelState, whyModelRefused } from '../../core/inspector/protocol.ts';
import type { PanelState } from '../../core/inspector/protocol.ts';
import { CountdownTicker, LEVEL_WORDS } from './countdownTicker.ts';
import type { LevelChange } from './countdownTicker.ts';
import { renderModel } from './render.ts';
import { getVsCodeApi } from './vscodeApi.ts';

const vscode = getVsCodeApi();
const root = document.getElementById('app') as HTMLElement;
const announcer = document.getElementById('announcer') as HTMLElement;
let current: InspectorModel | undefined;

function announce(text: string): void {
  // Clear first so the same sentence twice is still announced.
  announcer.textContent = '';
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function postRendered(): void {
  if (!current) return;
  const msg = {
    type: 'rendered' as const,
    mode: current.mode,
    title: current.title,
    text: root.innerText.slice(0, 200_000),
    countdowns: ticker.currentLevels(),
  };
  vscode.postMessage(
    current.refreshCount !== undefined ? { ...msg, refreshCount: current.refreshCount } : msg,
  );
}

function onLevelChange(changes: LevelChange[]): void {
  const worth = changes.filter((c) => c.to !== 'ok');
  if (worth.length > 0)
    announce(
      worth.map((c) => `${c.spec.label} ${c.to === 'expired' ? 'expired' : LEVEL_WORDS[c.to]}.`).join(' '),
    );
  postRendered();
}

const ticker = new CountdownTicker(onLevelChange);

function onAction(action: InspectorAction): void {
  if (!current?.profileId) return;
  vscode.postMessage({ type: 'action', action, profileId: current.profileId });
}

function show(model: InspectorModel, state: PanelState, hostNow: number): void {
  current = model;
  vscode.setState(state);
  const bindings = renderModel(root, model, hostNow, { onAction });
  ticker.start(bindings, hostNow);
  postRendered();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostMessage(event.data);
  if (!msg) {
    // A refused model says why; anything else that is not ours is ignored rather than break the page.
    const why = whyModelRefused(event.data);
    if (why) {
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.textContent = why;
      root.replaceChildren(p);
    }
    return;
  }
  if (msg.type === 'model') {
    show(msg.model, msg.state, msg.model.generatedAt);
    return;
  }
  const btn = root.querySelector<HTMLButtonElement>(`button[data-action="${msg.action}"]`);
  if (btn) {
    btn.disabled = msg.state === 'running';
    btn.setAttribute('aria-busy', String(msg.state === 'running'));
  }
  if (msg.state === 'failed') announce(msg.message ?? 'The action failed.');
});

// After a reload, show the saved decoded token at once; the host re-sends live data on 'ready'.
const saved = parsePanelState(vscode.getState());
if (saved?.mode === 'decoded') show(saved.model, saved, Date.now());
vscode.postMessage({ type: 'ready' });
