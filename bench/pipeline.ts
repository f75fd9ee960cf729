// bench/pipeline: transfers per second through the whole path — N transfers with 1 KB payloads, tier `exempt`
// (self-assessment and attestation checks, release, mTLS delivery, signed receipt) through real gateway,
// workers and receiver processes — against a baseline of the same shape in the same run: bare Express taking
// the same multipart request, a raw BullMQ flow with no-op processors, and a bare HTTPS POST to a no-op
// receiver (bench/baseline/*). Then submit-to-released latency at half of the measured maximum rate, and RSS.
//
//   npm run build && npx tsx bench/pipeline.ts [--n 600] [--concurrency 16] [--latency-seconds 20] [--profile]
//
// Prints a table; asserts nothing. Needs redis-server on the PATH (a private one is started).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { devPkiPaths } from '../certs/dev-pki.js';
import { keys } from '../registry/keys.js';
import { startCluster, type Cluster } from '../test/chaos/support/cluster.js';
import { upload } from '../test/chaos/support/upload.js';
import { runCli, type RunningProcess } from '../test/support/processes.js';
import { freePort, startRedisServer } from '../test/support/redis-server.js';
import { parseBenchArgs } from './support/args.js';
import { limitRow, rateRow, report, type BenchRow } from './support/bench-result.js';
import { startBenchProcess } from './support/node-process.js';
import { readCpuSeconds, redisPid, startRssSampler } from './support/rss-sampler.js';

const args = parseBenchArgs();
const N = args.number('n', 600);
const CONCURRENCY = args.number('concurrency', 16);
const LATENCY_SECONDS = args.number('latency-seconds', 20);
const WARMUP = 30;
/** --profile: the xborder processes run with --cpu-prof into bench-profiles/ and stop gracefully to write them. */
const PROFILE = args.flag('profile');
const bench = 'pipeline';

/** 1 KB of order lines without personal data: the exempt manifest declares the people, the file names none. */
function orderPayload(bytes: number): Buffer {
  let text = 'order_id,sku,qty,unit_price,warehouse,ship_date\n';
  for (let i = 0; text.length < bytes; i += 1)
    text += `SO-${String(10000 + i)},GX-${String(i % 97).padStart(3, '0')},${(i % 40) + 1},${(i * 7.31).toFixed(2)},NNG-${i % 5},2026-03-${String((i % 28) + 1).padStart(2, '0')}\n`;
  return Buffer.from(text.slice(0, bytes));
}
const payload = orderPayload(1024);

interface Submitted {
  /** Client clock (ms) when the request started, per transfer id. */
  readonly starts: Map<string, number>;
  readonly t0: number;
}

type SubmitOne = () => Promise<string>;

/** Closed loop: `concurrency` clients each submitting until `n` have been accepted. */
async function closedLoop(n: number, concurrency: number, submit: SubmitOne): Promise<Submitted> {
  const starts = new Map<string, number>();
  let issued = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < n) {
        issued += 1;
        const start = Date.now();
        starts.set(await submit(), start);
      }
    }),
  );
  return { starts, t0 };
}

/** Open loop: one submission every 1/rate s for `seconds`, whatever the answers' latency (bounded in flight). */
async function openLoop(rate: number, seconds: number, submit: SubmitOne): Promise<Submitted> {
  const starts = new Map<string, number>();
  const total = Math.max(1, Math.round(rate * seconds));
  const t0 = Date.now();
  const inFlight: Promise<void>[] = [];
  let outstanding = 0;
  for (let i = 0; i < total; i += 1) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (outstanding > 1000)
      throw new Error('the system fell more than 1,000 submissions behind the offered rate');
    outstanding += 1;
    const start = Date.now();
    inFlight.push(
      submit().then((id) => {
        outstanding -= 1;
        starts.set(id, start);
      }),
    );
  }
  await Promise.all(inFlight);
  return { starts, t0 };
}

/** Waits until `done()` reaches `count`, bounded by `timeoutMs`. */
async function waitFor(count: number, done: () => Promise<number>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await done();
    if (now >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${now} of ${count} finished within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};

function submitter(url: string, manifest: unknown, token: string | undefined, agent: http.Agent): SubmitOne {
  return async () => {
    const answer = await upload({
      url: `${url}/v1/transfers`,
      manifest,
      payload,
      agent,
      ...(token === undefined ? {} : { token }),
    });
    if (answer.status !== 202) throw new Error(`submit answered ${answer.status}: ${answer.text}`);
    return (JSON.parse(answer.text) as { id: string }).id;
  };
}

interface Measured {
  readonly throughput: number;
  readonly peaks: Record<string, number>;
  /** CPU milliseconds per transfer, per process, over the closed-loop run. */
  readonly cpuMs: Record<string, number>;
}

function cpuMeter(pids: Readonly<Record<string, number>>): () => Record<string, number> {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, readCpuSeconds(pid)]));
  return () =>
    Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, readCpuSeconds(pid) - (start[name] ?? 0)]),
    );
}

const perTransferMs = (seconds: Record<string, number>, n: number) =>
  Object.fromEntries(Object.entries(seconds).map(([name, s]) => [name, (1000 * s) / n]));

async function measureBaseline(): Promise<Measured> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-bench-baseline-'));
  const procs: RunningProcess[] = [];
  const client = new Redis(redis.url);
  try {
    await runCli(['certs', 'init'], { XBORDER_DATA_DIR: dir, XBORDER_LOG_LEVEL: 'warn' });
    const pki = devPkiPaths(path.join(dir, 'pki'));
    const [intakePort, receiverPort] = [await freePort(), await freePort()];
    procs.push(
      startBenchProcess('noop-receiver', 'baseline/noop-receiver.js', {
        port: receiverPort,
        cert: pki.receiverServer.cert,
        key: pki.receiverServer.key,
        clientCa: pki.root.cert,
      }),
      startBenchProcess('noop-workers', 'baseline/noop-workers.js', {
        redisUrl: redis.url,
        receiverUrl: `https://localhost:${receiverPort}`,
        cert: pki.gatewayClient.cert,
        key: pki.gatewayClient.key,
        ca: pki.root.cert,
        bodyBytes: payload.length,
        concurrency: 8,
      }),
      startBenchProcess('bare-intake', 'baseline/bare-intake.js', {
        port: intakePort,
        redisUrl: redis.url,
        checks: ['self_assessment', 'attestation'],
      }),
    );
    const { waitForPort } = await import('../test/support/processes.js');
    await waitForPort(receiverPort, procs[0] as RunningProcess);
    await waitForPort(intakePort, procs[2] as RunningProcess);
    const pids = {
      gateway: procs[2]?.child.pid ?? 0,
      workers: procs[1]?.child.pid ?? 0,
      receiver: procs[0]?.child.pid ?? 0,
      redis: await redisPid(client),
    };
    const rss = startRssSampler(pids);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const submit = submitter(`http://127.0.0.1:${intakePort}`, {}, undefined, agent);
    const done = () => client.hlen('baseline:done');
    await closedLoop(WARMUP, CONCURRENCY, submit);
    await waitFor(WARMUP, done, 60_000);
    rss.reset();
    const cpu = cpuMeter(pids);
    const run = await closedLoop(N, CONCURRENCY, submit);
    await waitFor(WARMUP + N, done, 300_000);
    const cpuMs = perTransferMs(cpu(), N);
    const times = (await client.hmget('baseline:done', ...run.starts.keys())).map(Number);
    agent.destroy();
    rss.stop();
    return { throughput: N / ((Math.max(...times) - run.t0) / 1000), peaks: rss.peaks(), cpuMs };
  } finally {
    client.disconnect();
    await Promise.all(procs.map((p) => p.stop()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface XborderMeasured extends Measured {
  readonly p50: number;
  readonly p99: number;
  readonly offered: number;
  readonly latencyCount: number;
}

async function measureXborder(): Promise<XborderMeasured> {
  const profileDir = path.resolve('bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const cluster: Cluster = await startCluster(
    PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  const client = new Redis(cluster.redis.url);
  try {
    const token = await cluster.token(
      'enterprise',
      'bench-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const submit = submitter(cluster.gatewayUrl, cluster.exemptManifest(), token, agent);
    const released = () => client.zcard(keys.transfersByStatus('released'));
    const stuck = async () => {
      const [held, failed] = await Promise.all([
        client.zcard(keys.transfersByStatus('held')),
        client.zcard(keys.transfersByStatus('delivery_failed')),
      ]);
      if (held + failed > 0) throw new Error(`${held} held, ${failed} delivery_failed:\n${cluster.output()}`);
    };
    const finished = async () => {
      await stuck();
      return released();
    };
    const statusTimes = async (ids: Iterable<string>) => {
      const pipeline = client.pipeline();
      for (const id of ids) pipeline.hget(keys.transfer(id), 'statusAt');
      return ((await pipeline.exec()) ?? []).map(([, v]) => Date.parse(String(v)));
    };
    const pids = {
      gateway: cluster.process('gateway').child.pid ?? 0,
      workers: cluster.process('workers').child.pid ?? 0,
      receiver: cluster.process('receiver').child.pid ?? 0,
      redis: await redisPid(client),
    };
    const rss = startRssSampler(pids);

    await closedLoop(WARMUP, CONCURRENCY, submit);
    await waitFor(WARMUP, finished, 120_000);
    rss.reset();
    const cpu = cpuMeter(pids);
    const run = await closedLoop(N, CONCURRENCY, submit);
    await waitFor(WARMUP + N, finished, 600_000);
    const cpuMs = perTransferMs(cpu(), N);
    const throughput = N / ((Math.max(...(await statusTimes(run.starts.keys()))) - run.t0) / 1000);
    const peaks = rss.peaks();

    const offered = throughput / 2;
    const paced = await openLoop(offered, LATENCY_SECONDS, submit);
    await waitFor(WARMUP + N + paced.starts.size, finished, 600_000);
    const ends = await statusTimes(paced.starts.keys());
    const latencies = [...paced.starts.values()].map((start, i) => (ends[i] ?? NaN) - start);
    agent.destroy();
    rss.stop();
    return {
      throughput,
      peaks,
      cpuMs,
      offered,
      latencyCount: latencies.length,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
    };
  } finally {
    client.disconnect();
    if (PROFILE) {
      for (const role of ['gateway', 'workers', 'receiver'] as const) await cluster.stop(role);
      console.log(`profiles in ${profileDir}`);
    }
    await cluster.close();
  }
}

const baseline = await measureBaseline();
const xborder = await measureXborder();
const mb = (bytes: number) => bytes / 1024 / 1024;
const rows: BenchRow[] = [
  rateRow(
    bench,
    'transfers/s (1 KB, exempt)',
    xborder.throughput,
    baseline.throughput,
    0.5,
    `N=${N}, ${CONCURRENCY} clients`,
  ),
  limitRow(
    bench,
    'p99 submit→released ms',
    xborder.p99,
    250,
    `at ${xborder.offered.toFixed(1)}/s (half of max), ${xborder.latencyCount} transfers, p50 ${xborder.p50.toFixed(0)} ms`,
  ),
  ...(['gateway', 'workers', 'receiver', 'redis'] as const).map((role) =>
    limitRow(
      bench,
      `${role} peak RSS MiB`,
      mb(xborder.peaks[role] ?? 0),
      null,
      `baseline ${mb(baseline.peaks[role] ?? 0).toFixed(0)} MiB; CPU ${(xborder.cpuMs[role] ?? 0).toFixed(1)} ms/transfer (baseline ${(baseline.cpuMs[role] ?? 0).toFixed(1)})`,
    ),
  ),
];
report(rows);
