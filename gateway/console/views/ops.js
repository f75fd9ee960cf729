// console/views/ops: what ops watch — queue depth per queue and job state (GET /v1/ops/queues) and the
// transfers whose delivery failed, with a retry (POST /v1/transfers/:id/retry, ops only).
import { call, get } from '../api.js';
import { h, table } from '../dom.js';
import { fmtTime, t } from '../i18n.js';

const states = ['waiting', 'active', 'delayed', 'waiting-children', 'failed', 'completed'];

export async function renderOps(target, ctx) {
  const [queues, failed] = await Promise.all([
    get('/v1/ops/queues'),
    get('/v1/transfers?status=delivery_failed&sort=oldest&limit=100'),
  ]);
  if (!ctx.stillCurrent()) return;
  const byQueue = new Map();
  for (const { queue, state, count } of queues.items) {
    if (!byQueue.has(queue)) byQueue.set(queue, {});
    byQueue.get(queue)[state] = count;
  }
  const canRetry = ctx.me.role === 'ops';
  const retry = async (id) => {
    try {
      await call('POST', `/v1/transfers/${encodeURIComponent(id)}/retry`);
      await ctx.rerender();
      ctx.announce(t('ops.retried', { id }), 'success');
    } catch (err) {
      ctx.announce(ctx.describeError(err), 'error');
    }
  };
  const failedHeaders = ['id', 'exporter', 'attempts', 'lastAttempt', 'since'].map((k) => t(`col.${k}`));
  if (canRetry) failedHeaders.push(t('col.action'));

  target.replaceChildren(
    h('h1', {}, t('ops.title')),
    h('p', { class: 'lead' }, t('ops.intro')),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'queues-heading' },
      h('h2', { id: 'queues-heading' }, t('ops.queues')),
      table(
        t('ops.queues'),
        [t('col.queue'), ...states.map((s) => t(`queueState.${s}`))],
        [...byQueue.entries()].map(([queue, counts]) => [
          h('span', { class: 'mono' }, queue),
          ...states.map((s) =>
            h(
              'span',
              { class: (counts[s] ?? 0) > 0 && s === 'failed' ? 'num alert' : 'num' },
              String(counts[s] ?? 0),
            ),
          ),
        ]),
        undefined,
        { hideCaption: true },
      ),
      h('button', { type: 'button', onclick: () => void ctx.rerender() }, t('ops.refresh')),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'failed-heading' },
      h('h2', { id: 'failed-heading' }, t('ops.failed')),
      table(
        t('ops.failed'),
        failedHeaders,
        failed.items.map((item) => {
          const last = item.deliveryAttempts[item.deliveryAttempts.length - 1];
          const cells = [
            h('a', { href: `#/transfer/${encodeURIComponent(item.id)}`, class: 'mono' }, item.id),
            h('span', { class: 'mono' }, item.exporterId),
            String(item.deliveryAttempts.length),
            last === undefined ? '—' : `${t(`outcome.${last.outcome}`)}: ${last.detail}`,
            fmtTime(item.statusSince),
          ];
          if (canRetry)
            cells.push(
              h(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  'aria-label': t('ops.retryLabel', { id: item.id }),
                  onclick: () => void retry(item.id),
                },
                t('ops.retry'),
              ),
            );
          return cells;
        }),
        t('ops.noFailed'),
        { hideCaption: true },
      ),
    ),
  );
}
