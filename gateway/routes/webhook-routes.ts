// gateway/routes/webhook-routes: webhook subscriptions of api.md §11. An enterprise subscribes to its own
// exporter's events; a reviewer or admin subscribes to everyone's (global). The URL obeys the partner-endpoint
// address rule (XBORDER_ENDPOINT_ALLOWED_NETS) at registration — and again at every connection, in the workers.
// The secret is answered once, by the PUT that generated it; never stored in the ledger or logs.
import { Router } from 'express';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { EventLog } from '../../platform/event-log.js';
import type { UrlVerdict } from '../../platform/outbound-guard.js';
import { generateWebhookSecret, parseWebhookSecret } from '../../platform/webhook-signature.js';
import { parseWebhookBody } from '../../registry/webhook-body.js';
import type { WebhookScope, WebhookStore, WebhookSubscription } from '../../registry/webhook-store.js';
import { principalOf, requireRole } from '../auth.js';
import type { Principal } from '../principal.js';
import { paramId, parseBody } from '../params.js';

export interface WebhookRouteDeps {
  readonly webhooks: WebhookStore;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly checkOutboundUrl: (url: string) => Promise<UrlVerdict>;
}

/** What a subscription looks like to API clients: everything but the secret. */
export function viewSubscription(s: WebhookSubscription) {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    scope: s.scope.kind,
    exporterId: s.scope.kind === 'exporter' ? s.scope.exporterId : null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function scopeOf(principal: Principal): WebhookScope {
  if (principal.role === 'enterprise') {
    if (principal.exporter === undefined) throw new AppError('FORBIDDEN');
    return { kind: 'exporter', exporterId: principal.exporter };
  }
  return { kind: 'global' };
}

/** Enterprises see their own exporter's subscriptions; reviewers, ops and admins see all. */
function canSee(principal: Principal, s: WebhookSubscription): boolean {
  return (
    principal.role !== 'enterprise' ||
    (s.scope.kind === 'exporter' && s.scope.exporterId === principal.exporter)
  );
}

/** Changing a subscription takes its own kind of owner: its exporter's enterprise users, or a reviewer/admin. */
function canChange(principal: Principal, s: WebhookSubscription): boolean {
  const mine = scopeOf(principal);
  return mine.kind === 'global'
    ? s.scope.kind === 'global' || principal.role === 'admin'
    : s.scope.kind === 'exporter' && s.scope.exporterId === mine.exporterId;
}

/** The most entries one deliveries page answers (the log keeps 200 per subscription). */
const maxDeliveriesLimit = 200;

function parseLimit(value: unknown): number {
  if (value === undefined) return 50;
  if (
    typeof value !== 'string' ||
    !/^\d{1,3}$/.test(value) ||
    Number(value) < 1 ||
    Number(value) > maxDeliveriesLimit
  )
    throw new AppError('BAD_QUERY', undefined, [
      { path: '/query/limit', message: `must be an integer 1-${maxDeliveriesLimit}` },
    ]);
  return Number(value);
}

export function createWebhookRoutes(deps: WebhookRouteDeps): Router {
  const { webhooks, clock } = deps;
  const router = Router();
  const writers = requireRole('enterprise', 'reviewer', 'admin');
  const readers = requireRole('enterprise', 'reviewer', 'ops', 'admin');

  async function visible(id: string, principal: Principal): Promise<WebhookSubscription> {
    const s = await webhooks.get(id);
    if (s === null || !canSee(principal, s)) throw new AppError('NOT_FOUND');
    return s;
  }

  router.put('/v1/webhooks/:id', writers, async (req, res) => {
    const id = paramId(req, 'id');
    const body = parseBody(req, parseWebhookBody);
    const principal = principalOf(res);
    const scope = scopeOf(principal);
    let supplied: string | undefined;
    if (body.secret !== undefined) {
      const verdict = parseWebhookSecret(body.secret);
      if (!verdict.ok)
        throw new AppError('BAD_BODY', undefined, [{ path: '/secret', message: verdict.message }]);
      supplied = verdict.secret;
    }
    const existing = await webhooks.get(id);
    if (existing !== null && !canSee(principal, existing)) throw new AppError('NOT_FOUND');
    if (existing !== null && !canChange(principal, existing))
      throw new AppError('CONFLICT', 'This subscription id belongs to another subscriber');
    // The same address rule as partner endpoints (api.md §11, §2): no reaching into the gateway's own network.
    const verdict = await deps.checkOutboundUrl(body.url);
    if (!verdict.ok)
      throw new AppError('ENDPOINT_NOT_ALLOWED', undefined, [{ path: '/url', message: verdict.message }]);
    const secret = supplied ?? existing?.secret ?? generateWebhookSecret();
    const generated = supplied === undefined && existing === null ? secret : undefined;
    const now = clock.now().toISOString();
    const subscription: WebhookSubscription = {
      id,
      url: body.url,
      events: body.events,
      scope: existing?.scope ?? scope,
      secret,
      createdBy: existing?.createdBy ?? principal.sub,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await webhooks.put(subscription);
    // The ledger records who subscribed to what, not where to (a URL may carry a client's token) nor the secret.
    await deps.events.append({
      type: 'registry.webhook',
      id,
      scope: subscription.scope.kind,
      exporterId: subscription.scope.kind === 'exporter' ? subscription.scope.exporterId : null,
      events: [...subscription.events],
      secretRotated: supplied !== undefined || generated !== undefined,
    });
    res.status(existing === null ? 201 : 200).json({
      ...viewSubscription(subscription),
      ...(generated === undefined ? {} : { secret: generated }),
    });
  });

  router.get('/v1/webhooks', readers, async (_req, res) => {
    const principal = principalOf(res);
    const items = (await webhooks.list()).filter((s) => canSee(principal, s)).map(viewSubscription);
    res.json({ items });
  });

  router.get('/v1/webhooks/:id', readers, async (req, res) => {
    res.json(viewSubscription(await visible(paramId(req, 'id'), principalOf(res))));
  });

  router.delete('/v1/webhooks/:id', writers, async (req, res) => {
    const id = paramId(req, 'id');
    const principal = principalOf(res);
    const s = await visible(id, principal);
    if (!canChange(principal, s))
      throw new AppError('FORBIDDEN', 'Only the subscriber may delete this subscription');
    await webhooks.remove(id);
    await deps.events.append({ type: 'registry.webhook_deleted', id });
    res.status(204).end();
  });

  router.get('/v1/webhooks/:id/deliveries', readers, async (req, res) => {
    const id = paramId(req, 'id');
    await visible(id, principalOf(res));
    res.json({ items: await webhooks.deliveries(id, parseLimit(req.query['limit'])) });
  });

  return router;
}
