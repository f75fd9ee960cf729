// console/views/notifications: an enterprise's or a reviewer's webhook subscriptions (GET /v1/webhooks) with each
// one's recent deliveries (GET /v1/webhooks/:id/deliveries), and the incidents opened when evidence released
// transfers relied on was revoked (GET /v1/incidents), with the reporting clock. Closed values are shown in words.
import { get } from '../api.js';
import { h, table } from '../dom.js';
import { cite, fmtTime, t, term } from '../i18n.js';

/** How many deliveries each subscription shows here; the API keeps 200. */
const shownDeliveries = 10;

export async function renderNotifications(target, ctx) {
  const [subscriptions, incidents] = await Promise.all([get('/v1/webhooks'), get('/v1/incidents')]);
  const deliveries = await Promise.all(
    subscriptions.items.map((s) =>
      get(`/v1/webhooks/${encodeURIComponent(s.id)}/deliveries?limit=${shownDeliveries}`),
    ),
  );
  if (!ctx.stillCurrent()) return;

  const subscriptionSection = h(
    'section',
    { class: 'card', 'aria-labelledby': 'subscriptions-heading' },
    h('h2', { id: 'subscriptions-heading' }, t('notify.subscriptions')),
    table(
      t('notify.subscriptions'),
      ['id', 'url', 'scope', 'events'].map((k) => t(`col.${k}`)),
      subscriptions.items.map((s) => [
        h('span', { class: 'mono' }, s.id),
        h('span', { class: 'mono' }, s.url),
        term('webhookScope', s.scope),
        s.events.map((e) => term('event', e)).join('，'),
      ]),
      t('notify.noSubscriptions'),
      { hideCaption: true },
    ),
    subscriptions.items.map((s, i) =>
      h(
        'div',
        { class: 'deliveries' },
        h('h3', {}, t('notify.deliveries', { id: s.id })),
        table(
          t('notify.deliveries', { id: s.id }),
          ['at', 'event', 'attempt', 'outcome', 'httpStatus'].map((k) => t(`col.${k}`)),
          (deliveries[i]?.items ?? []).map((d) => [
            fmtTime(d.at),
            term('event', d.eventType),
            String(d.attempt),
            h(
              'span',
              { class: d.outcome === 'delivered' ? 'badge ok' : 'badge fail' },
              term('webhookOutcome', d.outcome),
              d.exhausted ? ` · ${t('notify.exhausted')}` : '',
            ),
            d.httpStatus === null ? '—' : String(d.httpStatus),
          ]),
          t('notify.noDeliveries'),
          { hideCaption: true },
        ),
      ),
    ),
  );

  const incidentSection = h(
    'section',
    { class: 'card', 'aria-labelledby': 'incidents-heading' },
    h('h2', { id: 'incidents-heading' }, t('notify.incidents')),
    table(
      t('notify.incidents'),
      ['id', 'exporter', 'evidence', 'transfers', 'reportBy', 'basis'].map((k) => t(`col.${k}`)),
      incidents.items.map((incident) => [
        h('span', { class: 'mono' }, incident.id),
        h('span', { class: 'mono' }, incident.exporterId),
        term('evidenceKind', incident.evidence.kind),
        incident.transferIds.map((id) =>
          h('a', { href: `#/transfer/${encodeURIComponent(id)}`, class: 'mono' }, id, ' '),
        ),
        h(
          'span',
          { class: incident.reportingClock.late ? 'badge fail' : 'badge pending' },
          t('notify.reportBy', { time: fmtTime(incident.reportingClock.reportBy) }),
          incident.reportingClock.late ? ` · ${t('notify.late')}` : '',
        ),
        incident.reportingClock.basis.map((rule) => cite(rule)).join('；'),
      ]),
      t('notify.noIncidents'),
      { hideCaption: true },
    ),
  );

  target.replaceChildren(
    h('h1', {}, t('notify.title')),
    h('p', { class: 'lead' }, t('notify.intro')),
    incidentSection,
    subscriptionSection,
  );
}
