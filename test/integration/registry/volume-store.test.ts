import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createVolumeStore, shanghaiYear, type VolumeStore } from '../../../registry/volume-store.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const personKey = (n: number) => createHmac('sha256', 'test-key').update(`person-${n}`).digest();
const people = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => personKey(from + i));

describe('registry/volume-store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let volume: VolumeStore;
  const now = new Date('2026-06-01T00:00:00Z');

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    volume = createVolumeStore(redis);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(() => redis.flushall());

  it('counts the calendar year in Asia/Shanghai: 31 Dec 16:00 UTC is already the new year', () => {
    expect(shanghaiYear(new Date('2026-12-31T15:59:59Z'))).to.equal(2026);
    expect(shanghaiYear(new Date('2026-12-31T16:00:00Z'))).to.equal(2027);
  });

  it('counts the same person sent twice once (people, not records)', async () => {
    await volume.addTransferPeople('T1', people(0, 500), false);
    await volume.commit(
      'E1',
      'T1',
      { individuals: 0, sensitive: 0 },
      { individuals: 500, sensitive: 0 },
      now,
    );
    await volume.addTransferPeople('T2', people(0, 500), false);
    const projected = await volume.projectTotal(
      'E1',
      'T2',
      { individuals: 0, sensitive: 0 },
      { individuals: 500, sensitive: 0 },
      now,
    );
    expect(projected.individuals).to.be.at.least(500).and.at.most(530);
  });

  it('adds people declared but not detectable in the bytes as a surplus', async () => {
    await volume.addTransferPeople('T1', people(0, 10), false);
    const projected = await volume.projectTotal(
      'E1',
      'T1',
      { individuals: 120_000, sensitive: 0 },
      { individuals: 10, sensitive: 0 },
      now,
    );
    expect(projected.individuals).to.be.at.least(120_000).and.at.most(120_001);
    await volume.commit(
      'E1',
      'T1',
      { individuals: 120_000, sensitive: 0 },
      { individuals: 10, sensitive: 0 },
      now,
    );
    expect((await volume.yearToDate('E1', now)).individuals).to.be.at.least(120_000);
  });

  it('commits a transfer once even when delivery runs twice', async () => {
    await redis.hset('xb:transfer:T1', 'id', 'T1');
    expect(
      await volume.commit(
        'E1',
        'T1',
        { individuals: 50, sensitive: 5 },
        { individuals: 0, sensitive: 0 },
        now,
      ),
    ).to.equal(true);
    expect(
      await volume.commit(
        'E1',
        'T1',
        { individuals: 50, sensitive: 5 },
        { individuals: 0, sensitive: 0 },
        now,
      ),
    ).to.equal(false);
    expect(await volume.yearToDate('E1', now)).to.deep.equal({ individuals: 50, sensitive: 5 });
  });

  it("keeps a transfer's people apart from its record, and still counts those kept under the pre-#12 names", async () => {
    const id = '01JDZ3V7Q8M2K4N6P8R0S2T4V6';
    await redis.hset(`xb:transfer:${id}`, 'id', id);
    await volume.addTransferPeople(id, people(0, 100), true);
    expect(await redis.exists(`xb:transfer-people-s:${id}`)).to.equal(1);
    expect(await redis.keys(`xb:transfer:${id}*`)).to.deep.equal([`xb:transfer:${id}`]);
    // A transfer in flight across the upgrade: an older intake wrote its people (HLLs) inside the record's
    // namespace, and nothing under the new names.
    const old = '01JDZ3V7Q8M2K4N6P8R0S2T4V7';
    await redis.hset(`xb:transfer:${old}`, 'id', old);
    await redis.pfadd(`xb:transfer:${old}:people`, ...people(100, 300));
    await redis.pfadd(`xb:transfer:${old}:people-s`, ...people(100, 300));
    const none = { individuals: 0, sensitive: 0 };
    const projected = await volume.projectTotal('E1', old, none, none, now);
    expect(projected.sensitive).to.be.at.least(200);
    expect(projected.individuals).to.be.at.least(200);
    await volume.commit('E1', old, none, none, now);
    expect((await volume.yearToDate('E1', now)).sensitive).to.be.at.least(200);
  });

  // Regulation thresholds (Provisions 2024 arts. 7, 8): a count just under a threshold may be over-estimated
  // (the stricter tier: safe), but a count at the threshold must never be reported under it.
  const thresholds: [number, boolean][] = [
    [10_000, true],
    [100_000, false],
    [1_000_000, false],
  ];
  for (const [threshold, sensitive] of thresholds) {
    it(`never under-counts at the ${threshold.toLocaleString('en')} threshold with the HLL margin`, async function () {
      this.timeout(60_000);
      for (let start = 0; start < threshold; start += 5000) {
        await volume.addTransferPeople('T1', people(start, Math.min(threshold, start + 5000)), sensitive);
      }
      await redis.hset('xb:transfer:T1', 'id', 'T1');
      const none = { individuals: 0, sensitive: 0 };
      const projected = await volume.projectTotal('E1', 'T1', none, none, now);
      expect(sensitive ? projected.sensitive : projected.individuals).to.be.at.least(threshold);
      // Once committed, the exporter's year shows at least the true count too.
      await volume.commit('E1', 'T1', none, none, now);
      const ytd = await volume.yearToDate('E1', now);
      expect(sensitive ? ytd.sensitive : ytd.individuals).to.be.at.least(threshold);
    });
  }
});
