// workers/pipeline: the queue contract and the one wrapper around BullMQ — queue names, job data (ids only,
// never payload bytes or personal data), job ids that make every enqueue idempotent, retry rules, and the
// workers' plumbing. Nothing outside this file imports bullmq.
import { createHash } from 'node:crypto';
import { FlowProducer, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from '../platform/redis.js';
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

/** Infrastructure trouble (Redis, disk) is retried; evidence failures are results, not job failures. */
const checkAttempts = 5;
const checkBackoffMs = 500;
/** Finished jobs are trimmed: the transfer record and the ledger keep the history, Redis stays bounded. */
const keepCompleted = { age: 3600, count: 1000 };
const keepFailed = { age: 7 * 24 * 3600 };

/** BullMQ forbids ':' in custom job ids; transfer ids are [0-9A-Z] so '-' separates safely. */
const jobIds = {
  check: (transferId: string, check: CheckName) => `check-${transferId}-${check}`,
  release: (transferId: string) => `release-${transferId}`,
  delivery: (transferId: string, round: number) => `deliver-${transferId}-${round}`,
};

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

export function createPipeline(connection: Redis, retry: DeliveryRetry): TransferPipeline {
  const flows = new FlowProducer({ connection });
  const queues = {
    checks: new Queue<CheckJob>(queueNames.checks, { connection }),
    release: new Queue<TransferJob>(queueNames.release, { connection }),
    delivery: new Queue<TransferJob>(queueNames.delivery, { connection }),
  };
  const states: QueueState[] = ['waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children'];

  return {
    async start(transferId, checks) {
      const data: TransferJob = { transferId };
      const opts = {
        jobId: jobIds.release(transferId),
        attempts: checkAttempts,
        backoff: { type: 'exponential', delay: checkBackoffMs },
        removeOnComplete: keepCompleted,
        removeOnFail: keepFailed,
      };
      if (checks.length === 0) {
        await queues.release.add('release', data, opts);
        return;
      }
      await flows.add({
        name: 'release',
        queueName: queueNames.release,
        data,
        opts,
        children: checks.map((check) => ({
          name: check,
          queueName: queueNames.checks,
          data: { transferId, check } satisfies CheckJob,
          opts: {
            jobId: jobIds.check(transferId, check),
            attempts: checkAttempts,
            backoff: { type: 'exponential', delay: checkBackoffMs },
            removeOnComplete: keepCompleted,
            removeOnFail: keepFailed,
          },
        })),
      });
    },

    async deliver(transferId, round) {
      await queues.delivery.add(
        'deliver',
        { transferId },
        {
          jobId: jobIds.delivery(transferId, round),
          attempts: retry.attempts,
          backoff: { type: 'exponential', delay: retry.backoffMs },
          removeOnComplete: keepCompleted,
          removeOnFail: keepFailed,
        },
      );
    },

    async jobCounts() {
      const out: { queue: QueueName; state: QueueState; count: number }[] = [];
      for (const queue of Object.values(queues)) {
        const counts = await queue.getJobCounts(...states);
        for (const state of states)
          out.push({ queue: queue.name as QueueName, state, count: counts[state] ?? 0 });
      }
      return out;
    },

    async close() {
      await Promise.all([flows.close(), ...Object.values(queues).map((q) => q.close())]);
    },
  };
}

/** Job states in which a job will still run (or is running). */
const liveStates = new Set(['waiting', 'waiting-children', 'active', 'delayed', 'prioritized']);

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

export function createJobProbe(connection: Redis): JobProbe {
  const release = new Queue<TransferJob>(queueNames.release, { connection });
  const delivery = new Queue<TransferJob>(queueNames.delivery, { connection });
  return {
    async jobState(transferId, stage, round = 0) {
      const state =
        stage === 'checks'
          ? await release.getJobState(jobIds.release(transferId))
          : await delivery.getJobState(jobIds.delivery(transferId, round));
      if (state === 'unknown') return 'missing';
      return liveStates.has(state) ? 'live' : 'finished';
    },
    async close() {
      await Promise.all([release.close(), delivery.close()]);
    },
  };
}

/** What a processor sees of a job: its data and whether this is its last try. */
export interface JobContext<T> {
  readonly data: T;
  readonly attempt: number;
  readonly isLastAttempt: boolean;
}

export type Processor<T> = (job: JobContext<T>) => Promise<void>;

export interface RunningWorker {
  close(): Promise<void>;
}

function contextOf<T>(job: Job<T>): JobContext<T> {
  const attempts = job.opts.attempts ?? 1;
  return { data: job.data, attempt: job.attemptsMade + 1, isLastAttempt: job.attemptsMade + 1 >= attempts };
}

export function startWorker<T>(
  connection: Redis,
  queue: QueueName,
  processor: Processor<T>,
  options: { concurrency: number; onError: (err: unknown) => void },
): RunningWorker {
  const worker = new Worker<T>(queue, (job) => processor(contextOf(job)), {
    connection,
    concurrency: options.concurrency,
    autorun: true,
  });
  worker.on('error', options.onError);
  return { close: () => worker.close() };
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

/** Subscription ids may hold ':' (BullMQ forbids it in job ids): a digest names them in the job id. */
const webhookJobId = (eventId: string, subscriptionId: string) =>
  `wh-${eventId}-${createHash('sha256').update(subscriptionId).digest('hex').slice(0, 32)}`;

export function createWebhookQueue(connection: Redis, retry: DeliveryRetry): WebhookQueue {
  const queue = new Queue<WebhookJob>(queueNames.webhooks, { connection });
  return {
    async send(eventId, subscriptionId) {
      await queue.add(
        'webhook',
        { eventId, subscriptionId },
        {
          jobId: webhookJobId(eventId, subscriptionId),
          attempts: retry.attempts,
          backoff: { type: 'exponential', delay: retry.backoffMs },
          removeOnComplete: keepCompleted,
          removeOnFail: keepFailed,
        },
      );
    },
    close: () => queue.close(),
  };
}

/** Thrown by a processor for a failure that retrying cannot fix. */
export { UnrecoverableError };
