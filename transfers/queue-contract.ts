// transfers/queue-contract: what the gateway and the workers agree on about a transfer's jobs — queue names, job
// data (ids only, never payload bytes or personal data) and the pipeline port. No queue library here: the BullMQ
// adapter that implements the port lives in workers/pipeline.ts.
import type { CheckName } from '../policies/classification.js';
import type { QueueState } from '../platform/metrics.js';

export const queueNames = {
  checks: 'xborder-checks',
  release: 'xborder-release',
  delivery: 'xborder-delivery',
  webhooks: 'xborder-webhooks',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface CheckJob {
  readonly transferId: string;
  readonly check: CheckName;
}
export interface TransferJob {
  readonly transferId: string;
}

/** One event for one subscription (api.md §11): ids only; the body is stored once under the event id. */
export interface WebhookJob {
  readonly eventId: string;
  readonly subscriptionId: string;
}

export interface WebhookQueue {
  /**
   * Enqueues the delivery of `eventId` to `subscriptionId`. The job id is derived from both, so raising the same
   * event again while its job is kept adds nothing; after that the delivered marker makes a repeat a no-op.
   */
  send(eventId: string, subscriptionId: string): Promise<void>;
  close(): Promise<void>;
}

export interface TransferPipeline {
  /** Enqueues one child job per required check and a parent release job that runs when they are done. */
  start(transferId: string, checks: readonly CheckName[]): Promise<void>;
  /** Enqueues delivery. `round` distinguishes an ops retry from the first delivery (job ids are unique). */
  deliver(transferId: string, round: number): Promise<void>;
  jobCounts(): Promise<{ queue: QueueName; state: QueueState; count: number }[]>;
  close(): Promise<void>;
}

export interface DeliveryRetry {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** Looks up a transfer's jobs, for the pipeline reconciler (workers/reconcile-pipeline.ts). */
export interface JobProbe {
  /**
   * The state of the transfer's release job (the parent of its checks) for `checks`, or of its delivery job of
   * `round` for `delivery`: `live` when it will still run or is running, `finished` when it completed or
   * failed (and is still kept), `missing` when there is no such job.
   */
  jobState(
    transferId: string,
    stage: 'checks' | 'delivery',
    round?: number,
  ): Promise<'live' | 'finished' | 'missing'>;
  close(): Promise<void>;
}
