// Issue #13 item 2 (rules reference §0.1 "Counting is exact at the thresholds"): the yearly count of distinct
// individuals is exact at 10,000 / 100,000 / 1,000,000, reached cumulatively over several real transfers through
// the real classifier and Redis, and resets at 00:00 on 1 January China time. The clock is injected: no test reads
// the real time. Each case cites its article; "以上" includes the number, "不满" excludes it (Civil Code art. 1259).
import { expect } from 'chai';
import type { Clock } from '../../../platform/clock.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import type { InspectionReport } from '../../../inspection/inspector.js';
import { parseManifest, type Manifest } from '../../../policies/manifest.js';
import { createClassifier, type ClassifyService } from '../../../transfers/classify-transfer.js';
import { createRegistryStore } from '../../../registry/registry-store.js';
import { createVolumeStore, type VolumeStore } from '../../../registry/volume-store.js';
import { policy } from '../../unit/policies/fixtures.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const exporterId = '91450100MA5N8KQW3K';

/** Distinct 16-byte person keys (what the inspector delivers: truncated HMAC digests), one per integer. */
function keysFor(from: number, to: number): Buffer[] {
  return Array.from({ length: to - from }, (_, k) => {
    const b = Buffer.alloc(16);
    b.writeUInt32BE(from + k, 0);
    b.writeUInt32BE(0x243f6a88, 4);
    return b;
  });
}

function manifestOf(individuals: number, sensitiveIndividuals: number): Manifest {
  const parsed = parseManifest({
    exporterId,
    businessType: 'cross_border_ecommerce',
    purpose: 'order fulfilment',
    partnerId: 'partner-sg-1',
    endpointId: 'endpoint-sg-1',
    destinationCountry: 'SG',
    dataCategories: ['order_record'],
    declaredGrade: 'general',
    personalInfo: { individuals, sensitiveIndividuals },
    legalBasis: 'contract',
    exemption: null,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

function reportOf(individuals: number, sensitive: number): InspectionReport {
  return {
    bytes: 1,
    findings: {},
    columns: [],
    containers: [],
    opaque: [],
    containsPi: individuals > 0,
    containsSpi: sensitive > 0,
    individualsDetected: individuals,
    sensitiveIndividualsDetected: sensitive,
  };
}

describe('exact yearly counting at the thresholds (real Redis, issue #13 item 2)', function () {
  this.timeout(600_000);
  let server: TestRedis;
  let redis: Redis;
  let volume: VolumeStore;
  let at = new Date('2026-06-01T04:00:00Z');
  const clock: Clock = { now: () => at };
  let classifier: ClassifyService;
  let seq = 0;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await redis.flushall();
    at = new Date('2026-06-01T04:00:00Z');
    volume = createVolumeStore(redis);
    const registry = createRegistryStore(redis);
    await registry.putExporter(exporterId, { name: 'E', ciio: false, ftzArea: null }, at);
    classifier = createClassifier({ registry, volume, policy, clock });
  });

  /** One transfer of the people [from, to) (`sensitive`: all of them with sensitive PI), classified now. */
  async function transfer(from: number, to: number, sensitive = false) {
    const id = `T${++seq}`;
    const people = keysFor(from, to);
    for (let i = 0; i < people.length; i += 50_000) {
      const slice = people.slice(i, i + 50_000);
      await volume.addTransferPeople(id, slice, false);
      if (sensitive) await volume.addTransferPeople(id, slice, true);
    }
    await redis.hset(`xb:transfer:${id}`, 'id', id);
    const n = to - from;
    const s = sensitive ? n : 0;
    const classification = await classifier.classify(manifestOf(n, s), reportOf(n, s), {
      transferId: id,
      detected: { individuals: n, sensitive: s },
    });
    return {
      classification,
      commit: () =>
        volume.commit(exporterId, id, { individuals: n, sensitive: s }, { individuals: n, sensitive: s }, at),
    };
  }

  it('Prov. 2024 art. 5(4) / art. 8: 99,999 people over two transfers (with repeats) → exempt; the 100,000th → SCC', async () => {
    await (await transfer(0, 60_000)).commit();
    // 1,000 repeats of people already counted, 39,999 new: 99,999 distinct (not 100,999, not 99,999 + margin).
    const second = await transfer(59_000, 99_999);
    expect(second.classification.volume.individualsYtd).to.equal(99_999);
    expect(second.classification.reasons[0]?.code).to.equal('R-EX-ART5-4');
    await second.commit();
    expect((await volume.yearToDate(exporterId, at)).individuals).to.equal(99_999);
    const third = await transfer(99_999, 100_000);
    expect(third.classification.volume.individualsYtd).to.equal(100_000);
    expect(third.classification.tier).to.equal('standard_contract');
    expect(third.classification.reasons[0]?.code).to.equal('R-SCC-PI100K');
  });

  it('Prov. 2024 arts. 7(2), 8: 9,999 people with sensitive PI → SCC; the 10,000th → security assessment', async () => {
    await (await transfer(0, 5_000, true)).commit();
    const second = await transfer(4_000, 9_999, true);
    expect(second.classification.volume.sensitiveYtd).to.equal(9_999);
    expect(second.classification.reasons[0]?.code).to.equal('R-SCC-SPI');
    await second.commit();
    const third = await transfer(9_999, 10_000, true);
    expect(third.classification.volume.sensitiveYtd).to.equal(10_000);
    expect(third.classification.reasons[0]?.code).to.equal('R-SA-SPI10K');
  });

  it('Prov. 2024 art. 7(2): 999,999 people over four transfers → SCC; the 1,000,000th → security assessment; then never below', async () => {
    await (await transfer(0, 300_000)).commit();
    await (await transfer(250_000, 600_000)).commit();
    await (await transfer(600_000, 900_000)).commit();
    const fourth = await transfer(850_000, 999_999);
    expect(fourth.classification.volume.individualsYtd).to.equal(999_999);
    expect(fourth.classification.reasons[0]?.code).to.equal('R-SCC-PI100K');
    await fourth.commit();
    const fifth = await transfer(999_999, 1_000_000);
    expect(fifth.classification.volume.individualsYtd).to.equal(1_000_000);
    expect(fifth.classification.reasons[0]?.code).to.equal('R-SA-PI1M');
    await fifth.commit();
    expect((await volume.yearToDate(exporterId, at)).individuals).to.equal(1_000_000);
    // Past the top threshold the exact SET is dropped for an estimate that never goes below the exact floor.
    await (await transfer(1_000_000, 1_000_002)).commit();
    expect(await redis.exists('xb:volume:91450100MA5N8KQW3K:2026:set')).to.equal(0);
    expect((await volume.yearToDate(exporterId, at)).individuals).to.be.at.least(1_000_002);
    const after = await transfer(0, 10);
    expect(after.classification.reasons[0]?.code).to.equal('R-SA-PI1M');
  });

  it('Prov. 2024 arts. 5(4), 7, 8 ("counting from 1 January"): the year resets at 00:00 on 1 January China time', async () => {
    at = new Date('2026-12-31T15:59:59Z'); // 23:59:59 on 31 December in Shanghai
    await (await transfer(0, 100_000)).commit();
    expect((await transfer(100_000, 100_010)).classification.reasons[0]?.code).to.equal('R-SCC-PI100K');
    at = new Date('2026-12-31T16:00:00Z'); // 00:00 on 1 January 2027 in Shanghai (still 31 December in UTC)
    const fresh = await transfer(0, 10);
    expect(fresh.classification.volume.individualsYtd).to.equal(10);
    expect(fresh.classification.reasons[0]?.code).to.equal('R-EX-ART5-4');
    expect((await volume.yearToDate(exporterId, at)).individuals).to.equal(0);
    at = new Date('2026-12-31T15:59:59Z');
    expect((await volume.yearToDate(exporterId, at)).individuals).to.equal(100_000);
  });

  it('Prov. 2024 art. 8: people declared but not in the bytes are counted on top, exactly (never under-count)', async () => {
    const id = 'TD';
    await volume.addTransferPeople(id, keysFor(0, 10), false);
    await redis.hset(`xb:transfer:${id}`, 'id', id);
    const c = await classifier.classify(manifestOf(100_000, 0), reportOf(10, 0), {
      transferId: id,
      detected: { individuals: 10, sensitive: 0 },
    });
    expect(c.volume.individualsYtd).to.equal(100_000);
    expect(c.reasons[0]?.code).to.equal('R-SCC-PI100K');
  });
});
