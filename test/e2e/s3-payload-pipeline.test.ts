// End to end with payloads in an object store (XBORDER_PAYLOAD_STORE=s3://…): gateway, workers and receiver as
// real processes against a real S3-compatible server (Swift with s3api on loopback) and a private Redis.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { GatewayClient } from '../support/gateway-client.js';
import { registeredGateway } from '../support/registered-gateway.js';
import { s3ClientFor, startS3Deployment } from '../support/s3-deployment.js';
import type { TestS3Server } from '../support/s3-server.js';
import type { TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-s3';
const endpoint = 'endpoint-sg-s3';
const route = { exporter, partner, endpoint, purpose: 'order fulfilment and delivery' };

interface TransferBody {
  id: string;
  status: string;
  inspection: { sha256: string; bytes: number };
}

describe('e2e: the pipeline with payloads in a real S3-compatible store', function () {
  this.timeout(300_000);
  let s3: TestS3Server;
  let deployment: TestDeployment;
  let gw: GatewayClient<TransferBody>;

  before(async () => {
    ({ s3, deployment } = await startS3Deployment({
      partner,
      dataDirPrefix: 'xborder-e2e-s3-',
      stores: { XBORDER_PAYLOAD_STORE: 's3://xborder-payloads/e2e' },
    }));
    gw = await registeredGateway<TransferBody>(deployment, {
      ...route,
      attestationId: 'att-s3-1',
      selfAssessmentId: 'pipia-s3',
    });
  });

  after(async () => {
    await deployment?.stop();
    await s3?.stop();
  });

  it('releases transfers whose payloads the gateway stored encrypted in the object store; the receiver holds identical bytes', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const payloads = [
      Buffer.from('sku,qty\nGX-1,10\nGX-2,20\n'),
      // Past one 5 MiB part: a real multipart upload.
      Buffer.from(`sku,qty\n${'GX-9,1\n'.repeat(1_000_000)}`),
    ];
    const answers = await Promise.all(payloads.map((p) => gw.submit(createManifest(route), p, enterprise)));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, deployment.output()).to.equal(202);
      const done = await gw.settle(answer.body.id, enterprise);
      expect(done.status, deployment.output()).to.equal('released');
      const delivered = readFileSync(
        path.join(deployment.dataDir, 'receiver', 'deliveries', `${done.id}.bin`),
      );
      expect(delivered.equals(payloads[i] ?? Buffer.alloc(0))).to.equal(true);
    }
    // The payloads are in the object store, not under the data dir, and only as XBP1 ciphertext.
    const client = s3ClientFor(s3);
    try {
      const objects = client.open({ bucket: 'xborder-payloads', prefix: 'e2e/' });
      const blobs: string[] = [];
      for await (const key of objects.listKeys('blobs/')) blobs.push(key);
      expect(blobs).to.have.length(2);
      for (const blob of blobs) {
        const stored = Buffer.from((await objects.getObject(blob)) ?? []);
        expect(stored.subarray(0, 4).toString()).to.equal('XBP1');
        expect(stored.includes(Buffer.from('sku,qty\nGX-'))).to.equal(false);
      }
    } finally {
      client.close();
    }
  });
});
