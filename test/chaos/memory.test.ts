// Chaos: Redis memory after 100,000 finished transfers (XBORDER_CHAOS_MEMORY_TRANSFERS). Finished records leave
// Redis after XBORDER_RETENTION_SECONDS (1 s here) — the ledger keeps their history — so memory must level off
// instead of growing with the number of transfers. The transfers are `blocked` ones (finished at submission:
// the whole intake, classification and ledger path, no delivery), which is what lets 100,000 of them pass in
// minutes; memory is sampled every tenth of the run, and the keys left at the end are counted by kind.
// What the test shows: during the run memory follows the rate, not the count — the records of the last sweep
// interval (retention sweeps every 15 s) and the ledger's done keys of the last two minutes (three events per
// blocked transfer, ids the ledger made up) — and once those windows have passed Redis is back where it
// started: the same few dozen keys, used_memory within a few hundred KiB. The assertion is that end state, so
// one key left per transfer fails it at any size. Released transfers add two done keys each (the workers'
// `<transfer>:released:<release time>` and `:receipt`, which a retried job repeats) kept for the ledger's retry window, about
// a day: a bound set by the rate too, which this test does not exercise.
import { expect } from 'chai';
import http from 'node:http';
import { Redis } from 'ioredis';
import { startCluster, type Cluster } from './support/cluster.js';
import { upload } from './support/upload.js';

const total = Number(process.env['XBORDER_CHAOS_MEMORY_TRANSFERS'] ?? 100_000);
const concurrency = 16;
/**
 * What a run may leave whatever its size: the queues' and the ledger's bookkeeping keys (a handful), and
 * allocator and client-buffer noise (0.2 MiB in a 20,000 run). One key left per transfer exceeds the first.
 */
const keySlack = 100;
const byteSlack = 4 * 2 ** 20;

/** Keys by kind: the id-like parts of a key replaced, so "xb:transfer:01J…" counts as "xb:transfer:*". */
async function keysByKind(redis: Redis): Promise<Record<string, number>> {
  const kinds: Record<string, number> = {};
  let cursor = '0';
  // Bounded: at most 10,000 SCAN rounds.
  for (let round = 0; round < 10_000; round += 1) {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    for (const key of keys) {
      const kind = key
        .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '*')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '*')
        .replace(/[0-9a-f]{64}/g, '*');
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return kinds;
}

async function usedMemory(redis: Redis): Promise<number> {
  const match = /^used_memory:(\d+)/m.exec(await redis.info('memory'));
  return Number(match?.[1] ?? 0);
}

describe(`chaos: Redis memory after ${total.toLocaleString('en-US')} finished transfers`, function () {
  this.timeout(3_600_000);
  let cluster: Cluster;
  let redis: Redis;

  before(async () => {
    cluster = await startCluster({ skip: ['receiver'], env: { XBORDER_RETENTION_SECONDS: '1' } });
    redis = new Redis(cluster.redis.url);
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
  });

  it('levels off: once the retention and ledger windows pass, Redis holds what it held before', async () => {
    const token = await cluster.token(
      'enterprise',
      'chaos-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const manifest = cluster.exemptManifest({ declaredGrade: 'core' });
    const base = { bytes: await usedMemory(redis), keys: await redis.dbsize() };
    const samples: { done: number; bytes: number; transfers: number; keys: number }[] = [];
    let issued = 0;
    let done = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued < total) {
          issued += 1;
          const answer = await upload({
            url: `${cluster.gatewayUrl}/v1/transfers`,
            token,
            manifest,
            payload: Buffer.from(`plan,${issued}\n`),
            agent,
          });
          if (answer.status !== 202) throw new Error(`submit answered ${answer.status}: ${answer.text}`);
          done += 1;
          if (done % Math.max(1, Math.floor(total / 10)) === 0) {
            samples.push({
              done,
              bytes: await usedMemory(redis),
              transfers: await redis.zcard('xb:transfers'),
              keys: await redis.dbsize(),
            });
          }
        }
      }),
    );
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    // Until what only lives for a while is gone: records past the retention time (1 s) at the next sweep (15 s),
    // the ledger's done keys of ids it made up after twice its 60 s append timeout. Bounded at twice that.
    const settleBy = Date.now() + 5 * 60_000;
    let transfersLeft = await redis.zcard('xb:transfers');
    while (Date.now() < settleBy && (transfersLeft > 0 || (await redis.dbsize()) > base.keys + keySlack)) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      transfersLeft = await redis.zcard('xb:transfers');
    }
    const end = {
      done,
      bytes: await usedMemory(redis),
      transfers: transfersLeft,
      keys: await redis.dbsize(),
    };
    const kinds = await keysByKind(redis);
    console.log(`      ${done} transfers in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s)`);
    console.log(`      before: used_memory ${(base.bytes / 2 ** 20).toFixed(1)} MiB, ${base.keys} keys`);
    for (const s of [...samples, end])
      console.log(
        `      after ${s.done}: used_memory ${(s.bytes / 2 ** 20).toFixed(1)} MiB, ${s.transfers} transfers and ${s.keys} keys in Redis`,
      );
    console.log(
      `      keys left (${end.keys}): ${Object.entries(kinds)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    // Bounded: once the windows have passed, Redis holds what it held before the run, give or take bounds
    // that do not grow with the number of transfers. During the run memory follows the rate instead (the
    // records of the last sweep interval, the done keys of the last two minutes): the samples above.
    expect(end.transfers, 'transfers still in Redis').to.equal(0);
    expect(end.keys - base.keys, 'keys added by the run').to.be.at.most(keySlack);
    expect(end.bytes - base.bytes, 'Redis memory added by the run').to.be.below(byteSlack);
  });
});
