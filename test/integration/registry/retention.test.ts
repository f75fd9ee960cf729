import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFixedClock } from '../../../platform/clock.js';
import { createId } from '../../../platform/ids.js';
import { createLogger } from '../../../platform/logger.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createPayloadStore, storeBuffer, type PayloadStore } from '../../../registry/payload-store.js';
import { createRetentionSweeper } from '../../../registry/retention.js';
import { createTransferStore, type TransferStore } from '../../../registry/transfer-store.js';
import type { TransferCore, TransferStatus } from '../../../registry/transfer.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const day = 86_400_000;
const now = new Date('2026-09-01T00:00:00Z');
const silent = createLogger({ level: 'error', name: 'test', write: () => undefined });

describe('registry/retention (real Redis, real disk)', () => {
  let server: TestRedis;
  let redis: Redis;
  let transfers: TransferStore;
  let payloads: PayloadStore;
  let dir: string;
  let seq = 0;

  /** A transfer created at `createdAt`, moved to `status` at `finishedAt`, with payload `sha256`. */
  async function transfer(
    status: TransferStatus,
    createdAt: Date,
    finishedAt: Date,
    sha256: string,
  ): Promise<string> {
    const id = createId(new Date(createdAt.getTime() + (seq += 1)));
    const core = {
      id,
      exporterId: 'E1',
      submittedBy: 'u',
      createdAt: createdAt.toISOString(),
      manifest: {},
      classification: { tier: 'exempt' },
      inspection: { sha256, bytes: 1, findings: {}, individualsDetected: 0, sensitiveIndividualsDetected: 0 },
    } as unknown as TransferCore;
    await transfers.create(core, 'checking', []);
    if (status !== 'checking') {
      const reasons =
        status === 'held' ? [{ code: 'R-EVID-FILING-MISSING', rule: 'r', message: 'm', messageZh: 'm' }] : [];
      await transfers.transition(id, ['checking'], status, finishedAt, { holdReasons: reasons });
    }
    return id;
  }

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    transfers = createTransferStore(redis);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await redis.flushall();
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-retention-'));
    payloads = createPayloadStore(dir, randomBytes(32));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sweeper = () =>
    createRetentionSweeper({
      redis,
      transfers,
      payloads,
      retentionMs: 30 * day,
      clock: createFixedClock(now),
      logger: silent,
    });

  it('removes finished transfers older than the retention time, with every index entry, and keeps the rest', async () => {
    const { sha256 } = await storeBuffer(payloads, Buffer.from('bytes'));
    const old = new Date(now.getTime() - 40 * day);
    const oldReleased = await transfer('released', old, old, sha256);
    const oldRejected = await transfer('rejected', old, old, sha256);
    const oldBlocked = await transfer('blocked', old, old, sha256);
    const recentlyFinished = await transfer('released', old, new Date(now.getTime() - 5 * day), sha256);
    const oldHeld = await transfer('held', old, old, sha256);
    const oldFailed = await transfer('delivery_failed', old, old, sha256);

    expect(await sweeper().sweepOnce()).to.equal(3);
    for (const id of [oldReleased, oldRejected, oldBlocked])
      expect(await transfers.get(id), id).to.equal(null);
    for (const id of [recentlyFinished, oldHeld, oldFailed])
      expect(await transfers.get(id), id).to.not.equal(null);
    const listed = (await transfers.list({ limit: 100 })).items.map((r) => r.id).sort();
    expect(listed).to.deep.equal([recentlyFinished, oldHeld, oldFailed].sort());
    expect(await redis.zcard('xb:transfers:status:released')).to.equal(1);
    expect(await redis.zcard('xb:transfers:tier:exempt')).to.equal(3);
    expect(await redis.zcard('xb:transfers:exporter:E1')).to.equal(3);
    expect(await redis.zcard('xb:transfers:hold-reason:R-EVID-FILING-MISSING')).to.equal(1);
    // The payload is shared with transfers still in Redis: it stays.
    expect(await payloads.has(sha256)).to.equal(true);
  });

  it('deletes a payload file with the last transfer that references it', async () => {
    const { sha256 } = await storeBuffer(payloads, Buffer.from('shared bytes'));
    const { utimesSync } = await import('node:fs');
    const old = new Date(now.getTime() - 40 * day);
    await transfer('released', old, old, sha256);
    await transfer('released', old, old, sha256);
    const file = path.join(dir, sha256.slice(0, 2), `${sha256}.xbp`);
    utimesSync(file, old, old);
    expect(await sweeper().sweepOnce()).to.equal(2);
    expect(await payloads.has(sha256)).to.equal(false);
  });

  it('steps past transfers created before the cutoff but finished after it', async () => {
    const { sha256 } = await storeBuffer(payloads, Buffer.from('y'));
    const old = new Date(now.getTime() - 40 * day);
    const recent = new Date(now.getTime() - day);
    // More recently finished ones than a batch, all older by id than the ones that must go.
    for (let i = 0; i < 600; i += 1) await transfer('released', old, recent, sha256);
    const gone: string[] = [];
    for (let i = 0; i < 10; i += 1)
      gone.push(await transfer('released', new Date(old.getTime() + day), old, sha256));
    expect(await sweeper().sweepOnce()).to.equal(10);
    for (const id of gone) expect(await transfers.get(id)).to.equal(null);
    expect(await redis.zcard('xb:transfers:status:released')).to.equal(600);
  });

  it('keeps Redis bounded: thousands of finished transfers leave no keys behind', async () => {
    const { sha256 } = await storeBuffer(payloads, Buffer.from('x'));
    const old = new Date(now.getTime() - 40 * day);
    for (let i = 0; i < 1200; i += 1) await transfer('released', old, old, sha256);
    const before = await redis.dbsize();
    // One sweep catches up with everything past the cutoff, however many there are.
    const purged = await sweeper().sweepOnce();
    expect(purged).to.equal(1200);
    expect(before).to.be.greaterThan(1200);
    expect(await redis.dbsize()).to.equal(0);
  });
});
