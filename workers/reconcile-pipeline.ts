// workers/reconcile-pipeline: finds transfers whose status says work is pending but which have no job to do it,
// and enqueues that job again. A record and its jobs are written in separate steps, so a crash or a Redis outage
// between them leaves one without the other: the gateway dies (or Redis fails) after creating a `checking`
// record but before enqueuing its checks; a worker dies after moving a transfer to `releasing` but before
// enqueuing its delivery. Without this such a transfer waits forever. Enqueuing is idempotent (fixed job ids),
// so every workers process may run a reconciler.
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import type { TransferRecord } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { JobProbe, TransferPipeline } from '../transfers/queue-contract.js';

export interface PipelineReconcilerDeps {
  readonly transfers: TransferStore;
  readonly pipeline: TransferPipeline;
  readonly probe: JobProbe;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A transfer is only looked at once it has been in its status this long (enqueuing follows within ms). */
  readonly graceMs: number;
}

export interface PipelineReconciler {
  /** One pass over `checking` and `releasing`; answers how many transfers were enqueued again. */
  runOnce(): Promise<number>;
  start(intervalMs: number): { stop(): void };
}

/** Bounds one pass: pages of 100, at most 20 pages per status. */
const pageSize = 100;
const maxPages = 20;

/**
 * Delivery rounds whose job may carry this transfer now: 0 (first release, or review approval), an ops retry's
 * (numbered by the attempts before it), and the reconciler's own (numbered by when the status was entered, so a
 * job it added is found on the next pass and a new entry into `releasing` gets a new job id).
 */
export function deliveryRounds(record: TransferRecord): number[] {
  const rounds = [0];
  for (let n = 1; n <= record.deliveryAttempts.length; n += 1) rounds.push(n);
  const entered = Date.parse(record.statusSince);
  if (Number.isFinite(entered)) rounds.push(entered);
  return rounds;
}

export function createPipelineReconciler(deps: PipelineReconcilerDeps): PipelineReconciler {
  const { transfers, pipeline, probe, clock, logger } = deps;

  /**
   * Enqueues the job a transfer lacks. Only a missing job is replaced: a finished one (failed after its
   * retries) is left for ops, and a job this reconciler added before is never added twice.
   */
  async function reconcile(record: TransferRecord): Promise<boolean> {
    if (record.status === 'checking') {
      if ((await probe.jobState(record.id, 'checks')) !== 'missing') return false;
      await pipeline.start(record.id, record.classification.requiredChecks);
      return true;
    }
    const rounds = deliveryRounds(record);
    const own = rounds[rounds.length - 1] ?? 0;
    for (const round of rounds) {
      const state = await probe.jobState(record.id, 'delivery', round);
      if (state === 'live' || (round === own && state === 'finished')) return false;
    }
    await pipeline.deliver(record.id, own);
    return true;
  }

  async function runOnce(): Promise<number> {
    const settled = clock.now().getTime() - deps.graceMs;
    let enqueued = 0;
    for (const status of ['checking', 'releasing'] as const) {
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const { items, nextCursor } = await transfers.list({
          status,
          order: 'oldest',
          limit: pageSize,
          ...(cursor === undefined ? {} : { cursor }),
        });
        for (const record of items) {
          const since = Date.parse(record.statusSince);
          const lastAttempt = Date.parse(record.deliveryAttempts.at(-1)?.at ?? '');
          if (!(since <= settled) || lastAttempt > settled) continue;
          if (await reconcile(record)) {
            enqueued += 1;
            logger.warn('re-enqueued a transfer that had no job', { transferId: record.id, status });
          }
        }
        if (nextCursor === null) break;
        cursor = nextCursor;
      }
    }
    return enqueued;
  }

  return {
    runOnce,
    start(intervalMs) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        runOnce()
          .catch((err: unknown) =>
            logger.error('pipeline reconciliation failed', { error: describeError(err) }),
          )
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
