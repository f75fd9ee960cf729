import { expect } from 'chai';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createTransferStore, type TransferStore } from '../../../registry/transfer-store.js';
import { decideReview } from '../../../transfers/decide-review.js';
import type { TransferCore } from '../../../registry/transfer.js';
import { createId } from '../../../platform/ids.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

function core(id: string, exporterId: string, submittedBy = 'alice'): TransferCore {
  return {
    id,
    exporterId,
    submittedBy,
    createdAt: new Date().toISOString(),
    manifest: {} as TransferCore['manifest'],
    classification: { tier: 'manual_review' } as TransferCore['classification'],
    inspection: {
      bytes: 1,
      sha256: 'x',
      findings: {},
      individualsDetected: 0,
      sensitiveIndividualsDetected: 0,
    } as unknown as TransferCore['inspection'],
  };
}

describe('registry/transfer-store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: TransferStore;
  let t = Date.parse('2026-03-01T00:00:00Z');
  const nextId = () => createId(new Date((t += 1000)));

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

  it('moves a transfer between statuses only from an allowed status, keeping the status indexes in step', async () => {
    const id = nextId();
    await store.create(core(id, 'E1'), 'checking', []);
    const now = new Date();
    expect(await store.transition(id, ['held'], 'releasing', now)).to.deep.equal({
      ok: false,
      current: 'checking',
    });
    expect(
      await store.transition(id, ['checking'], 'held', now, {
        holdReasons: [{ code: 'R-X', rule: 'r', message: 'm', messageZh: 'm' }],
      }),
    ).to.deep.equal({ ok: true, from: 'checking' });
    expect(await store.countByStatus('checking')).to.equal(0);
    expect(await store.countByStatus('held')).to.equal(1);
    const record = await store.get(id);
    expect(record?.status).to.equal('held');
    expect(record?.holdReasons.map((r) => r.code)).to.deep.equal(['R-X']);
  });

  it('records a delivery attempt in the same write as the status change, and none when the move is refused', async () => {
    const id = nextId();
    await store.create(core(id, 'E1'), 'releasing', []);
    const attempt = {
      attempt: 1,
      at: new Date().toISOString(),
      outcome: 'evidence_failed',
      detail: 'R-X',
    } as const;
    expect(
      await store.transition(id, ['checking'], 'held', new Date(), { holdReasons: [], attempt }),
    ).to.deep.equal({ ok: false, current: 'releasing' });
    expect((await store.get(id))?.deliveryAttempts).to.deep.equal([]);
    expect(
      await store.transition(id, ['releasing'], 'held', new Date(), {
        holdReasons: [{ code: 'R-X', rule: 'r', message: 'm', messageZh: 'm' }],
        attempt,
      }),
    ).to.deep.equal({ ok: true, from: 'releasing' });
    const record = await store.get(id);
    expect(record?.status).to.equal('held');
    expect(record?.deliveryAttempts).to.deep.equal([attempt]);
  });

  it("reads a look-alike id (`<id>:people`) as a missing record, never as the transfer's person counters", async () => {
    const id = nextId();
    await store.create(core(id, 'E1'), 'checking', []);
    await redis.pfadd(`xb:transfer-people:${id}`, 'a', 'b');
    // What an older intake left for a transfer in flight across the upgrade (registry/keys.ts).
    await redis.pfadd(`xb:transfer:${id}:people-s`, 'a');
    for (const lookAlike of [`${id}:people`, `${id}:people-s`, `${id}*`, `${id.slice(0, 25)}?`]) {
      expect(await store.get(lookAlike), lookAlike).to.equal(null);
      expect(await store.getOwned(lookAlike, 'E1'), lookAlike).to.equal(null);
      expect(
        (
          await decideReview(
            store,
            lookAlike,
            { reviewer: 'r', decision: 'reject', comment: 'c', at: 'now' },
            2,
          )
        ).ok,
      ).to.equal(false);
    }
    // Purging removes the counters under both names with the record.
    await store.transition(id, ['checking'], 'released', new Date());
    expect(await store.purge(id, ['released'])).to.equal('x');
    expect(await redis.exists(`xb:transfer-people:${id}`, `xb:transfer:${id}:people-s`)).to.equal(0);
  });

  it("reads a transfer for its own exporter only: another exporter's id is null, like an unknown one", async () => {
    const id = nextId();
    await store.create(core(id, 'E1'), 'checking', []);
    expect((await store.getOwned(id, 'E1'))?.id).to.equal(id);
    expect(await store.getOwned(id, 'E2')).to.equal(null);
    expect(await store.getOwned(nextId(), 'E1')).to.equal(null);
  });

  it('reports a missing transfer as not found rather than transitioning it', async () => {
    expect(await store.transition('NOPE', ['checking'], 'held', new Date())).to.deep.equal({
      ok: false,
      current: null,
    });
  });

  describe('four-eyes decisions', () => {
    it('needs two different reviewers to release; the same reviewer twice counts once', async () => {
      const id = nextId();
      await store.create(core(id, 'E1'), 'held', []);
      const at = new Date().toISOString();
      expect(
        await decideReview(store, id, { reviewer: 'r1', decision: 'approve', comment: 'ok', at }, 2),
      ).to.deep.equal({ ok: true, status: 'held' });
      expect(
        await decideReview(store, id, { reviewer: 'r1', decision: 'approve', comment: 'again', at }, 2),
      ).to.deep.equal({ ok: true, status: 'held' });
      expect((await store.get(id))?.approvals).to.deep.equal(['r1']);
      expect(
        await decideReview(store, id, { reviewer: 'r2', decision: 'approve', comment: 'ok', at }, 2),
      ).to.deep.equal({ ok: true, status: 'releasing' });
      const record = await store.get(id);
      expect(record?.approvals).to.deep.equal(['r1', 'r2']);
      expect(record?.release?.by).to.equal('review');
      expect(await store.countByStatus('releasing')).to.equal(1);
    });

    it('ends a transfer as rejected on one rejection', async () => {
      const id = nextId();
      await store.create(core(id, 'E1'), 'held', []);
      expect(
        await decideReview(store, id, { reviewer: 'r1', decision: 'reject', comment: 'no', at: 'now' }, 2),
      ).to.deep.equal({ ok: true, status: 'rejected' });
      expect(
        await decideReview(store, id, { reviewer: 'r2', decision: 'approve', comment: 'late', at: 'now' }, 2),
      ).to.deep.equal({ ok: false, reason: 'not_held', current: 'rejected' });
    });

    it('refuses a reviewer deciding a transfer they submitted', async () => {
      const id = nextId();
      await store.create(core(id, 'E1', 'bob'), 'held', []);
      expect(
        await decideReview(
          store,
          id,
          { reviewer: 'bob', decision: 'approve', comment: 'mine', at: 'now' },
          2,
        ),
      ).to.deep.equal({ ok: false, reason: 'own_transfer' });
    });
  });

  it('lists newest first with cursor paging, filtered by exporter and status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const id = nextId();
      ids.push(id);
      await store.create(core(id, i % 2 === 0 ? 'E1' : 'E2'), i < 4 ? 'checking' : 'held', []);
    }
    const first = await store.list({ limit: 3 });
    expect(first.items.map((r) => r.id)).to.deep.equal([ids[6], ids[5], ids[4]]);
    const second = await store.list({ limit: 3, cursor: first.nextCursor ?? '' });
    expect(second.items.map((r) => r.id)).to.deep.equal([ids[3], ids[2], ids[1]]);
    const e1Held = await store.list({ limit: 10, exporterId: 'E1', status: 'held' });
    expect(e1Held.items.map((r) => r.id)).to.deep.equal([ids[6], ids[4]]);
    const held = await store.list({ limit: 10, status: 'held' });
    expect(held.items.map((r) => r.id)).to.deep.equal([ids[6], ids[5], ids[4]]);
  });

  it('appends delivery attempts in order', async () => {
    const id = nextId();
    await store.create(core(id, 'E1'), 'releasing', []);
    await store.appendAttempt(id, { attempt: 1, at: 'a', outcome: 'failed', detail: 'down' });
    expect(
      await store.appendAttempt(id, { attempt: 2, at: 'b', outcome: 'delivered', detail: 'ok' }),
    ).to.equal(2);
    expect((await store.get(id))?.deliveryAttempts.map((a) => a.outcome)).to.deep.equal([
      'failed',
      'delivered',
    ]);
  });
});
