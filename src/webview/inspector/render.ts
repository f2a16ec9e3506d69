// Builds the inspector page from a model. Called once per model; ticks never come back here.
import { countdownState } from '../../core/inspector/countdown.ts';
import type {
  ClaimRow,
  CountdownSpec,
  Fact,
  InspectorAction,
  InspectorModel,
  SignatureStatus,
  TokenView,
} from '../../core/inspector/inspectorModel.ts';
import { TOKEN_KIND_LABELS } from '../../core/inspector/inspectorModel.ts';
import type { CountdownBinding } from './countdownTicker.ts';
import { LEVEL_WORDS } from './countdownTicker.ts';
import { glyph, h, icon } from './dom.ts';

export interface RenderHandlers {
  onAction(action: InspectorAction): void;
}

const ACTION_LABELS: Readonly<Record<InspectorAction, { icon: Parameters<typeof icon>[0]; label: string }>> =
  {
    refresh: { icon: 'refresh', label: 'Refresh now' },
    copyAccessToken: { icon: 'copy', label: 'Copy access token' },
    callApi: { icon: 'play', label: 'Call API' },
    signIn: { icon: 'signIn', label: 'Sign in again' },
  };

const ROLE_TITLES: Readonly<Record<TokenView['role'], string>> = {
  access: 'Access token',
  id: 'ID token',
  assertion: 'Last client assertion',
  decoded: 'Token',
};

const SIGNATURE_TEXT: Readonly<Record<SignatureStatus, { glyph: string; text: string }>> = {
  'not-verified': { glyph: '○', text: 'Signature not verified' },
  checking: { glyph: '…', text: 'Checking signature' },
  verified: { glyph: '✓', text: 'Signature verified' },
  failed: { glyph: '✗', text: 'Signature check failed' },
};

function utcTime(ms: number): string {
  return Number.isFinite(ms)
    ? new Date(ms)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace('T', ' ')
    : '';
}

function factList(facts: Fact[]): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const f of facts) dl.append(h('dt', {}, f.label), h('dd', {}, f.value));
  return dl;
}

function section(id: string, title: string, ...body: (Node | undefined | false)[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

function countdownItem(spec: CountdownSpec, now: number): { li: HTMLLIElement; binding: CountdownBinding } {
  const st = countdownState(spec.expiresAt, now, spec.warnAtMs);
  const text = document.createTextNode(st.label);
  const levelText = document.createTextNode(LEVEL_WORDS[st.level]);
  const li = h(
    'li',
    { class: 'countdown', 'data-level': st.level, 'data-countdown': spec.id },
    h('span', { class: 'cd-label' }, spec.label),
    // Ticking text is not announced (aria-live off); level changes are announced by the page.
    h('span', { class: 'cd-value', 'aria-live': 'off' }, text),
    h('span', { class: 'cd-level' }, glyph('●'), ' ', h('span', {}, levelText)),
    h('span', { class: 'cd-at' }, `at ${utcTime(spec.expiresAt)}`),
  );
  return { li, binding: { spec, container: li, text, levelText } };
}

function claimTable(caption: string, rows: ClaimRow[]): HTMLTableElement {
  const tbody = h('tbody');
  for (const r of rows) {
    const meaning = h('td', { class: 'meaning' });
    if (r.valueMeaning) meaning.append(h('span', { class: 'value-meaning' }, r.valueMeaning));
    if (r.description) meaning.append(h('span', { class: 'description' }, r.description));
    tbody.append(
      h(
        'tr',
        { 'data-claim': r.name },
        h(
          'th',
          { scope: 'row' },
          h('code', {}, r.name),
          r.title ? h('span', { class: 'claim-title' }, r.title) : undefined,
        ),
        h(
          'td',
          { class: 'value' },
          h('code', {}, r.value),
          r.time ? h('span', { class: 'time' }, r.time) : undefined,
        ),
        meaning,
      ),
    );
  }
  return h(
    'table',
    { class: 'claims' },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Claim'),
        h('th', { scope: 'col' }, 'Value'),
        h('th', { scope: 'col' }, 'Meaning'),
      ),
    ),
    tbody,
  );
}

function tokenSection(t: TokenView, index: number): HTMLElement {
  const id = `token-${index}`;
  const badges = h(
    'div',
    { class: 'badges' },
    h(
      'span',
      { class: 'badge', 'data-format': t.format },
      t.format === 'jwt' ? 'JWT' : t.format === 'opaque' ? 'Opaque' : 'Malformed',
    ),
    t.kind && t.kind !== 'access-token'
      ? h('span', { class: 'badge' }, TOKEN_KIND_LABELS[t.kind])
      : undefined,
    t.signature
      ? h(
          'span',
          { class: 'badge signature', 'data-signature': t.signature },
          glyph(SIGNATURE_TEXT[t.signature].glyph),
          ' ',
          SIGNATURE_TEXT[t.signature].text,
        )
      : undefined,
  );
  const meta = h(
    'p',
    { class: 'token-meta' },
    h('code', { class: 'preview', title: 'Masked: the full token is never shown here' }, t.preview),
    ` · ${t.length} characters`,
  );
  const body: (Node | undefined)[] = [badges, meta];
  if (t.format === 'opaque') {
    body.push(
      h(
        'p',
        { class: 'hint' },
        'Opaque token: a random reference only the platform can read. Its lifetime comes from the token response (expires_in).',
      ),
    );
  } else if (t.format === 'malformed') {
    body.push(
      h(
        'p',
        { class: 'hint error' },
        `Looks like a JWT but could not be decoded: ${t.error ?? 'unknown error'}`,
      ),
    );
  } else {
    body.push(
      h(
        'details',
        { open: '' },
        h('summary', {}, `Claims (${t.claims.length})`),
        claimTable(`${ROLE_TITLES[t.role]} claims`, t.claims),
      ),
    );
    body.push(
      h(
        'details',
        {},
        h('summary', {}, `Header (${t.header.length})`),
        claimTable(`${ROLE_TITLES[t.role]} header`, t.header),
      ),
    );
  }
  return section(id, ROLE_TITLES[t.role], ...body);
}

/** Replaces the page content with this model and returns the countdown bindings to tick. */
export function renderModel(
  root: HTMLElement,
  model: InspectorModel,
  now: number,
  handlers: RenderHandlers,
): CountdownBinding[] {
  const focusedAction =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset.action : undefined;
  const bindings: CountdownBinding[] = [];
  const head = h(
    'header',
    { class: 'head' },
    h(
      'div',
      {},
      h('h1', {}, model.title),
      h(
        'p',
        { class: 'subtitle' },
        [model.subtitle, model.mode === 'decoded' ? 'decoded locally' : undefined]
          .filter(Boolean)
          .join(' · '),
      ),
    ),
    model.refreshCount !== undefined
      ? h(
          'div',
          { class: 'refresh-count', 'data-refresh-count': String(model.refreshCount) },
          h('span', { class: 'rc-label' }, 'refresh_count'),
          h('span', { class: 'rc-value' }, String(model.refreshCount)),
        )
      : undefined,
  );
  const parts: (Node | undefined | false)[] = [head];
  if (model.notice)
    parts.push(
      h(
        'p',
        { class: 'notice', 'data-level': model.notice.level },
        glyph(model.notice.level === 'warning' ? '⚠' : 'ℹ'),
        ' ',
        model.notice.text,
      ),
    );
  if (model.actions.length > 0) {
    const nav = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Session actions' });
    for (const a of model.actions) {
      const label = a === 'signIn' && model.mode === 'empty' ? 'Get a token' : ACTION_LABELS[a].label;
      const btn = h(
        'button',
        { type: 'button', 'data-action': a, class: a === 'refresh' ? 'primary' : 'secondary' },
        icon(ACTION_LABELS[a].icon),
        h('span', {}, label),
      );
      btn.addEventListener('click', () => handlers.onAction(a));
      nav.append(btn);
    }
    parts.push(nav);
  }
  if (model.countdowns.length > 0) {
    const ul = h('ul', { class: 'countdowns' });
    for (const spec of model.countdowns) {
      const { li, binding } = countdownItem(spec, now);
      ul.append(li);
      bindings.push(binding);
    }
    parts.push(section('expiry', 'Expiry', ul));
  }
  if (model.facts.length > 0)
    parts.push(section('facts', model.mode === 'decoded' ? 'Summary' : 'Session', factList(model.facts)));
  if (model.refreshFacts.length > 0) parts.push(section('refresh', 'Refresh', factList(model.refreshFacts)));
  model.tokens.forEach((t, i) => parts.push(tokenSection(t, i)));
  root.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
  root.dataset.mode = model.mode;
  if (focusedAction)
    root.querySelector<HTMLButtonElement>(`button[data-action="${CSS.escape(focusedAction)}"]`)?.focus();
  return bindings;
}
