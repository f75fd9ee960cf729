// End to end with payloads AND the ledger in an object store (XBORDER_PAYLOAD_STORE, XBORDER_LEDGER_STORE=s3://…):
// gateway, workers and receiver as real processes against a real S3-compatible server (Swift with s3api on
// loopback) and a private Redis. The ledger is C2SP tiles; receipts come from them on the gateway, whichever
// process sequences; `xborder archiver` follows the tiles (each checkpoint verified) into a real PostgreSQL.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parsePem } from '../../certs/pem.js';
import { startArchiver } from '../../cli/start-archiver.js';
import { openDatabase } from '../../platform/database.js';
import { createLogger } from '../../platform/logger.js';
import { startPostgresServer } from '../support/postgres-server.js';
import { verifyTransferReceipt } from '../../ledger/receipt.js';
import { createObjectTileStorage } from '../../ledger/object-tile-storage.js';
import { ledgerKeyName, ledgerOrigin } from '../../ledger/open-event-log.js';
import { verifyTileLedger } from '../../ledger/verify-tile-ledger.js';
import type { GatewayClient } from '../support/gateway-client.js';
import { registeredGateway } from '../support/registered-gateway.js';
import { s3ClientFor, s3Config, startS3Deployment } from '../support/s3-deployment.js';
import type { TestS3Server } from '../support/s3-server.js';
import type { TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-s3l';
const endpoint = 'endpoint-sg-s3l';
const route = { exporter, partner, endpoint, purpose: 'order fulfilment and delivery' };

interface TransferBody {
  id: string;
  status: string;
  inspection: { sha256: string; bytes: number };
}

describe('e2e: the pipeline with the ledger as tiles in a real S3-compatible store', function () {
  this.timeout(180_000);
  let s3: TestS3Server;
  let deployment: TestDeployment;
  let gw: GatewayClient<TransferBody>;

  before(async () => {
    ({ s3, deployment } = await startS3Deployment({
      partner,
      dataDirPrefix: 'xborder-e2e-s3l-',
      stores: {
        XBORDER_PAYLOAD_STORE: 's3://xborder-payloads/e2e',
        XBORDER_LEDGER_STORE: 's3://xborder-ledger/log',
      },
    }));
    gw = await registeredGateway<TransferBody>(deployment, {
      ...route,
      attestationId: 'att-s3l-1',
      selfAssessmentId: 'pipia-s3l',
    });
  });

  after(async () => {
    await deployment?.stop();
    await s3?.stop();
  });

  it('releases transfers, serves offline-verifiable receipts from the tiles, the tiles ledger verifies, and the archiver follows it', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answers = await Promise.all(
      [0, 1, 2].map((i) => gw.submit(createManifest(route), Buffer.from(`sku,qty\nGX-${i},1\n`), enterprise)),
    );
    const chain = readFileSync(path.join(deployment.dataDir, 'pki', 'gateway', 'signing-chain.pem'), 'utf8');
    const publicKey = new X509Certificate(parsePem(chain)?.[0] ?? Buffer.alloc(0)).publicKey;
    const verifier = { keyName: ledgerKeyName, publicKey, origin: ledgerOrigin };
    for (const answer of answers) {
      expect(answer.status, deployment.output()).to.equal(202);
      const done = await gw.settle(answer.body.id, enterprise);
      expect(done.status, deployment.output()).to.equal('released');
      const receipt = (await gw.call('GET', `/v1/transfers/${done.id}/receipt`, enterprise)).body;
      const verified = verifyTransferReceipt(receipt, verifier, done.id);
      expect(verified.ok, JSON.stringify(receipt)).to.equal(true);
    }
    // No ledger under the data dir: it is in the object store only, and verifies there.
    expect(existsSync(path.join(deployment.dataDir, 'ledger', 'leaves'))).to.equal(false);
    const client = s3ClientFor(s3);
    try {
      const storage = createObjectTileStorage(client.open({ bucket: 'xborder-ledger', prefix: 'log/' }));
      const result = await verifyTileLedger(storage, verifier);
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(result.ok ? result.size : 0).to.be.greaterThan(3);
    } finally {
      client.close();
    }

    // The archive, from the tiles the sequencer wrote: the three transfers, delivered.
    const pg = await startPostgresServer();
    const logs: string[] = [];
    const archiver = await startArchiver(
      s3Config(s3, deployment.dataDir, {
        ...deployment.env,
        XBORDER_LEDGER_STORE: 's3://xborder-ledger/log',
      }),
      { logger: createLogger({ level: 'warn', name: 'archiver', write: (line) => void logs.push(line) }) },
      { databaseUrl: await pg.createDatabase('archive'), metricsPort: 0 },
    );
    const db = openDatabase({ url: pg.url.replace(/\/postgres$/, '/archive') });
    try {
      const ids = answers.map((a) => a.body.id).sort();
      const deadline = Date.now() + 60_000;
      let released: string[] = [];
      while (released.length < ids.length && Date.now() < deadline) {
        const rows = await db
          .query<{ transfer_id: string }>(
            "SELECT transfer_id FROM transfers WHERE status = 'released' AND delivered_at IS NOT NULL ORDER BY 1",
          )
          .catch(() => []);
        released = rows.map((r) => r.transfer_id);
        if (released.length < ids.length) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(released, logs.join('')).to.deep.equal(ids);
    } finally {
      await db.close();
      await archiver.close();
      await pg.stop();
    }
  });
});
