// console/dom: building the page with DOM APIs only. Every piece of data becomes a text node (textContent),
// never markup, so a transfer's purpose or a reason message cannot inject HTML or script.

/**
 * Creates an element. `attrs` are set as attributes (or as properties for `on*` handlers and `value`/`checked`);
 * children are nodes or strings (strings become text nodes), null/undefined/false are skipped.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string | number | null | undefined | false | Array<Node | string | null | undefined | false>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} el @param {unknown[]} children */
function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with the given children. @param {Element} el @param {...unknown} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Small definition list from [label, value] pairs; values that are absent show a dash. */
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [
      h('dt', {}, label),
      h('dd', {}, value === undefined || value === null || value === '' ? '—' : value),
    ]),
  );
}

/**
 * A table with a caption, column headers and rows of cells (nodes or strings). A caption that only repeats
 * the section's heading is kept for screen readers but not shown.
 * @param {string} caption @param {string[]} headers @param {unknown[][]} rows @param {string} [empty]
 * @param {{ hideCaption?: boolean }} [options]
 */
export function table(caption, headers, rows, empty, options = {}) {
  if (rows.length === 0 && empty !== undefined) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: options.hideCaption ? 'sr-only' : undefined }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((name) => h('th', { scope: 'col' }, name)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((cell) => h('td', {}, cell)),
          ),
        ),
      ),
    ),
  );
}

/**
 * A share of a line (0…1) as a drawn bar, coloured by `region` ('under', 'contract' or 'over' the line). A drawn
 * bar rather than <meter>: Chromium drew <meter> empty once the value reached its maximum (issue 15).
 * @param {number} share @param {'under' | 'contract' | 'over'} region @param {string} label what the bar measures
 */
export function shareBar(share, region, label) {
  const pct = Math.round(Math.min(1, Math.max(0, share)) * 100);
  const fill = h('span', { class: 'closeness-fill' });
  // Through CSSOM: the console's CSP (style-src 'self') refuses style attributes.
  fill.style.width = `${pct}%`;
  return h(
    'span',
    {
      class: `closeness closeness-${region}`,
      role: 'img',
      'aria-label': `${label} ${pct}%`,
      title: `${pct}%`,
    },
    fill,
  );
}
