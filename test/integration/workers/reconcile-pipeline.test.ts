// The pipeline reconciler on real Redis and real BullMQ queues: a transfer whose record says work is pending
// but which has no job (a crash between writing the record and enqueuing) gets its job again, once; one with
// a job, or too fresh to judge, is left alone.
import { expect } from 'chai';
import { systemClock } from '../../../platform/clock.js';
import { createId } from '../../../platform/ids.js';
import { createLogger } from '../../../platform/logger.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import type { TransferCore } from '../../../registry/transfer.js';
import { createTransferStore, type TransferStore } from '../../../registry/transfer-store.js';
import type { JobProbe, TransferPipeline } from '../../../transfers/queue-contract.js';
import { createJobProbe, createPipeline } from '../../../workers/pipeline.js';
import { createPipelineReconciler, type PipelineReconciler } from '../../../workers/reconcile-pipeline.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

function core(id: string): TransferCore {
  return {
    id,
    exporterId: '91450100MA5KDEM11G',
    submittedBy: 'alice',
    createdAt: new Date().toISOString(),
    manifest: {} as TransferCore['manifest'],
    classification: {
      tier: 'exempt',
      requiredChecks: ['self_assessment', 'attestation'],
    } as unknown as TransferCore['classification'],
    inspection: { bytes: 1, sha256: 'x', findings: {} } as unknown as TransferCore['inspection'],
  };
}

describe('workers/reconcile-pipeline (real Redis, real queues)', () => {
  let server: TestRedis;
  let redis: Redis;
  let queues: Redis;
  let transfers: TransferStore;
  let pipeline: TransferPipeline;
  let probe: JobProbe;
  let reconciler: PipelineReconciler;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    queues = createRedis(server.url, { blocking: true });
    transfers = createTransferStore(redis);
    pipeline = createPipeline(queues, { attempts: 3, backoffMs: 100 });
    probe = createJobProbe(queues);
    reconciler = createPipelineReconciler({
      transfers,
      pipeline,
      probe,
      clock: systemClock,
      logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
      graceMs: 0,
    });
  });
  after(async () => {
    await pipeline.close();
    await probe.close();
    redis.disconnect();
    queues.disconnect();
    await server.stop();
  });
  beforeEach(() => redis.flushall());

  it('enqueues the checks of a `checking` transfer that has none, once', async () => {
    const id = createId(new Date());
    await transfers.create(core(id), 'checking', []);
    expect(await probe.jobState(id, 'checks')).to.equal('missing');
    expect(await reconciler.runOnce()).to.equal(1);
    expect(await probe.jobState(id, 'checks')).to.equal('live');
    expect(await reconciler.runOnce()).to.equal(0);
  });

  it('leaves a `checking` transfer whose jobs exist alone', async () => {
    const id = createId(new Date());
    await transfers.create(core(id), 'checking', []);
    await pipeline.start(id, ['self_assessment', 'attestation']);
    expect(await reconciler.runOnce()).to.equal(0);
  });

  it('enqueues the delivery of a `releasing` transfer whose worker died before enqueuing it, once', async () => {
    const id = createId(new Date());
    await transfers.create(core(id), 'checking', []);
    await transfers.transition(id, ['checking'], 'releasing', new Date(), {
      release: { at: new Date().toISOString(), by: 'rules', ledgerIndex: null },
    });
    expect(await reconciler.runOnce()).to.equal(1);
    const record = await transfers.get(id);
    expect(await probe.jobState(id, 'delivery', Date.parse(record?.statusSince ?? ''))).to.equal('live');
    expect(await reconciler.runOnce()).to.equal(0);
  });

  it('leaves a `releasing` transfer with a delivery job alone', async () => {
    const id = createId(new Date());
    await transfers.create(core(id), 'checking', []);
    await transfers.transition(id, ['checking'], 'releasing', new Date());
    await pipeline.deliver(id, 0);
    expect(await reconciler.runOnce()).to.equal(0);
  });

  it('waits out the grace period before judging a transfer', async () => {
    const patient = createPipelineReconciler({
      transfers,
      pipeline,
      probe,
      clock: systemClock,
      logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
      graceMs: 60_000,
    });
    await transfers.create(core(createId(new Date())), 'checking', []);
    expect(await patient.runOnce()).to.equal(0);
  });
});
