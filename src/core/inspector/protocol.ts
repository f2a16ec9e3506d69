// The typed message protocol between the inspector host (src/vscode/inspector) and its webview
// (src/webview/inspector). Both sides validate every incoming message with these parsers:
// the webview treats the host as trusted but a buggy host must not break the page, and the
// host never trusts the webview (its content renders token claims that an attacker may craft).
import type {
  ClaimRow,
  CountdownId,
  CountdownSpec,
  Fact,
  InspectorAction,
  InspectorMode,
  InspectorModel,
  Notice,
  SignatureStatus,
  TokenView,
} from './inspectorModel.ts';
import type { CountdownLevel } from './countdown.ts';

/** What the webview persists with setState, so the serializer can restore the panel after a reload. */
export type PanelState =
  | { version: 1; mode: 'session'; profileId?: string; followActive: boolean }
  | { version: 1; mode: 'decoded'; model: InspectorModel };

export type ActionRunState = 'running' | 'done' | 'failed';

export type HostMessage =
  | { type: 'model'; model: InspectorModel; state: PanelState }
  | { type: 'actionState'; action: InspectorAction; state: ActionRunState; message?: string };

export interface RenderedCountdown {
  id: CountdownId;
  level: CountdownLevel;
}

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'action'; action: InspectorAction; profileId: string }
  | {
      type: 'rendered';
      mode: InspectorMode;
      title: string;
      text: string;
      refreshCount?: number;
      countdowns: RenderedCountdown[];
    };

const MAX_TEXT = 200_000;
const MAX_ITEMS = 1_000;

export const INSPECTOR_ACTIONS: readonly InspectorAction[] = [
  'refresh',
  'copyAccessToken',
  'callApi',
  'signIn',
];
const MODES: readonly InspectorMode[] = ['session', 'decoded', 'empty'];
const COUNTDOWN_IDS: readonly CountdownId[] = ['access', 'refresh', 'period', 'assertion', 'token'];
const LEVELS: readonly CountdownLevel[] = ['ok', 'warning', 'expired'];
const SIGNATURES: readonly SignatureStatus[] = ['not-verified', 'checking', 'verified', 'failed'];
const RUN_STATES: readonly ActionRunState[] = ['running', 'done', 'failed'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isStr(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length <= max;
}
function isOptStr(v: unknown): boolean {
  return v === undefined || isStr(v);
}
function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isOneOf<T extends string>(v: unknown, list: readonly T[]): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}
function isArr<T>(v: unknown, item: (x: unknown) => x is T): v is T[] {
  return Array.isArray(v) && v.length <= MAX_ITEMS && v.every(item);
}

function isFact(v: unknown): v is Fact {
  return isObj(v) && isStr(v.label) && isStr(v.value);
}
function isClaimRow(v: unknown): v is ClaimRow {
  return (
    isObj(v) &&
    isStr(v.name) &&
    isStr(v.value) &&
    isOptStr(v.title) &&
    isOptStr(v.description) &&
    isOptStr(v.source) &&
    isOptStr(v.valueMeaning) &&
    isOptStr(v.time)
  );
}
function isTokenView(v: unknown): v is TokenView {
  return (
    isObj(v) &&
    isOneOf(v.role, ['access', 'id', 'assertion', 'decoded']) &&
    isOneOf(v.format, ['jwt', 'opaque', 'malformed']) &&
    (v.kind === undefined ||
      isOneOf(v.kind, ['nhs-login-id-token', 'cis2-id-token', 'client-assertion', 'access-token', 'jwt'])) &&
    isStr(v.preview, 64) &&
    isNum(v.length) &&
    isArr(v.header, isClaimRow) &&
    isArr(v.claims, isClaimRow) &&
    isOptStr(v.error) &&
    (v.signature === undefined || isOneOf(v.signature, SIGNATURES))
  );
}
function isCountdownSpec(v: unknown): v is CountdownSpec {
  return (
    isObj(v) && isOneOf(v.id, COUNTDOWN_IDS) && isStr(v.label, 200) && isNum(v.expiresAt) && isNum(v.warnAtMs)
  );
}
function isNotice(v: unknown): v is Notice {
  return isObj(v) && isOneOf(v.level, ['info', 'warning']) && isStr(v.text);
}

/** True when `v` is a well-formed InspectorModel. */
export function isInspectorModel(v: unknown): v is InspectorModel {
  return (
    isObj(v) &&
    v.version === 1 &&
    isOneOf(v.mode, MODES) &&
    isStr(v.title, 1_000) &&
    isOptStr(v.subtitle) &&
    isOptStr(v.profileId) &&
    isNum(v.generatedAt) &&
    (v.notice === undefined || isNotice(v.notice)) &&
    (v.refreshCount === undefined || isNum(v.refreshCount)) &&
    isArr(v.facts, isFact) &&
    isArr(v.refreshFacts, isFact) &&
    isArr(v.tokens, isTokenView) &&
    isArr(v.countdowns, isCountdownSpec) &&
    isArr(v.actions, (a): a is InspectorAction => isOneOf(a, INSPECTOR_ACTIONS))
  );
}

/** The persisted panel state, or undefined when it is missing or not ours. */
export function parsePanelState(v: unknown): PanelState | undefined {
  if (!isObj(v) || v.version !== 1) return undefined;
  if (v.mode === 'session' && typeof v.followActive === 'boolean' && isOptStr(v.profileId)) {
    return v.profileId === undefined
      ? { version: 1, mode: 'session', followActive: v.followActive }
      : { version: 1, mode: 'session', profileId: v.profileId as string, followActive: v.followActive };
  }
  if (v.mode === 'decoded' && isInspectorModel(v.model) && v.model.mode === 'decoded')
    return { version: 1, mode: 'decoded', model: v.model };
  return undefined;
}

/** Validates a message the webview received from the host. */
export function parseHostMessage(v: unknown): HostMessage | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'model') {
    const state = parsePanelState(v.state);
    return isInspectorModel(v.model) && state ? { type: 'model', model: v.model, state } : undefined;
  }
  if (
    v.type === 'actionState' &&
    isOneOf(v.action, INSPECTOR_ACTIONS) &&
    isOneOf(v.state, RUN_STATES) &&
    isOptStr(v.message)
  ) {
    const m: HostMessage = { type: 'actionState', action: v.action, state: v.state };
    if (typeof v.message === 'string') m.message = v.message;
    return m;
  }
  return undefined;
}

/**
 * Why a model message from the host was refused, in words for the page (instead of "Loading…" for
 * ever); undefined when the message is not a model message at all.
 */
export function whyModelRefused(v: unknown): string | undefined {
  if (!isObj(v) || v.type !== 'model') return undefined;
  const model = v.model;
  const tooBig =
    JSON.stringify(model ?? null).length > MAX_TEXT * 2 ||
    (isObj(model) &&
      Object.values(model).some(
        (x) => (typeof x === 'string' && x.length > MAX_TEXT) || (Array.isArray(x) && x.length > MAX_ITEMS),
      ));
  return tooBig
    ? `This token is too large to show here (a value over ${MAX_TEXT.toLocaleString('en-GB')} characters or a list over ${MAX_ITEMS.toLocaleString('en-GB')} items). Decode a smaller token, or read it in the log.`
    : 'The inspector could not show this token: its data was not in the expected shape.';
}

function isRenderedCountdown(v: unknown): v is RenderedCountdown {
  return isObj(v) && isOneOf(v.id, COUNTDOWN_IDS) && isOneOf(v.level, LEVELS);
}

/** Validates a message the host received from the webview; anything else is dropped. */
export function parseWebviewMessage(v: unknown): WebviewMessage | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (
    v.type === 'action' &&
    isOneOf(v.action, INSPECTOR_ACTIONS) &&
    isStr(v.profileId, 200) &&
    v.profileId.length > 0
  ) {
    return { type: 'action', action: v.action, profileId: v.profileId };
  }
  if (
    v.type === 'rendered' &&
    isOneOf(v.mode, MODES) &&
    isStr(v.title, 1_000) &&
    isStr(v.text) &&
    (v.refreshCount === undefined || isNum(v.refreshCount)) &&
    isArr(v.countdowns, isRenderedCountdown)
  ) {
    const m: WebviewMessage = {
      type: 'rendered',
      mode: v.mode,
      title: v.title,
      text: v.text,
      countdowns: v.countdowns,
    };
    if (typeof v.refreshCount === 'number') m.refreshCount = v.refreshCount;
    return m;
  }
  return undefined;
}
