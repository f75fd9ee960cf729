// workers/pipeline: the one wrapper around BullMQ — it implements the queue contract of
// transfers/queue-contract.ts with job ids that make every enqueue idempotent, retry rules, and the workers'
// plumbing. Nothing outside this file imports bullmq.
import { createHash } from 'node:crypto';
import { DelayedError, FlowProducer, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from '../platform/redis.js';
import type { CheckName } from '../policies/classification.js';
import {
  queueNames,
  type CheckJob,
  type DeliveryRetry,
  type JobProbe,
  type QueueName,
  type TransferJob,
  type TransferPipeline,
  type WebhookJob,
  type WebhookQueue,
} from '../transfers/queue-contract.js';
import type { QueueState } from '../platform/metrics.js';

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

/**
 * BullMQ's key prefix (XBORDER_QUEUE_PREFIX). One prefix for every queue, so on a Redis Cluster, where it is a
 * {hash tag}, a flow's parent and children (release and checks) live in one slot as BullMQ's scripts need.
 */
export const defaultQueuePrefix = 'bull';

export function createPipeline(
  connection: Redis,
  retry: DeliveryRetry,
  prefix: string = defaultQueuePrefix,
): TransferPipeline {
  const flows = new FlowProducer({ connection, prefix });
  const queues = {
    checks: new Queue<CheckJob>(queueNames.checks, { connection, prefix }),
    release: new Queue<TransferJob>(queueNames.release, { connection, prefix }),
    delivery: new Queue<TransferJob>(queueNames.delivery, { connection, prefix }),
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

export function createJobProbe(connection: Redis, prefix: string = defaultQueuePrefix): JobProbe {
  const release = new Queue<TransferJob>(queueNames.release, { connection, prefix });
  const delivery = new Queue<TransferJob>(queueNames.delivery, { connection, prefix });
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
  options: { concurrency: number; onError: (err: unknown) => void; prefix?: string },
): RunningWorker {
  const worker = new Worker<T>(
    queue,
    async (job, token) => {
      try {
        await processor(contextOf(job));
      } catch (err) {
        if (!(err instanceof RetryLaterError) || token === undefined) throw err;
        // BullMQ's way to run a job again later without spending one of its attempts.
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
    },
    {
      connection,
      prefix: options.prefix ?? defaultQueuePrefix,
      concurrency: options.concurrency,
      autorun: true,
    },
  );
  worker.on('error', options.onError);
  return { close: () => worker.close() };
}

/**
 * Thrown by a processor that must not run the job now but will be able to later (e.g. a worker whose policy
 * differs from the transfer's): the job waits `delayMs` and runs again, without spending an attempt, on
 * whichever worker takes it then.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Subscription ids may hold ':' (BullMQ forbids it in job ids): a digest names them in the job id. */
const webhookJobId = (eventId: string, subscriptionId: string) =>
  `wh-${eventId}-${createHash('sha256').update(subscriptionId).digest('hex').slice(0, 32)}`;

export function createWebhookQueue(
  connection: Redis,
  retry: DeliveryRetry,
  prefix: string = defaultQueuePrefix,
): WebhookQueue {
  const queue = new Queue<WebhookJob>(queueNames.webhooks, { connection, prefix });
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
