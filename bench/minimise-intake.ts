// bench/minimise-intake: POST /v1/transfers with a minimisation plan against the same upload without one, on one
// real gateway process in the same run (issue #20). With the plan the original is inspected and hashed, minimised
// (CSV parsed per RFC 4180, two columns dropped, birth dates generalised, k counted) and the result inspected,
// hashed, encrypted and stored: the price of sending less, as a ratio of plain intake.
//
//   npm run build && npx tsx bench/minimise-intake.ts [--mb 16] [--runs 2]     (--full: the 100 MB CSV)
//
// The file is order lines with a resident ID, a mobile and a birth date on each (whole lines only, so the plan
// applies). Prints a table; asserts nothing.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../test/chaos/support/cluster.js';
import { upload } from '../test/chaos/support/upload.js';
import { residentIds } from '../test/support/identifiers.js';
import { parseBenchArgs } from './support/args.js';
import { rateRow, report } from './support/bench-result.js';

const args = parseBenchArgs();
const MB = args.flag('full') ? 100 : args.number('mb', 16);
const RUNS = args.number('runs', 2);
const bytes = Math.round(MB * 1024 * 1024);
const bench = 'minimise';
const mib = (n: number) => n / 1024 / 1024;

const header = 'order_id,resident_id,mobile,birth_date,sku,qty,unit_price\n';

/** About 4 MiB of distinct order lines with identifiers, whole lines only. */
function block(): Buffer {
  const ids = residentIds(20_000);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 4 * 1024 * 1024; i += 1) {
    const id = ids[i % ids.length] ?? '';
    const line = `SO-${10_000_000 + i},${id},1${3 + (i % 7)}${String(100_000_000 + i).slice(-9)},${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)},GX-${i % 997},${(i % 40) + 1},"${((i % 5000) * 1.37).toFixed(2)}"\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''));
}

function writeFile(file: string): number {
  const rows = block();
  const fd = openSync(file, 'w');
  let written = writeSync(fd, header);
  try {
    while (written + rows.length <= bytes) written += writeSync(fd, rows);
    const rest = rows.subarray(0, rows.lastIndexOf(0x0a, bytes - written - 1) + 1);
    written += writeSync(fd, rest);
  } finally {
    closeSync(fd);
  }
  return written;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-minimise-'));
try {
  const file = path.join(dir, 'orders.csv');
  const size = writeFile(file);
  const cluster = await startCluster({
    skip: ['workers', 'receiver'],
    env: { XBORDER_MAX_PAYLOAD_BYTES: String(size + 1024) },
  });
  try {
    const manifest = cluster.exemptManifest();
    const token = await cluster.token('enterprise', 'bench-user', manifest['exporterId'] as string);
    const url = `${cluster.gatewayUrl}/v1/transfers`;
    const plan = {
      format: 'csv',
      columns: {
        resident_id: { op: 'drop' },
        mobile: { op: 'drop' },
        birth_date: { op: 'generalise', to: 'year' },
      },
    };
    const time = async (m: unknown): Promise<number> => {
      const started = process.hrtime.bigint();
      const answer = await upload({ url, manifest: m, payload: { file, bytes: size }, token });
      if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${answer.text}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const plain: number[] = [];
    const minimised: number[] = [];
    // Alternated, so both see the same machine load.
    for (let i = 0; i < RUNS; i += 1) {
      plain.push(await time(manifest));
      minimised.push(await time({ ...manifest, minimise: plan }));
    }
    const rate = (seconds: number[]) => mib(size) / Math.min(...seconds);
    report([
      rateRow(
        bench,
        `MB/s, ${MB} MiB CSV with a plan`,
        rate(minimised),
        rate(plain),
        null,
        `baseline: the same upload without a plan; best of ${RUNS}`,
      ),
    ]);
  } finally {
    await cluster.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
