// console/views/transfer-list: lists of transfers from GET /v1/transfers — the reviewers' held queue (oldest
// waiting first, with filters), the search over all transfers, and an enterprise's own transfers with what
// is missing. Filters map onto the API's indexed query parameters; nothing is filtered in the browser.
import { get, query } from '../api.js';
import { h, replace, table } from '../dom.js';
import { fmtDuration, fmtTime, t } from '../i18n.js';
import {
  downloadReceipt,
  exporterLabel,
  failingReasons,
  loadExporterNames,
  reasonCodes,
  statusBadge,
  tierLabel,
} from './transfer-parts.js';
import { terms } from '../terms.js';

const ages = [
  ['', 'age.any'],
  ['1', 'age.1h'],
  ['24', 'age.24h'],
  ['72', 'age.72h'],
  ['168', 'age.7d'],
];

/** Filters per list, kept while the tab lives so coming back from a transfer keeps them. */
const remembered = { queue: {}, search: {}, mine: {} };

function field(id, label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ?? null);
}

function select(id, value, options) {
  return h(
    'select',
    { id, name: id },
    options.map(([v, label]) =>
      h('option', { value: v, selected: v === (value ?? '') ? true : undefined }, label),
    ),
  );
}

/** @param {'queue' | 'search' | 'mine'} mode */
export async function renderTransferList(target, ctx, mode) {
  const filters = remembered[mode];
  const results = h('section', { 'aria-labelledby': 'results-heading' });
  const controls = [];
  if (mode !== 'queue')
    controls.push(
      field(
        'f-status',
        t('filter.status'),
        select('f-status', filters.status, [
          ['', t('filter.any')],
          ...terms.statuses.map((s) => [s, t(`status.${s}`)]),
        ]),
      ),
    );
  controls.push(
    field(
      'f-tier',
      t('filter.tier'),
      select('f-tier', filters.tier, [['', t('filter.any')], ...terms.tiers.map((x) => [x, t(`tier.${x}`)])]),
    ),
    field(
      'f-reason',
      t('filter.reason'),
      h('input', {
        id: 'f-reason',
        name: 'reason',
        value: filters.reason ?? '',
        placeholder: 'R-HOLD-IMPID',
        // The hyphen escaped: Chromium compiles `pattern` with the v flag, where a bare `-` in a class is an error.
        pattern: 'R-[A-Z0-9\\-]+',
        autocomplete: 'off',
        spellcheck: 'false',
      }),
    ),
  );
  if (mode !== 'mine')
    controls.push(
      field(
        'f-exporter',
        t('filter.exporter'),
        h('input', {
          id: 'f-exporter',
          name: 'exporter',
          value: filters.exporter ?? '',
          placeholder: '91450100MA5KDEM11G',
          maxlength: '18',
          autocomplete: 'off',
          spellcheck: 'false',
        }),
      ),
    );
  if (mode === 'queue')
    controls.push(
      field(
        'f-age',
        t('filter.age'),
        select(
          'f-age',
          filters.age,
          ages.map(([v, key]) => [v, t(key)]),
        ),
      ),
    );
  else
    controls.push(
      field(
        'f-from',
        t('filter.from'),
        h('input', { id: 'f-from', type: 'date', value: filters.from ?? '' }),
      ),
      field('f-to', t('filter.to'), h('input', { id: 'f-to', type: 'date', value: filters.to ?? '' })),
      field(
        'f-id',
        t('filter.id'),
        h('input', {
          id: 'f-id',
          value: filters.q ?? '',
          maxlength: '26',
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: '01J…',
        }),
      ),
    );
  if (mode === 'search')
    controls.push(
      field(
        'f-sort',
        t('filter.sort'),
        select('f-sort', filters.sort, [
          ['', t('sort.newest')],
          ['oldest', t('sort.oldest')],
        ]),
      ),
    );

  const value = (id) => {
    const el = /** @type {HTMLInputElement | null} */ (target.querySelector(`#${id}`));
    return el === null ? undefined : el.value.trim();
  };
  const form = h(
    'form',
    {
      class: 'filters card',
      role: 'search',
      'aria-label': t('filter.label'),
      onsubmit: (event) => {
        event.preventDefault();
        remembered[mode] = {
          status: value('f-status'),
          tier: value('f-tier'),
          reason: value('f-reason')?.toUpperCase(),
          exporter: value('f-exporter'),
          age: value('f-age'),
          from: value('f-from'),
          to: value('f-to'),
          q: value('f-id')?.toUpperCase(),
          sort: value('f-sort'),
        };
        void load(remembered[mode], null, true);
      },
    },
    h('div', { class: 'field-row' }, controls),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            remembered[mode] = {};
            void renderTransferList(target, ctx, mode);
          },
        },
        t('filter.reset'),
      ),
    ),
  );

  target.replaceChildren(
    h('h1', {}, t(`list.${mode}.title`)),
    h('p', { class: 'lead' }, t(`list.${mode}.intro`)),
    form,
    results,
  );

  /** @type {any[]} */
  let items = [];
  /** Held transfers past the review SLA (GET /v1/reviews/overdue): marked in the queue. */
  let overdue = new Set();
  async function load(f, cursor, announceCount) {
    const params = {
      status: mode === 'queue' ? 'held' : f.status,
      tier: f.tier,
      reason: f.reason,
      exporterId: f.exporter,
      from: f.from,
      to: f.to,
      q: f.q,
      sort: mode === 'queue' ? 'oldest' : f.sort,
      cursor: cursor ?? undefined,
      limit: 50,
    };
    if (mode === 'queue' && f.age)
      params.to = new Date(Date.now() - Number(f.age) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let page;
    try {
      page = await get(`/v1/transfers${query(params)}`);
      if (mode === 'queue')
        overdue = new Set((await get('/v1/reviews/overdue')).items.map((item) => item.transferId));
    } catch (err) {
      replace(results, h('p', { class: 'error', role: 'alert' }, ctx.describeError(err)));
      return;
    }
    await loadExporterNames(
      page.items.map((item) => item.exporterId),
      ctx,
    );
    if (!ctx.stillCurrent()) return;
    items = cursor === null ? page.items : [...items, ...page.items];
    drawResults(page.nextCursor, f);
    if (announceCount) ctx.announce(t('list.count', { n: items.length }));
  }

  function drawResults(nextCursor, f) {
    const now = Date.now();
    const link = (item) =>
      h('a', { href: `#/transfer/${encodeURIComponent(item.id)}`, class: 'mono' }, item.id);
    const codes = (item) =>
      reasonCodes(item.holdReasons.length > 0 ? item.holdReasons : item.classification.reasons);
    let headers;
    let rows;
    if (mode === 'queue') {
      headers = ['id', 'exporter', 'tier', 'holdReasons', 'submitted', 'waiting', 'approvals'].map((k) =>
        t(`col.${k}`),
      );
      rows = items.map((item) => [
        link(item),
        exporterLabel(item.exporterId),
        tierLabel(item.classification.tier),
        codes(item),
        fmtTime(item.createdAt),
        h(
          'span',
          {},
          h('strong', {}, fmtDuration(now - Date.parse(item.statusSince))),
          overdue.has(item.id) ? [' ', h('span', { class: 'badge fail' }, t('review.overdue'))] : null,
        ),
        t('review.count', { n: item.approvals.length, of: terms.approvalsNeeded }),
      ]);
    } else if (mode === 'search') {
      headers = ['id', 'exporter', 'status', 'tier', 'reasons', 'submitted'].map((k) => t(`col.${k}`));
      rows = items.map((item) => [
        link(item),
        exporterLabel(item.exporterId),
        statusBadge(item.status),
        tierLabel(item.classification.tier),
        codes(item),
        fmtTime(item.createdAt),
      ]);
    } else {
      headers = ['id', 'status', 'tier', 'reasons', 'missing', 'submitted', 'receipt'].map((k) =>
        t(`col.${k}`),
      );
      rows = items.map((item) => {
        // Evidence still matters while the transfer waits; once it has ended the failed checks are history.
        const missing = ['checking', 'held'].includes(item.status) ? failingReasons(item) : [];
        return [
          link(item),
          statusBadge(item.status),
          tierLabel(item.classification.tier),
          codes(item),
          missing.length === 0 ? '—' : reasonCodes(missing),
          fmtTime(item.createdAt),
          item.release?.ledgerIndex === null || item.release === null
            ? '—'
            : h(
                'button',
                { type: 'button', class: 'small', onclick: () => void downloadReceipt(item.id, ctx) },
                t('receipt.download'),
              ),
        ];
      });
    }
    replace(
      results,
      h('h2', { id: 'results-heading' }, t('list.results', { n: items.length })),
      table(t(`list.${mode}.caption`), headers, rows, t(`list.${mode}.empty`)),
      nextCursor === null
        ? null
        : h(
            'button',
            { type: 'button', class: 'more', onclick: () => void load(f, nextCursor, true) },
            t('list.more'),
          ),
    );
  }

  await load(filters, null, false);
}
