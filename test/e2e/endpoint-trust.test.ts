// End to end (issue 12 items 3 and 6): trust bound to the right party, and no endpoint inside our own network.
// Gateway, workers and the reference receiver run as separate processes on a private Redis with real mTLS.
// - Endpoint URLs on loopback, private, metadata addresses are refused at registration (400
//   ENDPOINT_NOT_ALLOWED on /url) until XBORDER_ENDPOINT_ALLOWED_NETS lists them.
// - The workers check again at connect time: registered by a gateway that allows loopback, a transfer is not
//   delivered by workers that do not; the enterprise sees `address_not_allowed`, never a socket error.
// - A receipt signed by another partner's valid certificate (the receiver signs as partner A, the endpoint
//   belongs to partner B) is a failed attempt `receipt_wrong_signer`: the transfer is never released.
import { expect } from 'chai';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { buildCertificate } from '../../certs/certificate-builder.js';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { loadSigner } from '../../certs/load-signer.js';
import { derToPem } from '../../certs/pem.js';
import { RECEIPT_TYP } from '../../certs/receipt.js';
import { createSigner, type Signer } from '../../certs/signer.js';
import type { TokenRole } from '../../certs/token.js';
import { signX5cJws } from '../../certs/x5c-jws.js';
import { freePort } from '../support/redis-server.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { createTestDeployment, type TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partnerA = 'partner-trust-a';
const partnerB = 'partner-trust-b';
const purpose = 'inventory planning';
const routeTo = (partner: string, endpoint: string) => ({ exporter, partner, endpoint, purpose });
const loopback = '127.0.0.0/8,::1/128';

interface Transfer {
  id: string;
  status: string;
  holdReasons: { code: string; message: string }[];
  deliveryAttempts: { attempt: number; outcome: string; detail: string }[];
  receipt: { jws: string } | null;
}

interface ErrorBody {
  error: { code: string; details: { path?: string; message: string }[] };
}

describe('e2e: endpoint addresses and receipt signers (real processes, Redis, mTLS)', function () {
  this.timeout(180_000);
  let deployment: TestDeployment;
  let gw: GatewayClient<Record<string, unknown>>;
  let receiverUrl: string;

  const bearer = (role: TokenRole): Promise<string> =>
    gw.token(role, `${role}-1`, role === 'enterprise' ? exporter : undefined);

  const putEndpoint = async (id: string, partnerId: string, url: string) =>
    gw.call<ErrorBody>('PUT', `/v1/endpoints/${id}`, await bearer('admin'), {
      partnerId,
      url,
      country: 'SG',
    });

  const submit = async (partner: string, endpoint: string, payload: string): Promise<Transfer> =>
    gw.submitAccepted<Transfer>(
      createManifest(routeTo(partner, endpoint)),
      payload,
      await bearer('enterprise'),
    );

  const settle = async (id: string, statuses: string[]): Promise<Transfer> =>
    gw.settle<Transfer>(id, await bearer('enterprise'), statuses, 60_000);

  const delivered = (id: string) =>
    existsSync(path.join(deployment.dataDir, 'receiver', 'deliveries', `${id}.bin`));

  /** Restarts a role with `env` over the deployment's variables. */
  async function restart(role: 'gateway' | 'workers', env: Record<string, string>): Promise<void> {
    await deployment.process(role)?.stop();
    await deployment.start(role, env);
  }

  /** What an enterprise reads must name codes only: no address, port, errno or TLS library text. */
  function expectNoNetworkText(transfer: Transfer): void {
    const seen = JSON.stringify({ a: transfer.deliveryAttempts, h: transfer.holdReasons });
    expect(seen).to.not.match(/127\.0\.0\.1|::1|localhost|ECONN|EAI_|ERR_|socket|:\d{4,5}\b/);
  }

  before(async () => {
    deployment = await createTestDeployment({
      partner: partnerA,
      dataDirPrefix: 'xborder-e2e-trust-',
      // No allowance to begin with; two quick attempts per transfer.
      env: {
        XBORDER_ENDPOINT_ALLOWED_NETS: '',
        XBORDER_DELIVERY_ATTEMPTS: '2',
        XBORDER_DELIVERY_BACKOFF_MS: '100',
      },
    });
    receiverUrl = `https://localhost:${deployment.ports.receiver}`;
    await deployment.start('receiver');
    await Promise.all([deployment.start('workers'), deployment.start('gateway')]);
    gw = createGatewayClient({
      baseUrl: deployment.gatewayUrl,
      dataDir: deployment.dataDir,
      output: deployment.output,
    });
    const admin = await bearer('admin');
    await gw.callExpecting(200, 'PUT', `/v1/exporters/${exporter}`, admin, {
      name: 'Exporter',
      ciio: false,
      ftzArea: null,
    });
    for (const id of [partnerA, partnerB])
      await gw.callExpecting(200, 'PUT', `/v1/partners/${id}`, admin, {
        name: id,
        country: 'SG',
        role: 'processor',
      });
  });

  after(async () => {
    await deployment?.stop();
  });

  const internalUrls = () => [
    `https://127.0.0.1:${deployment.ports.receiver}`,
    'https://10.1.2.3/inbox',
    'https://169.254.169.254/latest',
    `https://[::1]:${deployment.ports.receiver}`,
    receiverUrl,
  ];

  it('refuses endpoint URLs on loopback, private and metadata addresses: 400 ENDPOINT_NOT_ALLOWED on /url, nothing stored', async () => {
    for (const [i, url] of internalUrls().entries()) {
      const answer = await putEndpoint(`ep-internal-${i}`, partnerA, url);
      expect(answer.status, url).to.equal(400);
      expect(answer.body.error.code, url).to.equal('ENDPOINT_NOT_ALLOWED');
      expect(answer.body.error.details.map((d) => d.path)).to.deep.equal(['/url']);
      const stored = await gw.call('GET', `/v1/endpoints/ep-internal-${i}`, await bearer('admin'));
      expect(stored.status, url).to.equal(404);
    }
  });

  it('accepts the same URLs once XBORDER_ENDPOINT_ALLOWED_NETS lists their networks', async () => {
    await restart('gateway', {
      XBORDER_ENDPOINT_ALLOWED_NETS: `${loopback},10.0.0.0/8,169.254.169.254/32`,
    });
    for (const [i, url] of internalUrls().entries()) {
      const answer = await putEndpoint(`ep-internal-${i}`, partnerA, url);
      expect(answer.status, `${url}: ${JSON.stringify(answer.body)}`).to.equal(200);
    }
    expect((await putEndpoint('endpoint-a', partnerA, receiverUrl)).status).to.equal(200);
    expect((await putEndpoint('endpoint-b', partnerB, receiverUrl)).status).to.equal(200);
  });

  it('checks again at connect time: workers without the allowance do not connect; the enterprise sees address_not_allowed', async () => {
    const submitted = await submit(partnerA, 'endpoint-a', 'sku,qty\nGX-1,1\n');
    const done = await settle(submitted.id, ['delivery_failed', 'released']);
    expect(done.status).to.equal('delivery_failed');
    expect(done.deliveryAttempts.map((a) => a.outcome)).to.deep.equal([
      'address_not_allowed',
      'address_not_allowed',
    ]);
    expect(done.holdReasons.map((r) => r.code)).to.deep.equal(['R-DELIVERY-FAILED']);
    expect(done.holdReasons[0]?.message).to.contain('address_not_allowed');
    expectNoNetworkText(done);
    expect(delivered(done.id), 'no byte reached the receiver').to.equal(false);

    // Once the workers allow loopback, ops retry it and it is delivered.
    await restart('workers', { XBORDER_ENDPOINT_ALLOWED_NETS: loopback });
    await gw.callExpecting(200, 'POST', `/v1/transfers/${done.id}/retry`, await bearer('ops'));
    const released = await settle(done.id, ['released', 'delivery_failed']);
    expect(released.status).to.equal('released');
    expect(released.deliveryAttempts.at(-1)?.outcome).to.equal('delivered');
  });

  it("refuses a receipt signed by another partner's valid certificate: receipt_wrong_signer, never released", async () => {
    // The receiver signs its receipts as partner A; endpoint-b belongs to partner B.
    const submitted = await submit(partnerB, 'endpoint-b', 'sku,qty\nGX-2,2\n');
    const done = await settle(submitted.id, ['delivery_failed', 'released']);
    expect(done.status).to.equal('delivery_failed');
    expect(done.receipt).to.equal(null);
    expect(done.deliveryAttempts.map((a) => a.outcome)).to.deep.equal([
      'receipt_wrong_signer',
      'receipt_wrong_signer',
    ]);
    expect(done.deliveryAttempts[0]?.detail).to.equal("the receipt is not signed by the endpoint's partner");
    expect(done.holdReasons.map((r) => r.code)).to.deep.equal(['R-DELIVERY-FAILED']);
    expectNoNetworkText(done);

    // The same receiver's receipt for partner A's own endpoint is accepted: the signer is what differs.
    const control = await submit(partnerA, 'endpoint-a', 'sku,qty\nGX-3,3\n');
    const released = await settle(control.id, ['released', 'delivery_failed']);
    expect(released.status).to.equal('released');
    expect(released.receipt).to.not.equal(null);
  });

  describe('an endpoint answering receipts that must not release (each its own outcome code)', () => {
    const modes = ['untrusted', 'wrong-typ', 'other-digest'] as const;
    type Mode = (typeof modes)[number];
    const expected: Record<Mode, string> = {
      untrusted: 'receipt_untrusted',
      'wrong-typ': 'receipt_invalid',
      'other-digest': 'receipt_mismatch',
    };
    let server: https.Server;
    let port: number;
    const modeOf = new Map<string, Mode>();

    before(async () => {
      const pki = devPkiPaths(path.join(deployment.dataDir, 'pki'), partnerA);
      // Partner A's own receipt key (CN = partner A, chains to the anchors) and a look-alike from a CA nobody
      // trusts: same CN, self-issued.
      const partnerSigner = await loadSigner(pki.receiverSigning.key, pki.receiverSigning.chain);
      const stray = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const strayCert = buildCertificate({
        subject: { cn: partnerA },
        subjectKey: stray.publicKey,
        issuer: { selfSignedWith: stray.privateKey },
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        keyUsage: ['digitalSignature'],
      });
      const straySigner = createSigner(stray.privateKey, derToPem(strayCert));
      const sign = (mode: Mode, claims: Record<string, unknown>): Promise<string> => {
        const [typ, signer, body]: [string, Signer, Record<string, unknown>] =
          mode === 'untrusted'
            ? [RECEIPT_TYP, straySigner, claims]
            : mode === 'wrong-typ'
              ? ['xborder-release+jwt', partnerSigner, claims]
              : [RECEIPT_TYP, partnerSigner, { ...claims, sha256: 'f'.repeat(64) }];
        return signX5cJws(typ, body, signer);
      };
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
          const mode = modeOf.get(transferId) ?? 'untrusted';
          const hash = createHash('sha256');
          let bytes = 0;
          req.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            bytes += chunk.length;
          });
          req.on('end', () => {
            const claims = {
              transferId,
              sha256: hash.digest('hex'),
              bytes,
              receivedAt: new Date().toISOString(),
            };
            sign(mode, claims).then(
              (receipt) =>
                res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ receipt })),
              () => res.destroy(),
            );
          });
        },
      );
      port = await freePort();
      await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
      expect((await putEndpoint('endpoint-fake', partnerA, `https://localhost:${port}`)).status).to.equal(
        200,
      );
    });

    after(() => {
      server?.close();
    });

    for (const mode of modes) {
      it(`${mode}: ${expected[mode]}, delivery_failed, never released`, async () => {
        const enterprise = await bearer('enterprise');
        // The mode is keyed by transfer id, known only once submitted: the first attempt waits for it.
        const submitted = await gw.submitAccepted<Transfer>(
          createManifest(routeTo(partnerA, 'endpoint-fake')),
          `sku,qty\nGX-${mode},1\n`,
          enterprise,
        );
        modeOf.set(submitted.id, mode);
        const done = await settle(submitted.id, ['delivery_failed', 'released']);
        expect(done.status).to.equal('delivery_failed');
        expect(done.receipt).to.equal(null);
        // An attempt that raced the mode's registration is answered as `untrusted`; the last one is the mode's.
        expect(done.deliveryAttempts.at(-1)?.outcome).to.equal(expected[mode]);
        expectNoNetworkText(done);
      });
    }
  });
});
