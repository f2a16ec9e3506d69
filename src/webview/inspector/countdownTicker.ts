// Ticks the countdowns once a second, touching only the text nodes whose label changed and the
// level attribute when a threshold is crossed. The page is never re-rendered by a tick.
import { countdownState } from '../../core/inspector/countdown.ts';
import type { CountdownLevel } from '../../core/inspector/countdown.ts';
import type { CountdownSpec } from '../../core/inspector/inspectorModel.ts';

export interface CountdownBinding {
  spec: CountdownSpec;
  /** The element whose data-level drives the colour. */
  container: HTMLElement;
  /** The text node holding the label ('9m 58s'). */
  text: Text;
  /** The text node holding the level word for screen readers and high contrast. */
  levelText: Text;
}

export const LEVEL_WORDS: Readonly<Record<CountdownLevel, string>> = {
  ok: 'valid',
  warning: 'expiring soon',
  expired: 'no longer valid',
};

export interface LevelChange {
  spec: CountdownSpec;
  from: CountdownLevel;
  to: CountdownLevel;
}

export class CountdownTicker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private bindings: CountdownBinding[] = [];
  private levels = new Map<CountdownBinding, CountdownLevel>();
  private clockOffsetMs = 0;
  private readonly onLevelChange: (changes: LevelChange[]) => void;

  constructor(onLevelChange: (changes: LevelChange[]) => void) {
    this.onLevelChange = onLevelChange;
  }

  /** Starts ticking these bindings; `hostNow` corrects for a webview clock that differs from the host's. */
  start(bindings: CountdownBinding[], hostNow: number): void {
    this.stop();
    this.bindings = bindings;
    this.clockOffsetMs = hostNow - Date.now();
    this.levels.clear();
    this.tick(false);
    if (this.bindings.some((b) => this.levels.get(b) !== 'expired'))
      this.timer = setInterval(() => this.tick(true), 1000);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  currentLevels(): { id: CountdownSpec['id']; level: CountdownLevel }[] {
    return this.bindings.map((b) => ({ id: b.spec.id, level: this.levels.get(b) ?? 'ok' }));
  }

  private tick(report: boolean): void {
    const now = Date.now() + this.clockOffsetMs;
    const changes: LevelChange[] = [];
    let live = false;
    for (const b of this.bindings) {
      const st = countdownState(b.spec.expiresAt, now, b.spec.warnAtMs);
      if (b.text.data !== st.label) b.text.data = st.label;
      const prev = this.levels.get(b);
      if (prev !== st.level) {
        this.levels.set(b, st.level);
        b.container.dataset.level = st.level;
        b.levelText.data = LEVEL_WORDS[st.level];
        if (prev !== undefined) changes.push({ spec: b.spec, from: prev, to: st.level });
      }
      if (st.level !== 'expired') live = true;
    }
    if (!live) this.stop();
    if (report && changes.length > 0) this.onLevelChange(changes);
  }
}
