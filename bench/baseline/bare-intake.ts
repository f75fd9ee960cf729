// bench/baseline/bare-intake: the intake baseline — bare Express taking the same multipart request as
// POST /v1/transfers (busboy, the payload part streamed once through SHA-256, nothing stored) and, with
// `queue`, adding a BullMQ flow of the gateway's shape (a release parent with one child per check). No auth,
// no validation, no inspection, no encryption, no ledger. Run as a process: node bare-intake.js '<json>'.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { FlowProducer } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

interface Options {
  readonly port: number;
  /** Redis URL: when set, each request adds a flow like the gateway's. */
  readonly redisUrl?: string;
  readonly checks?: readonly string[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const flows =
  options.redisUrl === undefined
    ? null
    : new FlowProducer({ connection: new Redis(options.redisUrl, { maxRetriesPerRequest: null }) });
let counter = 0;

const app = express();
app.post('/v1/transfers', (req, res) => {
  const parser = busboy({ headers: req.headers });
  const hash = createHash('sha256');
  let bytes = 0;
  parser.on('file', (_name, stream) => {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
  });
  parser.on('close', (): void => {
    const id = `b${process.pid}-${(counter += 1)}`;
    const sha256 = hash.digest('hex');
    const answer = () => res.status(202).json({ id, sha256, bytes });
    if (flows === null) {
      answer();
      return;
    }
    flows
      .add({
        name: 'release',
        queueName: 'baseline-release',
        data: { transferId: id },
        opts: { jobId: `release-${id}`, removeOnComplete: true },
        children: (options.checks ?? []).map((check) => ({
          name: check,
          queueName: 'baseline-checks',
          data: { transferId: id, check },
          opts: { jobId: `check-${id}-${check}`, removeOnComplete: true },
        })),
      })
      .then(answer, (err: unknown) => res.status(500).json({ error: String(err) }));
  });
  parser.on('error', () => res.status(400).end());
  req.pipe(parser);
});

const server = app.listen(options.port, '127.0.0.1', () => {
  process.stderr.write(`bare intake on ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void flows?.close().then(() => process.exit(0));
  if (flows === null) process.exit(0);
});
