// bench/ledger: ledger append throughput (group commit: concurrent appends share one write + fsync) against raw
// fsync'd appends of the same record bytes to one file, measured in the same run, and their ratio (target: ledger
// ≥ 0.25 × raw group commit). Rounds alternate raw and ledger and medians are reported, so a noisy disk or a
// busy machine weighs on both sides alike.
//   npx tsx bench/ledger.ts [--n 20000] [--concurrency 64] [--rounds 5] [--redis]      Prints; asserts nothing.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLeaf, type LedgerEvent } from '../ledger/leaf-encoding.js';
import { createLedger, type Ledger } from '../ledger/ledger.js';
import { createRedisSequencer } from '../ledger/redis-sequencer.js';
import { createRedis, pingRedis } from '../platform/redis.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 20000);
const ROUNDS = arg('rounds', 5);
const CONCURRENCY = arg('concurrency', 64);
const WITH_REDIS = process.argv.includes('--redis');
const REDIS_URL = process.env['XBORDER_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A release-like event: ids and hashes only, ~300 bytes of canonical JSON. */
const events: LedgerEvent[] = Array.from({ length: N }, (_, i) => ({
  type: 'transfer.released',
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  eventId: randomUUID(),
  transferId: `tr_${i.toString(36).padStart(8, '0')}`,
  exporter: 'a3f1c2e4b5d6978812ab34cd56ef7890a3f1c2e4b5d6978812ab34cd56ef7890',
  payloadSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  tier: 'standard_contract',
  policyVersion: '2026.01',
}));
// The bytes the ledger writes per entry: u32 length prefix + leaf.
const records = events.map((e) => {
  const leaf = encodeLeaf(e);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(leaf.length);
  return Buffer.concat([prefix, leaf]);
});

/** Runs `op(i)` for i in [0, n) with `concurrency` in flight; returns elapsed seconds. */
async function drive(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The floor any durable log pays: one file, appends batched while the previous fdatasync runs. */
function rawGroupCommit(handle: FileHandle): { append(record: Buffer): Promise<void>; batches(): number } {
  let queue: { record: Buffer; done: () => void }[] = [];
  let running = false;
  let position = 0;
  let batches = 0;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const bytes = Buffer.concat(batch.map((b) => b.record));
      // Same technique as the store: page-cache write inline, only the fsync on the thread pool.
      writeSync(handle.fd, bytes, 0, bytes.length, position);
      position += bytes.length;
      await handle.datasync();
      batches += 1;
      for (const b of batch) b.done();
    }
    running = false;
  };
  return {
    append: (record) =>
      new Promise<void>((done) => {
        queue.push({ record, done });
        if (!running) {
          running = true;
          void Promise.resolve().then(drain);
        }
      }),
    batches: () => batches,
  };
}

const work = mkdtempSync(join(tmpdir(), 'xborder-bench-ledger-'));
const signer = { keyName: 'bench.example/ledger', privateKey: generateKeyPairSync('ed25519').privateKey };
try {
  // 1. Raw, one write + fdatasync per append (no batching), on a sample: the cost group commit avoids.
  const sample = Math.min(N, 500);
  const single = await open(join(work, 'raw-single'), 'w');
  let position = 0;
  const singleSeconds = await drive(sample, 1, async (i) => {
    const r = records[i] as Buffer;
    await single.write(r, 0, r.length, position);
    position += r.length;
    await single.datasync();
  });
  await single.close();

  // 2 and 3, alternating: raw group commit of the same bytes at the same concurrency; then the ledger (local
  // sequencer: canonical JSON, hashing, `leaves` fsynced per batch, `tree` and `index` written behind it).
  const rawTimes: number[] = [];
  const ledgerTimes: number[] = [];
  let rawBatches = 0;
  let ledgerBatches = '';
  for (let round = 0; round < ROUNDS; round += 1) {
    const batched = await open(join(work, `raw-batched-${round}`), 'w');
    const raw = rawGroupCommit(batched);
    rawTimes.push(await drive(N, CONCURRENCY, (i) => raw.append(records[i] as Buffer)));
    rawBatches = raw.batches();
    await batched.close();

    const ledger: Ledger = await createLedger({
      dir: join(work, `ledger-${round}`),
      signer,
      origin: signer.keyName,
      checkpointEvery: { entries: 1000, seconds: 60 },
      now: () => new Date(),
    });
    ledgerTimes.push(await drive(N, CONCURRENCY, (i) => ledger.append(events[i] as LedgerEvent)));
    ledgerBatches = `${ledger.size()} entries`;
    await ledger.close();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const rawSeconds = median(rawTimes);
  const ledgerSeconds = median(ledgerTimes);

  const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')}/s`;
  console.log(
    `ledger bench: ${N} events (~${(records[0] as Buffer).length} B), ${CONCURRENCY} concurrent appends, median of ${ROUNDS} alternating rounds`,
  );
  console.log(
    `  raw write+fdatasync per append       ${rate(sample, singleSeconds).padStart(12)}  (${sample} appends)`,
  );
  console.log(
    `  raw group commit (same bytes)        ${rate(N, rawSeconds).padStart(12)}  (${rawBatches} fsync batches)`,
  );
  console.log(
    `  ledger.append (group commit)         ${rate(N, ledgerSeconds).padStart(12)}  (${ledgerBatches})`,
  );
  console.log(
    `  ratio ledger / raw group commit      ${(rawSeconds / ledgerSeconds).toFixed(2).padStart(12)}  (target ≥ 0.25)`,
  );
  console.log(
    `  ratio ledger / raw per-append fsync  ${(N / ledgerSeconds / (sample / singleSeconds)).toFixed(2).padStart(12)}`,
  );

  // 4. Optional: three Redis-sequenced instances in this process (one sequences), same events.
  if (WITH_REDIS && (await pingRedis(REDIS_URL))) {
    const prefix = `xborder-bench:{ledger-${randomUUID()}}`;
    const dir = join(work, 'ledger-redis');
    const connections = [0, 1, 2].map(() => createRedis(REDIS_URL));
    const ledgers = await Promise.all(
      connections.map((redis) =>
        createLedger({
          dir,
          signer,
          origin: signer.keyName,
          checkpointEvery: { entries: 1000, seconds: 60 },
          now: () => new Date(),
          sequencer: createRedisSequencer({ dir, redis, prefix }),
        }),
      ),
    );
    const fresh = events.map((e) => ({ ...e, eventId: randomUUID() }));
    const seconds = await drive(N, CONCURRENCY, (i) =>
      (ledgers[i % 3] as Ledger).append(fresh[i] as LedgerEvent),
    );
    console.log(
      `  redis-sequenced, 3 instances         ${rate(N, seconds).padStart(12)}  ratio to raw group commit ${(rawSeconds / seconds).toFixed(2)}`,
    );
    for (const l of ledgers) await l.close();
    const keys = await (connections[0] as ReturnType<typeof createRedis>).keys(`${prefix}*`);
    if (keys.length > 0) await (connections[0] as ReturnType<typeof createRedis>).del(...keys);
    for (const c of connections) c.disconnect();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
