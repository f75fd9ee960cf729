// bench/delivery: one large payload from the payload store to the partner's endpoint — the workers read and
// decrypt it, sign the release, send it over mutual TLS; the reference receiver verifies the release, hashes,
// writes and fsyncs it and signs a receipt that the workers verify — against a raw Node HTTPS upload of the
// same plaintext file with the same mutual TLS to a server that writes and fsyncs it (bench/baseline/raw-upload,
// noop-receiver), in the same run. Gateway and workers RSS are sampled throughout (/proc/<pid>/status), at the
// full size and at a quarter of it: memory must stay under 200 MB and not grow with the payload.
//
//   npm run build && npx tsx bench/delivery.ts [--mb 256]     (--mb 1024 for the documented 1 GiB)
//
// Delivery time is the transfer's own record (bench/support/large-delivery).
// Prints a table; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../test/chaos/support/cluster.js';
import { writeOrderFile } from '../test/chaos/support/payload-file.js';
import { parseBenchArgs } from './support/args.js';
import { limitRow, rateRow, report } from './support/bench-result.js';
import { rawUpload } from './support/raw-upload.js';
import { deliverLargeFile, type Delivered } from './support/large-delivery.js';

const args = parseBenchArgs();
const MB = args.number('mb', 256);
const bytes = Math.round(MB * 1024 * 1024);
const bench = 'delivery';
const mib = (n: number) => n / 1024 / 1024;
/** Gateway and workers must stay under this throughout (issue 8). */
const rssCapMiB = 200;

const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-delivery-'));
try {
  const file = path.join(dir, 'orders.csv');
  const small = path.join(dir, 'orders-quarter.csv');
  writeOrderFile(file, bytes);
  writeOrderFile(small, Math.round(bytes / 4));

  const cluster = await startCluster({
    env: {
      XBORDER_MAX_PAYLOAD_BYTES: String(bytes + 1024),
      XBORDER_DELIVERY_TIMEOUT_MS: '600000',
    },
  });
  let quarter: Delivered;
  let full: Delivered;
  let raw: number;
  try {
    quarter = await deliverLargeFile(cluster, small, Math.round(bytes / 4), 600_000);
    full = await deliverLargeFile(cluster, file, bytes, 600_000);

    // Baseline, with the deployment's own certificates: the workers' client certificate, the receiver's server one.
    raw = await rawUpload(cluster, file, dir);
  } finally {
    await cluster.close();
  }

  const peak = (d: Delivered, role: string) => mib(d.peaks[role] ?? 0);
  report([
    rateRow(bench, `MB/s, ${MB} MiB store → receiver`, mib(bytes) / full.seconds, mib(bytes) / raw, 0.6),
    ...(['gateway', 'workers'] as const).map((role) =>
      limitRow(
        bench,
        `${role} peak RSS MiB`,
        peak(full, role),
        rssCapMiB,
        `${peak(quarter, role).toFixed(0)} MiB at ${(MB / 4).toFixed(0)} MiB (flat if equal); intake included`,
      ),
    ),
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
