// console/views/filings: the filing registry (api.md §5 PUT /v1/filings/:id) — the list, the expiring-soon
// list, adding a filing and revoking one. Reviewers and admins change filings; ops read them.
import { call, get } from '../api.js';
import { h, replace, table } from '../dom.js';
import { fmtTime, t } from '../i18n.js';

const kinds = ['standard_contract', 'certification', 'security_assessment'];
const splitList = (text, separator) =>
  text
    .split(separator)
    .map((x) => x.trim())
    .filter((x) => x !== '');

export async function renderFilings(target, ctx) {
  const canEdit = ctx.me.role === 'reviewer' || ctx.me.role === 'admin';
  const [all, expiring] = await Promise.all([get('/v1/filings'), get('/v1/filings?expiring=true')]);
  if (!ctx.stillCurrent()) return;

  const revoke = async (filing, button) => {
    if (button.dataset.confirm !== 'yes') {
      // Two steps instead of a modal dialog: the second press confirms.
      button.dataset.confirm = 'yes';
      button.textContent = t('filings.confirmRevoke', { id: filing.id });
      button.setAttribute('aria-label', t('filings.confirmRevoke', { id: filing.id }));
      button.focus();
      return;
    }
    const { id, updatedAt: _updated, ...body } = filing;
    try {
      await call('PUT', `/v1/filings/${encodeURIComponent(id)}`, { ...body, status: 'revoked' });
      await ctx.rerender();
      ctx.announce(t('filings.revoked', { id }), 'success');
    } catch (err) {
      ctx.announce(ctx.describeError(err), 'error');
    }
  };

  const headers = ['id', 'kind', 'exporter', 'partners', 'validFrom', 'validUntil', 'status'].map((k) =>
    t(`col.${k}`),
  );
  if (canEdit) headers.push(t('col.action'));
  const rows = all.items.map((f) => {
    const cells = [
      h('span', { class: 'mono' }, f.id),
      t(`filingKind.${f.kind}`),
      h('span', { class: 'mono' }, f.exporterId),
      f.partnerIds.join(', '),
      f.validFrom,
      f.validUntil,
      h('span', { class: `badge filing-${f.status}` }, t(`filingStatus.${f.status}`)),
    ];
    if (canEdit)
      cells.push(
        f.status === 'active'
          ? h(
              'button',
              {
                type: 'button',
                class: 'small danger',
                'aria-label': t('filings.revokeLabel', { id: f.id }),
                onclick: (event) => void revoke(f, event.currentTarget),
              },
              t('filings.revoke'),
            )
          : '—',
      );
    return cells;
  });

  target.replaceChildren(
    h('h1', {}, t('filings.title')),
    h('p', { class: 'lead' }, t('filings.intro')),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'expiring-heading' },
      h('h2', { id: 'expiring-heading' }, t('filings.expiring', { days: expiring.workingDays })),
      table(
        t('filings.expiring', { days: expiring.workingDays }),
        ['id', 'exporter', 'kind', 'expiresAt', 'daysLeft'].map((k) => t(`col.${k}`)),
        expiring.items.map((e) => [
          h('span', { class: 'mono' }, e.id),
          h('span', { class: 'mono' }, e.exporterId),
          t(`filingKind.${e.kind}`),
          fmtTime(e.expiresAt),
          h('strong', {}, String(e.workingDaysLeft)),
        ]),
        t('filings.noneExpiring'),
        { hideCaption: true },
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'registry-heading' },
      h('h2', { id: 'registry-heading' }, t('filings.registry')),
      table(t('filings.registry'), headers, rows, t('filings.none'), { hideCaption: true }),
    ),
    canEdit ? addForm(ctx) : null,
  );
}

function addForm(ctx) {
  const error = h('div', { id: 'filing-error', class: 'error', role: 'alert', hidden: true });
  const input = (id, attrs = {}) => h('input', { id, name: id, autocomplete: 'off', ...attrs });
  // The hint sits between label and control, so controls line up at the bottom of each grid row.
  const field = (id, label, control, hint) => {
    if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null,
      control,
    );
  };
  const today = new Date().toISOString().slice(0, 10);
  const form = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'add-heading',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
        const text = (name) => String(data.get(name) ?? '').trim();
        const id = text('fl-id');
        const body = {
          kind: text('fl-kind'),
          exporterId: text('fl-exporter'),
          partnerIds: splitList(text('fl-partners'), ','),
          dataCategories: splitList(text('fl-categories'), ','),
          purposes: splitList(text('fl-purposes'), '\n'),
          maxIndividuals: Number(text('fl-max')),
          maxSensitiveIndividuals: Number(text('fl-max-s')),
          validFrom: text('fl-from'),
          validUntil: text('fl-until'),
          status: 'active',
        };
        if (id === '') {
          replace(error, t('filings.idRequired'));
          error.hidden = false;
          return;
        }
        try {
          await call('PUT', `/v1/filings/${encodeURIComponent(id)}`, body);
          await ctx.rerender();
          ctx.announce(t('filings.saved', { id }), 'success');
        } catch (err) {
          replace(error, h('p', {}, ctx.describeError(err)));
          error.hidden = false;
          error.focus?.();
        }
      },
    },
    h('h2', { id: 'add-heading' }, t('filings.add')),
    h(
      'div',
      { class: 'field-row' },
      field(
        'fl-id',
        t('field.filingNumber'),
        input('fl-id', { required: true, placeholder: 'SCC-GX-2026-0002' }),
      ),
      field(
        'fl-kind',
        t('field.kind'),
        h(
          'select',
          { id: 'fl-kind', name: 'fl-kind' },
          kinds.map((k) => h('option', { value: k }, t(`filingKind.${k}`))),
        ),
      ),
      field(
        'fl-exporter',
        t('field.exporter'),
        input('fl-exporter', { required: true, maxlength: '18', placeholder: '91450100MA5KDEM11G' }),
      ),
      field(
        'fl-partners',
        t('field.partners'),
        input('fl-partners', { required: true }),
        t('filings.commaHint'),
      ),
      field(
        'fl-categories',
        t('field.dataCategories'),
        input('fl-categories', { placeholder: 'order, contact' }),
        t('filings.commaHint'),
      ),
      field(
        'fl-max',
        t('field.maxIndividuals'),
        input('fl-max', { type: 'number', min: '0', value: '100000', inputmode: 'numeric' }),
      ),
      field(
        'fl-max-s',
        t('field.maxSensitive'),
        input('fl-max-s', { type: 'number', min: '0', value: '0', inputmode: 'numeric' }),
      ),
      field(
        'fl-from',
        t('field.validFrom'),
        input('fl-from', { type: 'date', value: today, required: true }),
      ),
      field('fl-until', t('field.validUntil'), input('fl-until', { type: 'date', required: true })),
    ),
    field(
      'fl-purposes',
      t('field.purposes'),
      h('textarea', { id: 'fl-purposes', name: 'fl-purposes', rows: '2' }),
      t('filings.lineHint'),
    ),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('filings.save'))),
  );
  return form;
}
