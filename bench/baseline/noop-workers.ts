// bench/baseline/noop-workers: the queue baseline — raw BullMQ workers for a flow of the gateway's shape:
// no-op check children, a release parent that adds one delivery job, and a delivery job that makes a bare
// HTTPS POST (same mutual TLS, same body size) to the no-op receiver. Each finished delivery records its
// time in the hash `baseline:done`, so the bench can time every transfer. Run: node noop-workers.js '<json>'.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

interface Options {
  readonly redisUrl: string;
  readonly receiverUrl: string;
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly bodyBytes: number;
  readonly concurrency: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
const redis = new Redis(options.redisUrl);
const tls = {
  cert: readFileSync(options.cert),
  key: readFileSync(options.key),
  ca: readFileSync(options.ca),
};
const agent = new https.Agent({ keepAlive: true, ...tls });
const body = Buffer.alloc(options.bodyBytes, 0x61);
const deliveries = new Queue('baseline-delivery', { connection });

function post(id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${options.receiverUrl}/v1/deliveries/${id}`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const workers = [
  new Worker('baseline-checks', () => Promise.resolve(), { connection, concurrency: options.concurrency }),
  new Worker(
    'baseline-release',
    async (job) => {
      const { transferId } = job.data as { transferId: string };
      await deliveries.add(
        'deliver',
        { transferId },
        { jobId: `deliver-${transferId}`, removeOnComplete: true },
      );
    },
    { connection, concurrency: options.concurrency },
  ),
  new Worker(
    'baseline-delivery',
    async (job) => {
      const { transferId } = job.data as { transferId: string };
      await post(transferId);
      await redis.hset('baseline:done', transferId, String(Date.now()));
    },
    { connection, concurrency: options.concurrency },
  ),
];
for (const worker of workers) worker.on('error', () => undefined);
process.stderr.write('noop workers running\n');
process.once('SIGTERM', () => {
  void Promise.all(workers.map((w) => w.close())).then(() => process.exit(0));
});
