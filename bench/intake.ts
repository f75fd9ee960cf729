// bench/intake: one large upload through POST /v1/transfers on a real gateway process — multipart parsing,
// the manifest checks, content inspection, SHA-256, AES-256-GCM and the fsynced write to the payload store,
// then classification and the record — against bare Express taking the same multipart request and only
// hashing the payload (bench/baseline/bare-intake), with the same client, in the same run. Also the gateway's
// peak RSS, at the full size and at a quarter of it: memory must not grow with the payload.
//
//   npm run build && npx tsx bench/intake.ts [--mb 256] [--runs 2] [--profile]   (--mb 1024: the documented 1 GiB)
//
// The payload is order lines without personal data (test/chaos/support/payload-file), so the transfer is
// accepted as declared. Prints a table; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../test/chaos/support/cluster.js';
import { writeOrderFile } from '../test/chaos/support/payload-file.js';
import { upload, type PayloadSource } from '../test/chaos/support/upload.js';
import { waitForPort } from '../test/support/processes.js';
import { freePort } from '../test/support/redis-server.js';
import { parseBenchArgs } from './support/args.js';
import { limitRow, rateRow, report } from './support/bench-result.js';
import { startBenchProcess } from './support/node-process.js';
import { startRssSampler } from './support/rss-sampler.js';

const args = parseBenchArgs();
const MB = args.number('mb', 256);
const RUNS = args.number('runs', 2);
const bytes = Math.round(MB * 1024 * 1024);
const bench = 'intake';
/** --profile: the gateway runs with --cpu-prof into bench-profiles/ and stops gracefully to write it. */
const PROFILE = args.flag('profile');
const mib = (n: number) => n / 1024 / 1024;

interface Timed {
  readonly seconds: number;
  readonly peakRss: number;
}

/** Uploads `payload` and times it from the first byte sent to the answer; the peak RSS of `pid` meanwhile. */
async function timeUpload(
  url: string,
  pid: number,
  payload: PayloadSource,
  token?: string,
  manifest: unknown = {},
): Promise<Timed> {
  const rss = startRssSampler({ server: pid }, 20);
  const started = process.hrtime.bigint();
  const answer = await upload({ url, manifest, payload, ...(token === undefined ? {} : { token }) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rss.stop();
  if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${answer.text}`);
  return { seconds, peakRss: rss.peaks()['server'] ?? 0 };
}

const best = (runs: readonly Timed[]): Timed => [...runs].sort((a, b) => a.seconds - b.seconds)[0] as Timed;

const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-intake-'));
try {
  const file = path.join(dir, 'orders.csv');
  const small = path.join(dir, 'orders-quarter.csv');
  writeOrderFile(file, bytes);
  writeOrderFile(small, Math.round(bytes / 4));
  const payload = { file, bytes };

  // Baseline: bare Express + busboy, hashing only.
  const port = await freePort();
  const bare = startBenchProcess('bare-intake', 'baseline/bare-intake.js', { port });
  await waitForPort(port, bare);
  const baseline: Timed[] = [];
  for (let i = 0; i < RUNS; i += 1)
    baseline.push(await timeUpload(`http://127.0.0.1:${port}/v1/transfers`, bare.child.pid ?? 0, payload));
  await bare.stop();

  // xborder: the gateway process alone (no workers: nothing is delivered while intake is timed).
  const profileDir = path.resolve('bench-profiles', `intake-${Date.now()}`);
  const cluster = await startCluster({
    skip: ['workers', 'receiver'],
    env: { XBORDER_MAX_PAYLOAD_BYTES: String(bytes + 1024) },
    ...(PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  try {
    const manifest = cluster.exemptManifest();
    const token = await cluster.token('enterprise', 'bench-user', manifest['exporterId'] as string);
    const url = `${cluster.gatewayUrl}/v1/transfers`;
    const pid = cluster.process('gateway').child.pid ?? 0;
    const quarter = await timeUpload(
      url,
      pid,
      { file: small, bytes: Math.round(bytes / 4) },
      token,
      manifest,
    );
    const xborder: Timed[] = [];
    for (let i = 0; i < RUNS; i += 1) xborder.push(await timeUpload(url, pid, payload, token, manifest));
    const b = best(baseline);
    const x = best(xborder);
    report([
      rateRow(
        bench,
        `MB/s, ${MB} MiB upload`,
        mib(bytes) / x.seconds,
        mib(bytes) / b.seconds,
        0.5,
        `best of ${RUNS}`,
      ),
      limitRow(
        bench,
        'gateway peak RSS MiB',
        mib(Math.max(...xborder.map((t) => t.peakRss))),
        null,
        `${mib(quarter.peakRss).toFixed(0)} MiB at ${(MB / 4).toFixed(0)} MiB (flat if equal); baseline ${mib(b.peakRss).toFixed(0)} MiB`,
      ),
    ]);
  } finally {
    if (PROFILE) {
      await cluster.stop('gateway');
      console.log(`profile in ${profileDir}`);
    }
    await cluster.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
