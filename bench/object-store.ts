// bench/object-store: what moving payloads and the ledger into an S3-compatible object store costs, measured in
// one run against the file stores (issue #17): (1) transfers per second through the whole pipeline (gateway,
// workers, receiver; 1 KiB exempt transfers) with XBORDER_PAYLOAD_STORE=s3://… and the ledger as tiles
// (XBORDER_LEDGER_STORE=s3://…) against the same with the file payload store and the file ledger; (2) one large
// payload delivered on the S3 deployment (workers read and decrypt it from S3, send it over mutual TLS, the
// receiver verifies and fsyncs it) against a raw Node HTTPS upload of the same file with the same certificates
// (bench/baseline/raw-upload, noop-receiver), with gateway and workers peak RSS throughout (intake included). The
// object store is a real Swift with s3api on loopback (test/support/s3-server.ts), single replica.
//
//   npm run build && npx tsx bench/object-store.ts [--n 100] [--concurrency 8] [--mb 32] [--full]
//
// --full delivers 1 GiB (the documented size). Prints a table; asserts nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from '../test/chaos/support/cluster.js';
import { writeOrderFile } from '../test/chaos/support/payload-file.js';
import { upload } from '../test/chaos/support/upload.js';
import { startS3Server, type TestS3Server } from '../test/support/s3-server.js';
import { parseBenchArgs } from './support/args.js';
import { limitRow, rateRow, report } from './support/bench-result.js';
import { deliverLargeFile, type Delivered } from './support/large-delivery.js';
import { rawUpload } from './support/raw-upload.js';

const args = parseBenchArgs();
const N = args.number('n', 100);
const CONCURRENCY = args.number('concurrency', 8);
const MB = args.flag('full') ? 1024 : args.number('mb', 32);
const bytes = Math.round(MB * 1024 * 1024);
const bench = 'object-store';
const mib = (n: number) => n / 1024 / 1024;

function s3Env(s3: TestS3Server): (dataDir: string) => Record<string, string> {
  const masterKey = randomBytes(32).toString('base64');
  return (dataDir) => ({
    XBORDER_PAYLOAD_STORE: 's3://xborder-bench/payloads',
    XBORDER_LEDGER_STORE: 's3://xborder-bench/ledger',
    XBORDER_S3_ENDPOINT: s3.endpoint,
    XBORDER_S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    XBORDER_MASTER_KEY: masterKey,
    XBORDER_SIGNING_KEY: path.join(dataDir, 'pki', 'gateway', 'signing.key'),
    XBORDER_SIGNING_CERT: path.join(dataDir, 'pki', 'gateway', 'signing-chain.pem'),
  });
}

/** Submits `n` small exempt transfers with `concurrency` clients; transfers/s from first submit to last release. */
async function pipelineRate(cluster: Cluster, payload: Buffer): Promise<number> {
  const manifest = cluster.exemptManifest();
  const token = await cluster.token('enterprise', 'bench-user', manifest['exporterId'] as string);
  const ids: string[] = [];
  let issued = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < N) {
        issued += 1;
        const answer = await upload({ url: `${cluster.gatewayUrl}/v1/transfers`, token, manifest, payload });
        if (answer.status !== 202) throw new Error(`submit answered ${answer.status}: ${answer.text}`);
        ids.push((JSON.parse(answer.text) as { id: string }).id);
      }
    }),
  );
  let last = 0;
  for (const id of ids) {
    const done = await cluster.settle(id, ['released', 'held', 'delivery_failed'], 300_000);
    if (done.status !== 'released') throw new Error(`transfer ${id} ended ${done.status}`);
    last = Math.max(last, Date.parse(done.statusSince));
  }
  return N / ((last - t0) / 1000);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-s3-'));
const s3 = await startS3Server();
try {
  await s3.createBucket('xborder-bench');
  const file = path.join(dir, 'orders.csv');
  writeOrderFile(file, bytes);
  const small = Buffer.from(`order_id,sku,qty\n${'SO-1,GX-1,1\n'.repeat(80)}`).subarray(0, 1024);
  const env = { XBORDER_MAX_PAYLOAD_BYTES: String(bytes + 1024), XBORDER_DELIVERY_TIMEOUT_MS: '900000' };

  const fileCluster = await startCluster({ env });
  let fileRate: number;
  try {
    fileRate = await pipelineRate(fileCluster, small);
  } finally {
    await fileCluster.close();
  }
  const s3Cluster = await startCluster({ env, roleEnv: s3Env(s3) });
  let s3Rate: number;
  let s3Delivery: Delivered;
  let raw: number;
  try {
    s3Rate = await pipelineRate(s3Cluster, small);
    s3Delivery = await deliverLargeFile(s3Cluster, file, bytes, 900_000);
    raw = await rawUpload(s3Cluster, file, dir);
  } finally {
    await s3Cluster.close();
  }
  report([
    rateRow(
      bench,
      `transfers/s, ${N} × 1 KiB, S3 payloads + tiles ledger vs file stores`,
      s3Rate,
      fileRate,
      null,
    ),
    rateRow(
      bench,
      `MB/s, ${MB} MiB from S3 → receiver vs raw TLS upload`,
      mib(bytes) / s3Delivery.seconds,
      mib(bytes) / raw,
      null,
    ),
    ...(['gateway', 'workers'] as const).map((role) =>
      limitRow(
        bench,
        `${role} peak RSS MiB`,
        mib(s3Delivery.peaks[role] ?? 0),
        null,
        `${MB} MiB delivery on S3 + tiles, intake included`,
      ),
    ),
  ]);
} finally {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
}
