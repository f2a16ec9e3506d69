// Tiny DOM builder. Text always goes through text nodes, never innerHTML: claim values come from
// tokens anyone can craft.

type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A glyph that screen readers skip (the button or badge carries the words). */
export function glyph(char: string): HTMLSpanElement {
  return h('span', { class: 'glyph', 'aria-hidden': 'true' }, char);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// Codicon-like outline icons drawn inline: the webview loads no fonts and fetches nothing.
const ICONS: Readonly<Record<string, string[]>> = {
  refresh: ['M13 8a5 5 0 1 1-1.46-3.54', 'M12 1.5v3h-3'],
  copy: [
    'M6.5 5.5h6a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-6a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1z',
    'M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1',
  ],
  play: ['M5 3l8 5-8 5z'],
  signIn: ['M9 2.5h3.5a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H9', 'M2 8h8', 'M7 5l3 3-3 3'],
};

/** An inline SVG icon that screen readers skip. */
export function icon(name: keyof typeof ICONS): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of Object.entries({
    class: 'icon',
    viewBox: '0 0 16 16',
    width: '16',
    height: '16',
    'aria-hidden': 'true',
    focusable: 'false',
  }))
    svg.setAttribute(k, v);
  for (const d of ICONS[name] ?? []) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}
