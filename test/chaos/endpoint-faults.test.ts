// Chaos: the partner's endpoint misbehaves. Down for a minute (XBORDER_CHAOS_ENDPOINT_DOWN_MS, 60 s by default):
// deliveries back off (exponentially, recorded per attempt) and everything is delivered once it is back. Up but
// answering bad receipts — not a JWS, signed for another transfer, for other bytes, for another length, or none
// at all: no transfer is ever `released`; each ends `delivery_failed` with every attempt `receipt_invalid`.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { loadSigner } from '../../certs/load-signer.js';
import { signReceipt } from '../../certs/receipt.js';
import { freePort } from '../support/redis-server.js';
import { partner, startCluster, type Cluster } from './support/cluster.js';
import { orderRows } from './support/payload-file.js';
import { upload } from './support/upload.js';

const downMs = Number(process.env['XBORDER_CHAOS_ENDPOINT_DOWN_MS'] ?? 60_000);

async function submitMany(cluster: Cluster, count: number): Promise<string[]> {
  const token = await cluster.token(
    'enterprise',
    'chaos-user',
    cluster.exemptManifest()['exporterId'] as string,
  );
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const answer = await upload({
      url: `${cluster.gatewayUrl}/v1/transfers`,
      token,
      manifest: cluster.exemptManifest(),
      payload: orderRows(2048, i * 1000),
    });
    expect(answer.status, answer.text).to.equal(202);
    ids.push((JSON.parse(answer.text) as { id: string }).id);
  }
  return ids;
}

describe('chaos: endpoint faults', function () {
  this.timeout(downMs + 300_000);

  describe(`an endpoint down for ${downMs / 1000} s`, () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster({
        // 1 s doubling: attempts at about 0, 1, 3, 7, 15, 31, 63, 127 s — enough to outlast the outage.
        env: { XBORDER_DELIVERY_ATTEMPTS: '12', XBORDER_DELIVERY_BACKOFF_MS: '1000' },
      });
    });
    after(() => cluster?.close());

    it('backs off while it is down, then delivers everything once', async () => {
      await cluster.stop('receiver');
      const ids = await submitMany(cluster, 5);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await cluster.start('receiver');
      for (const id of ids) {
        const done = await cluster.settle(id, ['released', 'delivery_failed', 'held'], 240_000);
        expect(done.status).to.equal('released');
        // The receiver is down: the connection is refused (issue 12 item 6: a code, not the socket error).
        const failed = done.deliveryAttempts.filter((a) => a.outcome === 'connect_refused');
        expect(done.deliveryAttempts.filter((a) => a.outcome === 'delivered')).to.have.length(1);
        expect(failed.length).to.be.at.least(3);
        // Backoff: each wait is longer than the one before.
        const times = done.deliveryAttempts.map((a) => Date.parse(a.at));
        const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
        for (let i = 1; i < Math.min(gaps.length, 4); i += 1)
          expect(gaps[i], `gaps ${gaps.join(', ')}`).to.be.greaterThan(gaps[i - 1] ?? 0);
      }
      const stored = readdirSync(cluster.deliveriesDir).filter((f) => f.endsWith('.json'));
      expect(stored.sort()).to.deep.equal(ids.map((id) => `${id}.json`).sort());
    });
  });

  describe('an endpoint answering bad or mismatched receipts', () => {
    const modes = ['garbage', 'other-transfer', 'other-digest', 'other-length', 'no-receipt'] as const;
    let cluster: Cluster;
    let server: https.Server;
    const modeOf = new Map<string, (typeof modes)[number]>();

    before(async () => {
      const port = await freePort();
      cluster = await startCluster({
        skip: ['receiver'],
        endpointUrl: `https://localhost:${port}`,
        env: { XBORDER_DELIVERY_ATTEMPTS: '3', XBORDER_DELIVERY_BACKOFF_MS: '100' },
      });
      const pki = devPkiPaths(path.join(cluster.dataDir, 'pki'), partner);
      // The reference receiver's own signing key: the receipts are validly signed, only their claims are wrong.
      const signer = await loadSigner(pki.receiverSigning.key, pki.receiverSigning.chain);
      server = https.createServer(
        {
          cert: readFileSync(pki.receiverServer.cert),
          key: readFileSync(pki.receiverServer.key),
          ca: readFileSync(pki.root.cert),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (req, res) => {
          const transferId = (req.url ?? '').split('/').pop() ?? '';
          const mode = modeOf.get(transferId) ?? modes[modeOf.size % modes.length] ?? 'garbage';
          modeOf.set(transferId, mode);
          const hash = createHash('sha256');
          let bytes = 0;
          req.on('data', (c: Buffer) => {
            hash.update(c);
            bytes += c.length;
          });
          req.on('end', () => {
            const sha256 = hash.digest('hex');
            const claims = { transferId, sha256, bytes, receivedAt: new Date().toISOString() };
            const answer = (body: object) =>
              res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
            if (mode === 'garbage') {
              answer({ receipt: 'not.a.receipt' });
              return;
            }
            if (mode === 'no-receipt') {
              answer({ ok: true });
              return;
            }
            const wrong =
              mode === 'other-transfer'
                ? { ...claims, transferId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }
                : mode === 'other-digest'
                  ? { ...claims, sha256: 'f'.repeat(64) }
                  : { ...claims, bytes: bytes + 1 };
            signReceipt(wrong, signer).then(
              (receipt) => answer({ receipt }),
              () => res.destroy(),
            );
          });
        },
      );
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      expect((server.address() as AddressInfo).port).to.equal(port);
    });
    after(async () => {
      server?.close();
      await cluster?.close();
    });

    // Issue 12 item 3: each refusal has its own outcome code — a receipt about other bytes is receipt_mismatch.
    const outcomeOf = (mode: (typeof modes)[number] | undefined) =>
      mode === 'garbage' || mode === 'no-receipt' ? 'receipt_invalid' : 'receipt_mismatch';

    it('never releases: every transfer ends delivery_failed with receipt_invalid or receipt_mismatch attempts', async () => {
      const ids = await submitMany(cluster, modes.length);
      for (const id of ids) {
        const done = await cluster.settle(id, ['released', 'delivery_failed', 'held'], 120_000);
        expect(done.status, `${modeOf.get(id)}`).to.equal('delivery_failed');
        expect(done.receipt).to.equal(null);
        const expected = outcomeOf(modeOf.get(id));
        expect(done.deliveryAttempts.map((a) => a.outcome)).to.deep.equal([expected, expected, expected]);
      }
      expect([...modeOf.values()].sort()).to.deep.equal([...modes].sort());
    });
  });
});
