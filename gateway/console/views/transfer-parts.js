// console/views/transfer-parts: small pieces shared by the transfer views — status and tier labels, reason
// lists (code, rule citation, message), what evidence is missing, and the ledger receipt download.
import { get } from '../api.js';
import { h } from '../dom.js';
import { cite, t } from '../i18n.js';

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}

export function tierLabel(tier) {
  return h('span', { class: `tier tier-${tier}` }, t(`tier.${tier}`));
}

/** Reason codes in one line; each code carries its message as a tooltip. */
export function reasonCodes(reasons) {
  if (reasons.length === 0) return '—';
  return h(
    'span',
    { class: 'codes' },
    reasons.map((r) => h('code', { title: `${cite(r.rule)}: ${r.message}` }, r.code)),
  );
}

/** Every reason in full: code, the rule it cites, and the message. */
export function reasonList(reasons, empty) {
  if (reasons.length === 0) return h('p', { class: 'empty' }, empty ?? t('detail.none'));
  return h(
    'ul',
    { class: 'reasons' },
    reasons.map((r) =>
      h(
        'li',
        {},
        h('code', {}, r.code),
        h('span', { class: 'rule' }, cite(r.rule)),
        h('span', { class: 'message' }, r.message),
      ),
    ),
  );
}

/** The reasons of failed checks: what evidence is missing or not valid (R-EVID-*). */
export function failingReasons(record) {
  return Object.values(record.checks ?? {})
    .filter((c) => c !== undefined && !c.ok)
    .flatMap((c) => c.reasons);
}

const exporterNames = new Map();

/**
 * Names for exporter codes (USCC), from the registry (GET /v1/exporters/:id; reviewers, ops and admins only: an
 * enterprise sees only its own transfers). Remembered for the page's life; a code without a record stays a code.
 * @param {readonly string[]} ids @param {{ me: { role: string } }} ctx
 */
export async function loadExporterNames(ids, ctx) {
  if (ctx.me.role === 'enterprise') return;
  const wanted = [...new Set(ids)].filter((id) => !exporterNames.has(id));
  await Promise.all(
    wanted.map(async (id) => {
      const record = await get(`/v1/exporters/${encodeURIComponent(id)}`).catch(() => null);
      exporterNames.set(id, typeof record?.name === 'string' ? record.name : null);
    }),
  );
}

/** The exporter's name beside its code, when the registry has one. @param {string} id */
export function exporterLabel(id) {
  const name = exporterNames.get(id);
  return h(
    'span',
    { class: 'exporter' },
    name ? [h('span', { class: 'exporter-name' }, name), ' '] : null,
    h('span', { class: 'mono' }, id),
  );
}

/** Fetches the transfer's ledger receipt with the bearer token and hands it to the browser as a file. */
export async function downloadReceipt(id, ctx) {
  try {
    const receipt = await get(`/v1/transfers/${encodeURIComponent(id)}/receipt`);
    const blob = new Blob([JSON.stringify(receipt, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `receipt-${id}.json`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    ctx.announce(t('receipt.downloaded', { id }));
  } catch (err) {
    ctx.announce(ctx.describeError(err), 'error');
  }
}
