// Chaos: Redis memory after 100,000 finished transfers (XBORDER_CHAOS_MEMORY_TRANSFERS). Finished records leave
// Redis after XBORDER_RETENTION_SECONDS (1 s here) — the ledger keeps their history — so memory must level off
// instead of growing with the number of transfers. The transfers are `blocked` ones (finished at submission:
// the whole intake, classification and ledger path, no delivery), which is what lets 100,000 of them pass in
// minutes; memory is sampled every tenth of the run, and the keys left at the end are counted by kind.
import { expect } from 'chai';
import http from 'node:http';
import { Redis } from 'ioredis';
import { startCluster, type Cluster } from './support/cluster.js';
import { upload } from './support/upload.js';

const total = Number(process.env['XBORDER_CHAOS_MEMORY_TRANSFERS'] ?? 100_000);
const concurrency = 16;

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

  it('levels off: finished records expire from Redis into the ledger', async () => {
    const token = await cluster.token(
      'enterprise',
      'chaos-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const manifest = cluster.exemptManifest({ declaredGrade: 'core' });
    const samples: { done: number; bytes: number; transfers: number }[] = [];
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
            });
          }
        }
      }),
    );
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    // One more sweep interval for the last ones to go.
    await new Promise((resolve) => setTimeout(resolve, 65_000));
    const end = { done, bytes: await usedMemory(redis), transfers: await redis.zcard('xb:transfers') };
    const kinds = await keysByKind(redis);
    console.log(`      ${done} transfers in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s)`);
    for (const s of [...samples, end])
      console.log(
        `      after ${s.done}: used_memory ${(s.bytes / 2 ** 20).toFixed(1)} MiB, ${s.transfers} transfers in Redis`,
      );
    console.log(
      `      keys left: ${Object.entries(kinds)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    // Bounded: the last tenth of the run added no more than a tenth of what the first fifth did (a plateau),
    // and no finished transfer outlives the retention time by more than a sweep.
    expect(end.transfers, 'transfers still in Redis').to.be.below(Math.max(1000, total / 100));
    const first = samples[1]?.bytes ?? 0;
    expect(end.bytes, 'Redis memory after the run vs after a fifth of it').to.be.below(
      first * 1.25 + 8 * 2 ** 20,
    );
  });
});
