// The notification sweeper and the transfer-event wrapper on real Redis: a transition raises its event once;
// an intent left by a crash between a transition and its event is raised by the sweeper, once; a held transfer
// past the SLA raises one review.overdue however many sweeps run; a filing raises filing.expiring once per
// window, and again when renewed into a new window. The notifier here records what it is asked to raise.
import { expect } from 'chai';
import type { Clock } from '../../../platform/clock.js';
import { createId } from '../../../platform/ids.js';
import { createLogger } from '../../../platform/logger.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createRegistryStore, type RegistryStore } from '../../../registry/registry-store.js';
import type { TransferCore } from '../../../registry/transfer.js';
import { createTransferStore, type TransferStore } from '../../../registry/transfer-store.js';
import { buildTransferEvent, type WebhookEvent } from '../../../registry/webhook-event.js';
import { createWebhookStore, type WebhookStore } from '../../../registry/webhook-store.js';
import { createNotifySweeper } from '../../../workers/notify-sweeper.js';
import { withTransferEvents } from '../../../workers/transfer-events.js';
import { chinaDate } from '../../support/china-time.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const exporter = '91450100MA5KDEM11G';
const logger = createLogger({ level: 'error', name: 'test', write: () => undefined });

function core(id: string, at: Date): TransferCore {
  return {
    id,
    exporterId: exporter,
    submittedBy: 'alice',
    createdAt: at.toISOString(),
    manifest: { partnerId: 'p-sg', endpointId: 'e-sg' } as TransferCore['manifest'],
    classification: {
      tier: 'manual_review',
      policyVersion: 'v1',
    } as unknown as TransferCore['classification'],
    inspection: { bytes: 1, sha256: 'x', findings: {} } as unknown as TransferCore['inspection'],
  };
}

describe('workers/notify-sweeper and transfer events (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let transfers: TransferStore;
  let registry: RegistryStore;
  let webhooks: WebhookStore;
  let raised: WebhookEvent[];
  let now: Date;
  const clock: Clock = { now: () => new Date(now.getTime()) };
  const notifier = {
    emit: async (event: WebhookEvent) => {
      raised.push(event);
      await webhooks.saveEvent(event);
    },
  };
  const sweeper = (slaMs = 3_600_000) =>
    createNotifySweeper({ transfers, registry, webhooks, notifier, clock, logger, reviewSlaMs: slaMs });
  const ids = (type: string) => raised.filter((e) => e.type === type).map((e) => e.id);

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    transfers = createTransferStore(redis);
    registry = createRegistryStore(redis);
    webhooks = createWebhookStore(redis);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await redis.flushall();
    raised = [];
    now = new Date();
  });

  it('raises transfer.held when a wrapped transition holds a transfer, and leaves no intent', async () => {
    const wrapped = withTransferEvents(transfers, { webhooks, notifier, clock, logger });
    const id = createId(now);
    await wrapped.create(core(id, now), 'checking', []);
    expect(raised).to.deep.equal([]);
    await wrapped.transition(id, ['checking'], 'held', now, { holdReasons: [] });
    expect(raised.map((e) => `${e.type} ${String(e.data['transferId'])}`)).to.deep.equal([
      `transfer.held ${id}`,
    ]);
    expect(await webhooks.staleIntents(new Date(now.getTime() + 3_600_000), 10)).to.deep.equal([]);
  });

  it('raises the event a crash left behind (intent written, event not), once, with the same id', async () => {
    const id = createId(now);
    await transfers.create(core(id, now), 'checking', []);
    // The wrapper's first step, then the transition, then the "crash": no event, the intent stays.
    await webhooks.addIntent(id, 'nonce', now);
    await transfers.transition(id, ['checking'], 'held', now, { holdReasons: [] });
    now = new Date(now.getTime() + 60_000);
    await sweeper(365 * 86_400_000).sweep();
    await sweeper(365 * 86_400_000).sweep();
    expect(ids('transfer.held')).to.have.length(1);
    // The id is the one the wrapper would have raised: a repeat of the same happening dedupes at the receiver.
    const record = await transfers.get(id);
    expect(record?.status).to.equal('held');
    expect(ids('transfer.held')).to.deep.equal([buildTransferEvent(record!)?.id]);
    expect(await webhooks.staleIntents(new Date(now.getTime() + 3_600_000), 10)).to.deep.equal([]);
  });

  it('raises review.overdue once per stay in held, however many sweeps run', async () => {
    const id = createId(now);
    await transfers.create(core(id, now), 'held', []);
    const sweep = sweeper(3_600_000);
    await sweep.sweep();
    expect(ids('review.overdue')).to.deep.equal([]);
    now = new Date(now.getTime() + 3_600_000 + 1000);
    await sweep.sweep();
    await sweep.sweep();
    await sweeper(3_600_000).sweep();
    expect(ids('review.overdue')).to.have.length(1);
    expect(raised.find((e) => e.type === 'review.overdue')?.data['transferId']).to.equal(id);
  });

  it('raises filing.expiring once per window, and again once renewed into a new window', async () => {
    const filing = {
      kind: 'standard_contract' as const,
      exporterId: exporter,
      partnerIds: ['p-sg'],
      dataCategories: ['order'],
      purposes: ['p'],
      maxIndividuals: 10,
      maxSensitiveIndividuals: 0,
      validFrom: chinaDate(-300),
      validUntil: chinaDate(20),
      status: 'active' as const,
    };
    await registry.putFiling('SCC-1', filing, now);
    await registry.putFiling('SCC-FAR', { ...filing, validUntil: chinaDate(500) }, now);
    for (let i = 0; i < 3; i++) await sweeper().sweep();
    expect(raised.filter((e) => e.type === 'filing.expiring').map((e) => e.data['filingId'])).to.deep.equal([
      'SCC-1',
    ]);
    await registry.putFiling('SCC-1', { ...filing, validUntil: chinaDate(25) }, now);
    await sweeper().sweep();
    await sweeper().sweep();
    expect(ids('filing.expiring')).to.have.length(2);
    expect(new Set(ids('filing.expiring')).size).to.equal(2);
  });
});
