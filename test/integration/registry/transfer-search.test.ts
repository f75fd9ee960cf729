// Search over the transfer indexes (tier, hold reason, status, exporter, date range, oldest first) on a real
// Redis, and the transition script keeping the hold-reason index in step with the record.
import { expect } from 'chai';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createTransferStore, type TransferStore } from '../../../registry/transfer-store.js';
import { decideReview } from '../../../transfers/decide-review.js';
import type { TransferCore } from '../../../registry/transfer.js';
import type { Reason, Tier } from '../../../policies/classification.js';
import { createId } from '../../../platform/ids.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const start = Date.parse('2026-03-01T00:00:00Z');
const reason = (code: string): Reason => ({ code, rule: 'r', message: 'm', messageZh: 'm' });

function core(id: string, exporterId: string, tier: Tier, at: number): TransferCore {
  return {
    id,
    exporterId,
    submittedBy: 'alice',
    createdAt: new Date(at).toISOString(),
    manifest: {} as TransferCore['manifest'],
    classification: { tier } as TransferCore['classification'],
    inspection: {} as TransferCore['inspection'],
  };
}

describe('registry/transfer-store search (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: TransferStore;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    store = createTransferStore(redis);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(() => redis.flushall());

  /** One transfer per hour from `start`; returns ids in submission order. */
  async function seed(
    rows: { exporter: string; tier: Tier; status: 'held' | 'checking'; reasons?: string[] }[],
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, row] of rows.entries()) {
      const at = start + i * 3_600_000;
      const id = createId(new Date(at));
      await store.create(core(id, row.exporter, row.tier, at), row.status, (row.reasons ?? []).map(reason));
      ids.push(id);
    }
    return ids;
  }

  it('filters by tier, hold reason, status and exporter together, served from the indexes', async () => {
    const ids = await seed([
      { exporter: 'E1', tier: 'manual_review', status: 'held', reasons: ['R-HOLD-A'] },
      { exporter: 'E1', tier: 'standard_contract', status: 'checking' },
      { exporter: 'E2', tier: 'manual_review', status: 'held', reasons: ['R-HOLD-A', 'R-HOLD-B'] },
      { exporter: 'E1', tier: 'manual_review', status: 'held', reasons: ['R-HOLD-B'] },
    ]);
    const list = async (q: Parameters<TransferStore['list']>[0]) =>
      (await store.list(q)).items.map((r) => r.id);
    expect(await list({ limit: 10, tier: 'manual_review' })).to.deep.equal([ids[3], ids[2], ids[0]]);
    expect(await list({ limit: 10, holdReason: 'R-HOLD-A' })).to.deep.equal([ids[2], ids[0]]);
    expect(await list({ limit: 10, holdReason: 'R-HOLD-B', exporterId: 'E1' })).to.deep.equal([ids[3]]);
    expect(await list({ limit: 10, status: 'checking', tier: 'standard_contract' })).to.deep.equal([ids[1]]);
    expect(await list({ limit: 10, status: 'held', tier: 'standard_contract' })).to.deep.equal([]);
  });

  it('serves the oldest first and pages with a cursor in that direction', async () => {
    const ids = await seed(
      Array.from({ length: 5 }, () => ({
        exporter: 'E1',
        tier: 'manual_review' as const,
        status: 'held' as const,
      })),
    );
    const first = await store.list({ limit: 2, status: 'held', order: 'oldest' });
    expect(first.items.map((r) => r.id)).to.deep.equal([ids[0], ids[1]]);
    expect(first.nextCursor).to.equal(ids[1]);
    const second = await store.list({ limit: 2, status: 'held', order: 'oldest', cursor: ids[1] as string });
    expect(second.items.map((r) => r.id)).to.deep.equal([ids[2], ids[3]]);
    const last = await store.list({ limit: 2, status: 'held', order: 'oldest', cursor: ids[3] as string });
    expect(last.items.map((r) => r.id)).to.deep.equal([ids[4]]);
    expect(last.nextCursor).to.equal(null);
  });

  it('maps a date range to an id range: from inclusive, to exclusive', async () => {
    const ids = await seed(
      Array.from({ length: 4 }, () => ({
        exporter: 'E1',
        tier: 'exempt' as const,
        status: 'checking' as const,
      })),
    );
    const page = await store.list({
      limit: 10,
      from: new Date(start + 3_600_000),
      to: new Date(start + 3 * 3_600_000),
    });
    expect(page.items.map((r) => r.id)).to.deep.equal([ids[2], ids[1]]);
    const withTier = await store.list({ limit: 10, tier: 'exempt', from: new Date(start + 3 * 3_600_000) });
    expect(withTier.items.map((r) => r.id)).to.deep.equal([ids[3]]);
  });

  it('finds one transfer by exact id only when it also meets the filters', async () => {
    const [id] = await seed([
      { exporter: 'E1', tier: 'manual_review', status: 'held', reasons: ['R-HOLD-A'] },
    ]);
    expect((await store.find(id as string, {}))?.id).to.equal(id);
    expect((await store.find(id as string, { exporterId: 'E1', holdReason: 'R-HOLD-A' }))?.id).to.equal(id);
    expect(await store.find(id as string, { exporterId: 'E2' })).to.equal(null);
    expect(await store.find(id as string, { tier: 'exempt' })).to.equal(null);
    expect(await store.find('01ZZZZZZZZZZZZZZZZZZZZZZZZ', {})).to.equal(null);
  });

  it('keeps the hold-reason index in step with transitions that replace or clear the hold reasons', async () => {
    const [id] = await seed([{ exporter: 'E1', tier: 'standard_contract', status: 'checking' }]);
    const at = (code: string) => store.list({ limit: 10, holdReason: code });
    await store.transition(id as string, ['checking'], 'held', new Date(), {
      holdReasons: [reason('R-EVID-FILING-EXPIRED'), reason('R-EVID-PIPIA-MISSING')],
    });
    expect((await at('R-EVID-FILING-EXPIRED')).items).to.have.length(1);
    expect((await at('R-EVID-PIPIA-MISSING')).items).to.have.length(1);
    // A transition that does not name hold reasons leaves them (and the index) as they are.
    await store.transition(id as string, ['held'], 'releasing', new Date());
    expect((await at('R-EVID-PIPIA-MISSING')).items).to.have.length(1);
    await store.transition(id as string, ['releasing'], 'delivery_failed', new Date(), {
      holdReasons: [reason('R-DELIVERY-FAILED')],
    });
    expect((await at('R-EVID-FILING-EXPIRED')).items).to.have.length(0);
    expect((await at('R-DELIVERY-FAILED')).items.map((r) => r.id)).to.deep.equal([id]);
    await store.transition(id as string, ['delivery_failed'], 'releasing', new Date(), { holdReasons: [] });
    expect((await at('R-DELIVERY-FAILED')).items).to.have.length(0);
    expect((await store.get(id as string))?.holdReasons).to.deep.equal([]);
  });

  it('records since when a transfer is in its status, for the waiting time of the held queue', async () => {
    const [id] = await seed([{ exporter: 'E1', tier: 'standard_contract', status: 'checking' }]);
    expect((await store.get(id as string))?.statusSince).to.equal(new Date(start).toISOString());
    const heldAt = new Date('2026-03-02T10:00:00Z');
    await store.transition(id as string, ['checking'], 'held', heldAt, { holdReasons: [reason('R-X')] });
    await decideReview(
      store,
      id as string,
      { reviewer: 'r1', decision: 'approve', comment: 'ok', at: '2026-03-03T00:00:00.000Z' },
      2,
    );
    const record = await store.get(id as string);
    expect(record?.statusSince).to.equal(heldAt.toISOString());
    expect(record?.updatedAt).to.equal('2026-03-03T00:00:00.000Z');
  });

  it('answers a partial page with a cursor when a sparse filter reaches the scan bound', async () => {
    // 6000 non-matching ids newer than the one match: more than one request may look at (25 × 200).
    const multi = redis.multi();
    for (let i = 0; i < 6000; i += 1) {
      const id = createId(new Date(start + 10_000_000 + i));
      multi.zadd('xb:transfers:exporter:E1', 0, id);
    }
    await multi.exec();
    const [match] = await seed([{ exporter: 'E1', tier: 'manual_review', status: 'held' }]);
    const held = redis.multi();
    for (let i = 0; i < 6000; i += 1)
      held.zadd('xb:transfers:status:held', 0, createId(new Date(start + 20_000_000 + i)));
    await held.exec();
    const page = await store.list({ limit: 5, exporterId: 'E1', status: 'held' });
    expect(page.items.length).to.be.below(5);
    expect(page.nextCursor).to.be.a('string');
    let items = page.items.map((r) => r.id);
    let cursor = page.nextCursor;
    while (cursor !== null) {
      const next = await store.list({ limit: 5, exporterId: 'E1', status: 'held', cursor });
      items = [...items, ...next.items.map((r) => r.id)];
      cursor = next.nextCursor;
    }
    expect(items).to.deep.equal([match]);
  });
});
