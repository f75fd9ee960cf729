// bench/volume-memory: Redis memory per million people of the exact yearly count (registry/volume-store: a SET of
// 16-byte person keys per exporter-year, kept until the top threshold of 1,000,000 is passed), and the time of one
// 1,000,000-person transfer's projection and commit. Run: npx tsx bench/volume-memory.ts [PEOPLE]. Starts its own
// redis-server; prints; asserts nothing.
import { createRedis } from '../platform/redis.js';
import { createVolumeStore, shanghaiYear } from '../registry/volume-store.js';
import { startRedisServer } from '../test/support/redis-server.js';

const people = Number(process.argv[2] ?? 1_000_000);
const server = await startRedisServer();
const redis = createRedis(server.url);
try {
  const volume = createVolumeStore(redis);
  const now = new Date('2026-06-01T04:00:00Z');
  // Distinct 16-byte keys, like the truncated HMAC-SHA256 digests the inspector delivers.
  const keyOf = (i: number) => {
    const b = Buffer.alloc(16);
    b.writeUInt32BE(i, 0);
    b.writeUInt32BE(0x9e3779b9, 4);
    b.writeUInt32BE(i ^ 0x5bd1e995, 8);
    return b;
  };
  let t = performance.now();
  for (let i = 0; i < people; i += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, people - i) }, (_, k) => keyOf(i + k));
    await volume.addTransferPeople('BENCH', batch, false);
  }
  const addMs = performance.now() - t;
  await redis.hset('xb:transfer:BENCH', 'id', 'BENCH');
  const none = { individuals: 0, sensitive: 0 };
  t = performance.now();
  const projected = await volume.projectTotal('E', 'BENCH', none, none, now);
  const projectMs = performance.now() - t;
  t = performance.now();
  await volume.commit('E', 'BENCH', none, none, now);
  const commitMs = performance.now() - t;
  const year = shanghaiYear(now);
  const usage = async (key: string) => Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  const setBytes = await usage(`xb:volume:E:${year}:set`);
  const hllBytes = await usage(`xb:volume:E:${year}:people`);
  const transferBytes = await usage('xb:transfer:BENCH:people');
  const perMillion = (bytes: number) => ((bytes / people) * 1_000_000) / 2 ** 20;
  console.log(
    `people: ${people.toLocaleString('en')} (projected ${projected.individuals.toLocaleString('en')})`,
  );
  console.log(
    `year SET:     ${(setBytes / 2 ** 20).toFixed(1)} MiB  → ${perMillion(setBytes).toFixed(1)} MiB per million people`,
  );
  console.log(`year HLL:     ${(hllBytes / 1024).toFixed(1)} KiB (fixed)`);
  console.log(
    `transfer SET: ${(transferBytes / 2 ** 20).toFixed(1)} MiB (until retention deletes the transfer)`,
  );
  console.log(
    `add ${addMs.toFixed(0)} ms · project ${projectMs.toFixed(0)} ms · commit ${commitMs.toFixed(0)} ms`,
  );
} finally {
  redis.disconnect();
  await server.stop();
}
