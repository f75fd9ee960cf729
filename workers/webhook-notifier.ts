// workers/webhook-notifier: raises an event (api.md §11) — stores its body once and enqueues one delivery job
// per matching subscription (an exporter's own, and every global one). Idempotent: the same event raised twice
// stores nothing new and enqueues jobs whose ids already exist. It never sends: process-webhook does.
import type { WebhookEvent } from '../registry/webhook-event.js';
import type { WebhookStore, WebhookSubscription } from '../registry/webhook-store.js';
import type { WebhookQueue } from '../transfers/queue-contract.js';

export interface WebhookNotifier {
  emit(event: WebhookEvent): Promise<void>;
}

/** An enterprise subscription sees its own exporter's events only; global ones see every event. */
export function matchesSubscription(subscription: WebhookSubscription, event: WebhookEvent): boolean {
  if (!subscription.events.includes(event.type)) return false;
  return subscription.scope.kind === 'global' || subscription.scope.exporterId === event.exporterId;
}

export function createWebhookNotifier(deps: {
  webhooks: WebhookStore;
  queue: WebhookQueue;
}): WebhookNotifier {
  return {
    async emit(event) {
      // The body first: a job must never find its event missing.
      await deps.webhooks.saveEvent(event);
      for (const subscription of await deps.webhooks.list())
        if (matchesSubscription(subscription, event)) await deps.queue.send(event.id, subscription.id);
    },
  };
}
