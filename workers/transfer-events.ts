// workers/transfer-events: raises the transfer.* events of api.md §11 where the transitions happen, by
// wrapping the transfer store that every transition goes through (intake, checks, release, delivery, review).
// A transition never waits on or fails for webhooks: raising is best effort after the write, and what a crash
// or a Redis error leaves unraised is caught up by the notify sweeper from the recorded intent.
//
// Why every transition is raised at least once: before a transition the wrapper writes an intent (a sorted-set
// entry: transfer id, time). The transition itself is the store's atomic Lua script. After it, the wrapper
// reads the record and raises the event of its current status, whose id is derived from (status, transfer id,
// the instant the status was entered), then removes the intent. If the process dies anywhere after the intent,
// the sweeper finds the intent once it is older than a grace period, reads the record and raises the same
// event (same id: a repeat is a no-op for receivers, who dedupe on webhook-id, and for the queue, whose job
// ids are derived from it). If it dies before the intent, the transition has not happened either. So every
// status a transfer enters is raised, possibly twice, never zero times — unless the transfer moves on again
// before the sweeper looks, in which case the later status is raised (a superseded happening is not replayed).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import { buildTransferEvent } from '../registry/webhook-event.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { WebhookStore } from '../registry/webhook-store.js';
import type { WebhookNotifier } from './webhook-notifier.js';

export interface TransferEventDeps {
  readonly webhooks: WebhookStore;
  readonly notifier: WebhookNotifier;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Reads the transfer and raises the event of its current status, if that status has one. */
export async function raiseTransferEvent(
  transfers: TransferStore,
  notifier: WebhookNotifier,
  transferId: string,
): Promise<void> {
  const record = await transfers.get(transferId);
  if (record === null) return;
  const event = buildTransferEvent(record);
  if (event !== null) await notifier.emit(event);
}

export function withTransferEvents(transfers: TransferStore, deps: TransferEventDeps): TransferStore {
  async function around<T>(
    transferId: string,
    act: () => Promise<T>,
    moved: (result: T) => boolean,
  ): Promise<T> {
    const handle = await deps.webhooks.addIntent(transferId, randomUUID(), deps.clock.now());
    const result = await act();
    try {
      if (moved(result)) await raiseTransferEvent(transfers, deps.notifier, transferId);
      await deps.webhooks.clearIntent(handle);
    } catch (err) {
      // The intent stays: the sweeper raises the event later. The transition stands either way.
      deps.logger.warn('transfer event not raised yet', { transferId, error: describeError(err) });
    }
    return result;
  }
  return {
    ...transfers,
    create: (core, status, holdReasons) =>
      around(
        core.id,
        () => transfers.create(core, status, holdReasons),
        () => true,
      ),
    transition: (id, from, to, now, set) =>
      around(
        id,
        () => transfers.transition(id, from, to, now, set),
        (r) => r.ok,
      ),
    recordReview: (id, read, write) =>
      around(
        id,
        () => transfers.recordReview(id, read, write),
        (r) => r === 'ok',
      ),
  };
}
