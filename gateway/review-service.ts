// gateway/review-service: the human side of the pipeline — reviewers' decisions on held transfers (four eyes:
// two different reviewers release, one rejection ends it) and ops' retry of a failed delivery. Every act is a
// ledger event naming the actor by keyed hash.
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { EventLog } from '../platform/event-log.js';
import type { Metrics } from '../platform/metrics.js';
import type { TransferRecord } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { TransferPipeline } from '../transfers/queue-contract.js';
import { decideReview } from '../transfers/decide-review.js';
import { approvalsNeeded } from '../transfers/transfer-vocabulary.js';
import type { Principal } from './principal.js';

export interface ReviewService {
  decide(
    id: string,
    reviewer: Principal,
    decision: 'approve' | 'reject',
    comment: string,
  ): Promise<TransferRecord>;
  retry(id: string, actor: Principal): Promise<TransferRecord>;
}

export function createReviewService(deps: {
  transfers: TransferStore;
  pipeline: TransferPipeline;
  events: EventLog;
  metrics: Metrics;
  clock: Clock;
  hashId: (id: string) => string;
}): ReviewService {
  const { transfers, events, clock } = deps;

  async function reload(id: string): Promise<TransferRecord> {
    const record = await transfers.get(id);
    if (record === null) throw new AppError('NOT_FOUND');
    return record;
  }

  return {
    async decide(id, reviewer, decision, comment) {
      const at = clock.now().toISOString();
      const result = await decideReview(
        transfers,
        id,
        { reviewer: reviewer.sub, decision, comment, at },
        approvalsNeeded,
      );
      if (!result.ok) {
        if (result.reason === 'missing') throw new AppError('NOT_FOUND');
        if (result.reason === 'own_transfer')
          throw new AppError('FORBIDDEN', 'A reviewer cannot decide a transfer they submitted');
        throw new AppError(
          'INVALID_STATE',
          `Only a held transfer can be decided; this one is ${result.current ?? 'unknown'}`,
        );
      }
      await events.append({
        type: 'review.decision',
        transferId: id,
        reviewer: deps.hashId(reviewer.sub),
        decision,
        status: result.status,
      });
      // A transfer held during delivery already has a job for round 0; a new round gets a new job id.
      if (result.status === 'releasing')
        await deps.pipeline.deliver(id, (await reload(id)).deliveryAttempts.length);
      if (result.status === 'rejected') deps.metrics.transfersFinished.inc({ status: 'rejected' });
      return reload(id);
    },

    async retry(id, actor) {
      const before = await reload(id);
      const moved = await transfers.transition(id, ['delivery_failed'], 'releasing', clock.now(), {
        holdReasons: [],
      });
      if (!moved.ok)
        throw new AppError(
          'INVALID_STATE',
          `Only a delivery_failed transfer can be retried; this one is ${moved.current ?? 'unknown'}`,
        );
      await events.append({ type: 'delivery.retry', transferId: id, actor: deps.hashId(actor.sub) });
      // A new round gets a new job id: the failed job of the previous round stays for ops to inspect.
      await deps.pipeline.deliver(id, before.deliveryAttempts.length);
      return reload(id);
    },
  };
}
