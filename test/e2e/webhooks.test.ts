// End to end: webhooks per the Standard Webhooks specification (issue #19, api.md §11). Gateway, workers and the
// reference receiver run as processes on a private Redis; the webhook receiver is a real HTTPS server in this
// test, with a certificate from a CA made here (XBORDER_TLS_CA carries it, loopback allowed by
// XBORDER_ENDPOINT_ALLOWED_NETS), and it verifies every delivery with the spec's reference code (the
// `standardwebhooks` package). Every event type is delivered once; a receiver that is down gets everything once
// it is back; one answering 500 forever exhausts the attempts, which the delivery log shows; a held transfer
// past a short SLA raises one review.overdue; a partner certificate revoked after a release opens one incident.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { devPkiPaths, issuePartnerCert } from '../../certs/dev-pki.js';
import { pemToDer } from '../../certs/pem.js';
import { sha256Hex } from '../../certs/sha256-hex.js';
import { chinaDate } from '../support/china-time.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { runCli } from '../support/processes.js';
import { freePort } from '../support/redis-server.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, type TestDeployment } from '../support/test-deployment.js';
import { createContractManifest, createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';
const purpose = 'order fulfilment and delivery';
const partnerA = 'partner-wh-a'; // blocked (nothing is delivered to it)
// The reference receiver signs receipts as this partner, so releases go to it: free flow, and a standard contract
// with an attestation whose certificate is revoked later (the receipts are signed with another certificate).
const partnerB = 'partner-wh-b';
const partnerC = 'partner-wh-c'; // endpoint on a closed port: delivery_failed
const partnerD = 'partner-wh-d'; // a certificate that runs out within 30 days: attestation and certificate expiring
const endpointOf = (partner: string) => `endpoint-${partner}`;
const routeOf = (partner: string) => ({ exporter, partner, endpoint: endpointOf(partner), purpose });

const allEvents = [
  'transfer.held',
  'transfer.released',
  'transfer.rejected',
  'transfer.blocked',
  'transfer.delivery_failed',
  'evidence.revoked',
  'filing.expiring',
  'attestation.expiring',
  'certificate.expiring',
  'review.overdue',
] as const;

const webhookAttempts = 8;

interface Received {
  readonly subscription: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

interface Transfer {
  id: string;
  status: string;
}

/** A CA and a server certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
function makeTls(dir: string): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
    ].concat(['-out', 'ca.crt', '-days', '2', '-subj', '/CN=xborder webhook test CA']),
  );
  run(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key'].concat(
      ['-out', 'server.csr', '-subj', '/CN=localhost'],
    ),
  );
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    ]),
  );
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  return { ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt') };
}

/** The webhook receiver: verifies each delivery with the subscription's secret, or answers 500 when told to. */
function createReceiver(tls: { key: string; cert: string }) {
  const secrets = new Map<string, string>();
  const failing = new Set<string>();
  const received: Received[] = [];
  const unverified: string[] = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const subscription = (req.url ?? '').replace(/^\/hooks\//, '');
      if (failing.has(subscription)) {
        res.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      try {
        const payload = new Webhook(secrets.get(subscription) ?? 'whsec_AAAA').verify(body, headers) as {
          type: string;
          data: Record<string, unknown>;
        };
        received.push({ subscription, headers, body, id: headers['webhook-id'] ?? '', ...payload });
        res.writeHead(204).end();
      } catch (err) {
        unverified.push(`${subscription}: ${String(err)}`);
        res.writeHead(400).end();
      }
    });
  });
  let port = 0;
  return {
    secrets,
    failing,
    received,
    unverified,
    get port() {
      return port;
    },
    async listen(at = 0) {
      await new Promise<void>((resolve) => server.listen(at, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    of: (subscription: string) => received.filter((r) => r.subscription === subscription),
  };
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('e2e: Standard Webhooks, review SLA, expiry reminders and incidents (real processes, HTTPS receiver)', function () {
  this.timeout(300_000);
  let deployment: TestDeployment;
  let gw: GatewayClient<Record<string, unknown>>;
  let tmp: string;
  let receiver: ReturnType<typeof createReceiver>;
  const transfers: Record<string, string> = {};

  const bearer = (role: 'enterprise' | 'reviewer' | 'admin' | 'ops', of = exporter) =>
    gw.token(role, `${role}-wh`, role === 'enterprise' ? of : undefined);
  const hookUrl = (subscription: string) => `https://127.0.0.1:${receiver.port}/hooks/${subscription}`;
  const submit = async (manifest: object, payload: string): Promise<Transfer> =>
    gw.submitAccepted<Transfer>(manifest, Buffer.from(payload), await bearer('enterprise'));
  const settle = async (id: string) => gw.settle<Transfer>(id, await bearer('enterprise'));
  const deliveries = async (subscription: string, role: 'enterprise' | 'reviewer' = 'enterprise') =>
    (
      await gw.callExpecting<{ items: Record<string, unknown>[] }>(
        200,
        'GET',
        `/v1/webhooks/${subscription}/deliveries?limit=200`,
        await bearer(role),
      )
    ).items;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'xborder-e2e-wh-tls-'));
    const tls = makeTls(tmp);
    receiver = createReceiver(tls);
    await receiver.listen();
    deployment = await createTestDeployment({
      partner: partnerB,
      dataDirPrefix: 'xborder-e2e-wh-',
      env: {
        XBORDER_WEBHOOK_BACKOFF_MS: '200',
        XBORDER_WEBHOOK_ATTEMPTS: String(webhookAttempts),
        // 7.2 seconds: long enough to reject a transfer first, short enough to wait for.
        XBORDER_REVIEW_SLA_HOURS: '0.002',
        XBORDER_NOTIFY_SWEEP_MS: '500',
        XBORDER_DELIVERY_ATTEMPTS: '2',
        XBORDER_DELIVERY_BACKOFF_MS: '100',
      },
    });
    const pki = path.join(deployment.dataDir, 'pki');
    // The workers trust the development root (for the reference receiver) and this test's CA (for webhooks).
    const bundle = path.join(tmp, 'ca-bundle.pem');
    writeFileSync(bundle, readFileSync(devPkiPaths(pki).root.cert, 'utf8') + tls.ca);
    await runCli(['certs', 'issue-partner', '--id', partnerA], deployment.env);
    // Issued 720 days ago for the development 730: it runs out in 10 days (certificate.expiring).
    await issuePartnerCert(pki, partnerD, { now: new Date(Date.now() - 720 * 86_400_000) });
    await deployment.start('receiver');
    await Promise.all([deployment.start('workers', { XBORDER_TLS_CA: bundle }), deployment.start('gateway')]);
    gw = createGatewayClient({
      baseUrl: deployment.gatewayUrl,
      dataDir: deployment.dataDir,
      output: deployment.output,
    });
  });

  after(async () => {
    await deployment?.stop();
    await receiver?.close().catch(() => undefined);
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it('registers subscriptions: the generated secret is shown once; bad secrets and disallowed addresses are 400', async () => {
    const enterprise = await bearer('enterprise');
    const created = await gw.callExpecting<{ secret: string; scope: string; exporterId: string }>(
      201,
      'PUT',
      '/v1/webhooks/ent-all',
      enterprise,
      { url: hookUrl('ent-all'), events: allEvents },
    );
    expect(created.secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.scope).to.equal('exporter');
    expect(created.exporterId).to.equal(exporter);
    receiver.secrets.set('ent-all', created.secret);
    const again = await gw.callExpecting<Record<string, unknown>>(
      200,
      'GET',
      '/v1/webhooks/ent-all',
      enterprise,
    );
    expect(again).to.not.have.property('secret');

    const supplied = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const global = await gw.callExpecting<Record<string, unknown>>(
      201,
      'PUT',
      '/v1/webhooks/rev-all',
      await bearer('reviewer'),
      {
        url: hookUrl('rev-all'),
        events: allEvents,
        secret: supplied,
      },
    );
    expect(global).to.not.have.property('secret');
    expect(global['scope']).to.equal('global');
    receiver.secrets.set('rev-all', supplied);

    const failing = await gw.callExpecting<{ secret: string }>(
      201,
      'PUT',
      '/v1/webhooks/ent-500',
      enterprise,
      {
        url: hookUrl('ent-500'),
        events: ['transfer.blocked'],
      },
    );
    receiver.secrets.set('ent-500', failing.secret);
    receiver.failing.add('ent-500');

    const other = await gw.callExpecting<{ secret: string }>(
      201,
      'PUT',
      '/v1/webhooks/other-all',
      await bearer('enterprise', otherExporter),
      { url: hookUrl('other-all'), events: allEvents },
    );
    receiver.secrets.set('other-all', other.secret);
    // Another exporter's subscription is not there for this enterprise.
    expect((await gw.call('GET', '/v1/webhooks/other-all', enterprise)).status).to.equal(404);

    const badSecret = await gw.call<{ error: { code: string; details: { path: string }[] } }>(
      'PUT',
      '/v1/webhooks/bad',
      enterprise,
      { url: hookUrl('bad'), events: ['transfer.held'], secret: 'not-a-secret' },
    );
    expect(badSecret.status).to.equal(400);
    expect(badSecret.body.error.details[0]?.path).to.equal('/secret');
    const privateNet = await gw.call<{ error: { code: string } }>('PUT', '/v1/webhooks/bad', enterprise, {
      url: 'https://10.20.30.40/hook',
      events: ['transfer.held'],
    });
    expect(privateNet.status).to.equal(400);
    expect(privateNet.body.error.code).to.equal('ENDPOINT_NOT_ALLOWED');
  });

  it('raises every event type once, signed so the reference code verifies it', async () => {
    const iat = Math.floor(Date.now() / 1000) - 5;
    const attestation = (partner: string, jti: string, days: number) =>
      signPartnerAttestation(
        { dataDir: deployment.dataDir, partner, exporter, endpoints: [endpointOf(partner)], purpose, jti },
        {
          iat,
          nbf: iat,
          exp: iat + days * 86_400,
          recipient: { name: `${partner} Pte. Ltd.`, country: 'SG' },
        },
      );
    await setUpRegistry(gw, {
      exporter,
      otherExporters: [otherExporter],
      partners: [partnerA, partnerB, partnerC, partnerD].map((id) => ({ id, endpoint: endpointOf(id) })),
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
      purpose,
      attestations: [
        await attestation(partnerA, 'att-wh-a', 60),
        await attestation(partnerB, 'att-wh-b', 60),
        await attestation(partnerD, 'att-wh-d', 9),
      ],
      selfAssessmentId: 'pipia-wh',
      filings: { 'SCC-WH': {}, 'SCC-WH-SOON': { validUntil: chinaDate(20) } },
    });
    // Partner C's endpoint listens nowhere: its deliveries fail until the attempts run out.
    await gw.callExpecting(200, 'PUT', `/v1/endpoints/${endpointOf(partnerC)}`, await bearer('admin'), {
      partnerId: partnerC,
      url: `https://127.0.0.1:${await freePort()}`,
      country: 'SG',
    });

    transfers['blocked'] = (
      await submit(createManifest(routeOf(partnerA), { declaredGrade: 'core' }), 'plan')
    ).id;
    const contract = (evidence: Record<string, string>) =>
      createContractManifest(routeOf(partnerB), evidence);
    const heldEvidence = { selfAssessmentId: 'pipia-wh', attestationId: 'att-wh-b' };
    transfers['rejected'] = (await submit(contract(heldEvidence), 'order_id,qty\nSO-1,1\n')).id;
    transfers['overdue'] = (await submit(contract(heldEvidence), 'order_id,qty\nSO-2,1\n')).id;
    transfers['releasedA'] = (await submit(createManifest(routeOf(partnerB)), 'sku,qty\nGX-1,10\n')).id;
    transfers['releasedB'] = (
      await submit(contract({ ...heldEvidence, filingId: 'SCC-WH' }), 'order_id,qty\nSO-3,1\n')
    ).id;
    transfers['failed'] = (await submit(createManifest(routeOf(partnerC)), 'sku,qty\nGX-2,10\n')).id;

    expect((await settle(transfers['rejected'])).status).to.equal('held');
    await gw.callExpecting(
      200,
      'POST',
      `/v1/transfers/${transfers['rejected']}/decision`,
      await bearer('reviewer'),
      {
        decision: 'reject',
        comment: 'no filing',
      },
    );
    expect((await settle(transfers['releasedA'])).status).to.equal('released');
    expect((await settle(transfers['releasedB'])).status).to.equal('released');
    expect((await settle(transfers['failed'])).status).to.equal('delivery_failed');

    const leaf = pemToDer(
      readFileSync(devPkiPaths(path.join(deployment.dataDir, 'pki'), partnerB).partner.cert, 'utf8'),
    );
    const revocation = { certificateSha256: sha256Hex(leaf ?? Buffer.alloc(0)), reason: 'key compromise' };
    await gw.callExpecting(201, 'POST', '/v1/revocations', await bearer('admin'), revocation);

    const types = (subscription: string) => new Set(receiver.of(subscription).map((r) => r.type));
    await waitFor('every event type reached ent-all and rev-all', () =>
      allEvents.every((t) => types('ent-all').has(t) && types('rev-all').has(t)),
    );
    // A few more sweeps: nothing arrives twice.
    await new Promise((r) => setTimeout(r, 3000));
    expect(receiver.unverified).to.deep.equal([]);
    for (const subscription of ['ent-all', 'rev-all']) {
      const ids = receiver.of(subscription).map((r) => r.id);
      expect(new Set(ids).size, `${subscription} got an event twice`).to.equal(ids.length);
      const transferEvents = receiver
        .of(subscription)
        .filter((r) => r.type.startsWith('transfer.'))
        .map((r) => `${r.type} ${String(r.data['transferId'])}`)
        .sort();
      expect(transferEvents, subscription).to.deep.equal(
        [
          `transfer.blocked ${transfers['blocked']}`,
          `transfer.held ${transfers['rejected']}`,
          `transfer.rejected ${transfers['rejected']}`,
          `transfer.held ${transfers['overdue']}`,
          `transfer.released ${transfers['releasedA']}`,
          `transfer.released ${transfers['releasedB']}`,
          `transfer.delivery_failed ${transfers['failed']}`,
        ].sort(),
      );
      const overdue = receiver
        .of(subscription)
        .filter((r) => r.type === 'review.overdue' && r.data['transferId'] === transfers['overdue']);
      expect(overdue, 'one review.overdue for the transfer left held').to.have.length(1);
      const expiring = receiver.of(subscription).filter((r) => r.type.endsWith('.expiring'));
      expect(expiring.filter((r) => r.data['filingId'] === 'SCC-WH-SOON')).to.have.length(1);
      expect(
        expiring.filter((r) => r.data['attestationId'] === 'att-wh-d' && r.type === 'attestation.expiring'),
      ).to.have.length(1);
    }
    // Bodies carry ids, codes and counts: no names, no purposes.
    for (const r of receiver.of('ent-all'))
      expect(r.body).to.not.include(purpose).and.not.include('Pte. Ltd.');
    // Another exporter's subscriber hears nothing of this exporter's transfers.
    expect(receiver.of('other-all').filter((r) => r.type.startsWith('transfer.'))).to.deep.equal([]);
  });

  it('opens one incident for the revoked certificate, linking the released transfer, with its reporting clock', async () => {
    const incidents = await gw.callExpecting<{ items: Record<string, unknown>[] }>(
      200,
      'GET',
      '/v1/incidents',
      await bearer('enterprise'),
    );
    expect(incidents.items).to.have.length(1);
    const incident = incidents.items[0] as {
      id: string;
      transferIds: string[];
      evidence: { kind: string };
      reportingClock: { hours: number; basis: string[]; reportBy: string };
      ledgerIndex: number | null;
    };
    expect(incident.transferIds).to.deep.equal([transfers['releasedB']]);
    expect(incident.evidence.kind).to.equal('certificate');
    expect(incident.reportingClock.hours).to.equal(4);
    expect(incident.reportingClock.basis).to.include('Provisions 2024 art. 11');
    expect(incident.ledgerIndex).to.be.a('number');
    // The same revocation again opens nothing new and raises nothing new.
    const leaf = pemToDer(
      readFileSync(devPkiPaths(path.join(deployment.dataDir, 'pki'), partnerB).partner.cert, 'utf8'),
    );
    await gw.callExpecting(201, 'POST', '/v1/revocations', await bearer('admin'), {
      certificateSha256: sha256Hex(leaf ?? Buffer.alloc(0)),
      reason: 'key compromise',
    });
    expect(
      (await gw.callExpecting<{ items: unknown[] }>(200, 'GET', '/v1/incidents', await bearer('reviewer')))
        .items,
    ).to.have.length(1);
    expect(
      (
        await gw.callExpecting<{ items: unknown[] }>(
          200,
          'GET',
          '/v1/incidents',
          await bearer('enterprise', otherExporter),
        )
      ).items,
    ).to.have.length(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.of('ent-all').filter((r) => r.type === 'evidence.revoked')).to.have.length(1);
    expect(receiver.of('ent-all').find((r) => r.type === 'evidence.revoked')?.data['incidentId']).to.equal(
      incident.id,
    );
  });

  it('counts the overdue review in xborder_reviews_overdue', async () => {
    expect(await (await fetch(deployment.workersMetricsUrl)).text()).to.match(/^xborder_reviews_overdue 1$/m);
  });

  it('a receiver answering 500 forever exhausts the attempts, as the delivery log shows', async () => {
    await waitFor(
      'ent-500 exhausted its attempts for the blocked transfer',
      async () => (await deliveries('ent-500')).some((d) => d['exhausted'] === true),
      120_000,
    );
    const log = await deliveries('ent-500');
    const exhausted = log.find((e) => e['exhausted'] === true)?.['eventId'];
    const first = log.filter((d) => d['eventId'] === exhausted);
    expect(first.map((d) => d['attempt']).sort((a, b) => Number(a) - Number(b))).to.deep.equal(
      Array.from({ length: webhookAttempts }, (_, i) => i + 1),
    );
    expect(first.map((d) => `${String(d['outcome'])} ${String(d['httpStatus'])}`)).to.deep.equal(
      Array.from({ length: webhookAttempts }, () => 'http_error 500'),
    );
    expect(receiver.of('ent-500')).to.deep.equal([]);
  });

  it('a receiver down for a while gets every event once it is back, each once', async () => {
    const before = receiver.of('ent-all').length;
    const port = receiver.port;
    await receiver.close();
    const blocked = await submit(createManifest(routeOf(partnerA), { declaredGrade: 'core' }), 'plan 2');
    const released = await submit(createManifest(routeOf(partnerB)), 'sku,qty\nGX-3,1\n');
    expect((await settle(released.id)).status).to.equal('released');
    await waitFor('a refused attempt is in the delivery log', async () =>
      (await deliveries('ent-all')).some((d) => d['outcome'] === 'connect_refused'),
    );
    await receiver.listen(port);
    const late = () => receiver.of('ent-all').slice(before);
    await waitFor('both events arrived after the receiver came back', () =>
      [blocked.id, released.id].every((id) => late().some((r) => r.data['transferId'] === id)),
    );
    await new Promise((r) => setTimeout(r, 2000));
    const ids = receiver.of('ent-all').map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(
      late()
        .filter((r) => r.data['transferId'] === blocked.id)
        .map((r) => r.type),
    ).to.deep.equal(['transfer.blocked']);
    expect(
      late()
        .filter((r) => r.data['transferId'] === released.id)
        .map((r) => r.type),
    ).to.deep.equal(['transfer.released']);
  });

  it('a tampered body or an old timestamp fails verification with the reference code', () => {
    // The latest delivery, with the headers the gateway sent (well inside the spec's 5-minute tolerance).
    const sample = receiver.of('ent-all').at(-1);
    if (sample === undefined) throw new Error('no delivery received');
    const wh = new Webhook(receiver.secrets.get('ent-all') ?? '');
    expect(() => wh.verify(sample.body, sample.headers)).to.not.throw();
    const tampered = `${sample.body.slice(0, -1)},"extra":1}`;
    expect(() => wh.verify(tampered, sample.headers)).to.throw(/signature/i);
    const otherSecret = new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`);
    expect(() => otherSecret.verify(sample.body, sample.headers)).to.throw(/signature/i);
    // The gateway's signature with its timestamp moved back, and a signature made ten minutes ago: both refused.
    const old = new Date(Date.now() - 10 * 60_000);
    const oldTimestamp = String(Math.floor(old.getTime() / 1000));
    expect(() => wh.verify(sample.body, { ...sample.headers, 'webhook-timestamp': oldTimestamp })).to.throw(
      /too old/i,
    );
    const resigned = {
      'webhook-id': sample.id,
      'webhook-timestamp': oldTimestamp,
      'webhook-signature': wh.sign(sample.id, old, sample.body),
    };
    expect(() => wh.verify(sample.body, resigned)).to.throw(/too old/i);
  });
});
