// Log before act (api.md §8, design.md): a transfer's release event is durable in the ledger before the first
// byte goes to the endpoint; if the ledger cannot be written, nothing is released. And a delivery whose receipt
// cannot be logged is retried, the partner answering the repeat with its receipt, yet the transfer shows one
// delivered attempt. The real delivery processor runs on real Redis and disk with a real signer and the real
// reference receiver; only the ledger is made to refuse.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDevPki, DEFAULT_PARTNER_ID } from '../../../certs/dev-pki.js';
import { loadSigner } from '../../../certs/load-signer.js';
import { systemClock } from '../../../platform/clock.js';
import { loadConfig } from '../../../platform/config.js';
import { createId } from '../../../platform/ids.js';
import { createLogger } from '../../../platform/logger.js';
import { createMetrics } from '../../../platform/metrics.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import type { AuditEvent, EventLog } from '../../../platform/event-log.js';
import { openStores, type Stores } from '../../../registry/open-stores.js';
import { storeBuffer } from '../../../registry/payload-store.js';
import type { TransferCore } from '../../../registry/transfer.js';
import { startReceiver, type RunningReceiver } from '../../../receiver/start-receiver.js';
import { createDeliveryProcessor } from '../../../workers/process-delivery.js';
import { createTrustStore } from '../../../transfers/trust-store.js';
import type { WorkerDeps } from '../../../workers/worker-deps.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

describe('workers/process-delivery: log before act (real Redis, disk, TLS material)', function () {
  this.timeout(30_000);
  let server: TestRedis;
  let redis: Redis;
  let dir: string;
  let stores: Stores;
  let endpoint: net.Server;
  let connections = 0;
  let deps: Omit<WorkerDeps, 'events'>;
  let receiver: RunningReceiver;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-lba-'));
    const pki = await createDevPki(path.join(dir, 'pki'));
    stores = openStores(redis, dir, randomBytes(32));
    // The endpoint only counts connections: any connection at all would be a byte leaving too early.
    endpoint = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', () => resolve()));
    const port = (endpoint.address() as net.AddressInfo).port;
    await stores.registry.putPartner('p', { name: 'P', country: 'SG', role: 'processor' }, new Date());
    await stores.registry.putEndpoint(
      'e',
      { partnerId: 'p', url: `https://127.0.0.1:${port}`, country: 'SG' },
      new Date(),
    );
    // The reference receiver signs receipts as the development PKI's partner.
    const logger = createLogger({ level: 'error', name: 'test', write: () => undefined });
    receiver = await startReceiver(loadConfig({ XBORDER_DATA_DIR: dir }), {
      clock: systemClock,
      logger,
      port: 0,
    });
    await stores.registry.putPartner(
      DEFAULT_PARTNER_ID,
      { name: 'R', country: 'SG', role: 'processor' },
      new Date(),
    );
    await stores.registry.putEndpoint(
      'r',
      { partnerId: DEFAULT_PARTNER_ID, url: `https://127.0.0.1:${receiver.port}`, country: 'SG' },
      new Date(),
    );
    const read = (file: string) => readFileSync(file, 'utf8');
    deps = {
      clock: systemClock,
      logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
      metrics: createMetrics({ defaultMetrics: false }),
      ...stores,
      classifier: { classify: () => Promise.reject(new Error('not used')) },
      policyVersion: 'v',
      evidence: { run: () => Promise.reject(new Error('a review release is not re-checked')) },
      pipeline: {
        start: () => Promise.resolve(),
        deliver: () => Promise.resolve(),
        jobCounts: () => Promise.resolve([]),
        close: () => Promise.resolve(),
      },
      trust: createTrustStore(pki.paths.trustDir),
      signer: await loadSigner(pki.paths.gatewaySigning.key, pki.paths.gatewaySigning.chain),
      tls: {
        cert: read(pki.paths.gatewayClient.cert),
        key: read(pki.paths.gatewayClient.key),
        ca: read(pki.paths.root.cert),
      },
      deliveryTimeoutMs: 5000,
      // The endpoint listens on loopback: allowed here, as XBORDER_ENDPOINT_ALLOWED_NETS would.
      endpointAllowedNets: loadConfig({ XBORDER_ENDPOINT_ALLOWED_NETS: '127.0.0.0/8' }).endpointAllowedNets,
    };
  });

  after(async () => {
    await receiver?.close();
    endpoint.close();
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function releasingTransfer(partnerId = 'p', endpointId = 'e'): Promise<string> {
    const { sha256, bytes } = await storeBuffer(stores.payloads, Buffer.from('payload'));
    const id = createId(new Date());
    const core = {
      id,
      exporterId: '91450100MA5KDEM11G',
      submittedBy: 'u',
      createdAt: new Date().toISOString(),
      manifest: {
        partnerId,
        endpointId,
        personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
      },
      classification: {
        tier: 'manual_review',
        requiredChecks: [],
        policyVersion: 'v',
        countsTowardTotals: true,
      },
      inspection: { sha256, bytes, findings: {}, individualsDetected: 0, sensitiveIndividualsDetected: 0 },
    } as unknown as TransferCore;
    await stores.transfers.create(core, 'releasing', []);
    await stores.transfers.annotate(id, {
      release: { at: new Date().toISOString(), by: 'review', ledgerIndex: null },
    });
    return id;
  }

  it('sends nothing and releases nothing when the release event cannot be written', async () => {
    const id = await releasingTransfer();
    const seen: AuditEvent[] = [];
    const broken: EventLog = {
      append: (event) => {
        seen.push(event);
        return Promise.reject(new Error('ledger unavailable'));
      },
    };
    const process = createDeliveryProcessor({ ...deps, events: broken });
    let failed = false;
    await process({ data: { transferId: id }, attempt: 1, isLastAttempt: false }).catch(
      () => (failed = true),
    );
    expect(failed, 'the job fails so BullMQ retries it').to.equal(true);
    expect(seen.map((e) => e.type)).to.deep.equal(['transfer.released']);
    expect(connections).to.equal(0);
    const record = await stores.transfers.get(id);
    expect(record?.status).to.equal('releasing');
    expect(record?.release?.ledgerIndex).to.equal(null);
  });

  it('contacts the endpoint only after the release event is durable', async () => {
    const id = await releasingTransfer();
    const order: string[] = [];
    const recording: EventLog = {
      append: (event) => {
        order.push(`${event.type}@${connections}`);
        return Promise.resolve({ index: order.length });
      },
    };
    const process = createDeliveryProcessor({ ...deps, events: recording });
    await process({ data: { transferId: id }, attempt: 1, isLastAttempt: false }).catch(() => undefined);
    // The counting endpoint drops the connection, so the attempt fails; what matters is the order.
    expect(order[0]).to.equal('transfer.released@0');
    expect(connections).to.be.greaterThan(0);
    expect((await stores.transfers.get(id))?.release?.ledgerIndex).to.equal(1);
  });

  it('logs a retried release under the same event id, and a later release of the transfer under its own', async () => {
    const id = await releasingTransfer();
    const ids: string[] = [];
    const recording: EventLog = {
      append: (event) => {
        ids.push(String(event.eventId));
        // Refused, so the index is never saved and the next attempt logs the release again (a retried job).
        return Promise.reject(new Error('ledger unavailable'));
      },
    };
    const process = createDeliveryProcessor({ ...deps, events: recording });
    const run = () =>
      process({ data: { transferId: id }, attempt: 1, isLastAttempt: false }).catch(() => undefined);
    await run();
    await run();
    // Held during delivery, then approved by review: a new release.
    await stores.transfers.annotate(id, {
      release: { at: new Date(Date.now() + 1000).toISOString(), by: 'review', ledgerIndex: null },
    });
    await run();
    expect(ids).to.have.length(3);
    expect(ids[1], 'a retry repeats the id').to.equal(ids[0]);
    expect(ids[2], 'a new release has its own id').to.not.equal(ids[0]);
  });

  it('records one delivered attempt when the receipt could not be logged the first time and the job ran again', async () => {
    const id = await releasingTransfer(DEFAULT_PARTNER_ID, 'r');
    let refusals = 0;
    const once: EventLog = {
      append: (event) => {
        if (event.type === 'transfer.receipt' && refusals === 0) {
          refusals += 1;
          return Promise.reject(new Error('ledger unavailable'));
        }
        return Promise.resolve({ index: 7 });
      },
    };
    const process = createDeliveryProcessor({ ...deps, events: once });
    let failed = false;
    await process({ data: { transferId: id }, attempt: 1, isLastAttempt: false }).catch(
      () => (failed = true),
    );
    expect(failed, 'the job fails so BullMQ retries it').to.equal(true);
    expect((await stores.transfers.get(id))?.status).to.equal('releasing');
    await process({ data: { transferId: id }, attempt: 2, isLastAttempt: false });
    const record = await stores.transfers.get(id);
    expect(record?.status).to.equal('released');
    expect(record?.deliveryAttempts.map((a) => a.outcome)).to.deep.equal(['internal_error', 'delivered']);
  });
});
