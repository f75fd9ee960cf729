// workers/process-webhook: sends one event to one subscription (api.md §11) — loads both by id, skips what was
// already delivered, signs this attempt (Standard Webhooks: stable id, fresh timestamp), posts it, and logs the
// attempt in the subscription's delivery log. A failure throws so BullMQ retries with exponential backoff;
// the last failed attempt is logged as exhausted. A subscription deleted meanwhile ends the job quietly.
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Cidr } from '../platform/outbound-address.js';
import type { Resolve } from '../platform/outbound-guard.js';
import { signWebhook } from '../platform/webhook-signature.js';
import type { WebhookStore } from '../registry/webhook-store.js';
import { postWebhook } from './deliver-webhook.js';
import type { Processor } from './pipeline.js';
import type { WebhookJob } from '../transfers/queue-contract.js';

export interface WebhookProcessorDeps {
  readonly webhooks: WebhookStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly extraCa: string;
  readonly allowedNets: readonly Cidr[];
  readonly resolve?: Resolve;
}

/** A receiver should answer at once and work later (Standard Webhooks recommends a short timeout). */
const webhookTimeoutMs = 15_000;

export class WebhookAttemptFailed extends Error {
  constructor(readonly outcome: string) {
    super(`webhook attempt failed (${outcome})`);
    this.name = 'WebhookAttemptFailed';
  }
}

export function createWebhookProcessor(deps: WebhookProcessorDeps): Processor<WebhookJob> {
  const { webhooks, clock } = deps;
  return async (job) => {
    const { eventId, subscriptionId } = job.data;
    const [subscription, event] = await Promise.all([
      webhooks.get(subscriptionId),
      webhooks.getEvent(eventId),
    ]);
    if (subscription === null || event === null) return;
    if (await webhooks.isDelivered(subscriptionId, eventId)) return;
    const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
    const at = clock.now();
    const started = Date.now();
    const answer = await postWebhook({
      url: subscription.url,
      headers: { ...signWebhook(subscription.secret, event.id, at, body) },
      body,
      extraCa: deps.extraCa,
      allowedNets: deps.allowedNets,
      timeoutMs: webhookTimeoutMs,
      ...(deps.resolve === undefined ? {} : { resolve: deps.resolve }),
    });
    const outcome = answer.ok ? 'delivered' : answer.outcome;
    await webhooks.logDelivery(subscriptionId, {
      eventId,
      eventType: event.type,
      attempt: job.attempt,
      at: at.toISOString(),
      outcome,
      httpStatus: answer.status,
      durationMs: Date.now() - started,
      exhausted: !answer.ok && job.isLastAttempt,
    });
    deps.metrics.webhookDeliveries.inc({ outcome });
    if (!answer.ok) throw new WebhookAttemptFailed(outcome);
    await webhooks.markDelivered(subscriptionId, eventId);
  };
}
