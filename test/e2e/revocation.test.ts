// End to end: evidence that stops being valid while a transfer is in flight stops the transfer (issue 4 item 6).
// Gateway and workers run as separate processes on a private Redis; the reference receiver is down, so every
// released transfer waits in the delivery queue with a failed attempt behind it — a state the test observes,
// not a sleep. Then the evidence is revoked (or runs out), the next attempt re-checks it and holds the transfer,
// and once the receiver is up a control transfer shows it would have delivered: the held ones never arrive.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { pemToDer } from '../../certs/pem.js';
import { sha256Hex } from '../../certs/sha256-hex.js';
import type { TokenRole } from '../../certs/token.js';
import { runCli } from '../support/processes.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, type TestDeployment } from '../support/test-deployment.js';
import { createContractManifest, createManifest } from '../support/transfer-route.js';
import { chinaDate } from '../support/china-time.js';

const exporter = '91450100MA5KDEM11G';
const partnerA = 'partner-rev-a';
const partnerB = 'partner-rev-b';
const endpointOf = (partner: string) => `endpoint-${partner}`;
const purpose = 'order fulfilment and delivery';
const routeOf = (partner: string) => ({ exporter, partner, endpoint: endpointOf(partner), purpose });

interface Transfer {
  id: string;
  status: string;
  classification: { tier: string };
  holdReasons: { code: string; message: string }[];
  deliveryAttempts: { attempt: number; outcome: string; detail: string }[];
  release: { by: string } | null;
}

describe('e2e: revocation in flight holds queued transfers (real processes, Redis, TLS)', function () {
  this.timeout(180_000);
  let deployment: TestDeployment;
  let dataDir: string;
  let gw: GatewayClient<Record<string, unknown>>;
  const held: string[] = [];

  /** Each role acts as `<role>-1`; the enterprise user is the exporter's. */
  const bearer = (role: TokenRole): Promise<string> =>
    gw.token(role, `${role}-1`, role === 'enterprise' ? exporter : undefined);

  const call = async (method: string, url: string, role: TokenRole, body?: unknown) =>
    gw.call(method, url, await bearer(role), body);

  const expectOk = async (method: string, url: string, role: TokenRole, body: unknown, status = 200) =>
    gw.callExpecting(status, method, url, await bearer(role), body);

  const get = async (id: string): Promise<Transfer> =>
    (await call('GET', `/v1/transfers/${id}`, 'enterprise')).body as unknown as Transfer;

  /** Polls the transfer until `done` holds; the failure names the state reached and every process's output. */
  const until = async (id: string, what: string, done: (t: Transfer) => boolean, ms = 60_000) =>
    gw.until<Transfer>(id, await bearer('enterprise'), what, done, ms);

  /** In the delivery queue: released by the rules, at least one attempt failed (the receiver is down). */
  const waitingInQueue = (t: Transfer) =>
    t.status === 'releasing' && t.deliveryAttempts.some((a) => a.outcome === 'connect_refused');

  /** Valid from five seconds ago until `exp`, recipient named after the partner. */
  function attestation(partner: string, jti: string, exp: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000) - 5;
    return signPartnerAttestation(
      { dataDir, partner, exporter, endpoints: [endpointOf(partner)], purpose, jti },
      { iat, nbf: iat, exp, recipient: { name: `${partner} Pte. Ltd.`, country: 'SG' } },
    );
  }

  /** A standard-contract transfer (120,000 individuals): self-assessment, attestation and filing are checked. */
  function submitContractTransfer(partner: string, attestationId: string, filingId: string) {
    const manifest = createContractManifest(routeOf(partner), {
      selfAssessmentId: 'pipia-rev',
      attestationId,
      filingId,
    });
    return submit(manifest, Buffer.from(`order_id,qty\nSO-${attestationId}-${filingId},1\n`));
  }

  const submit = async (manifest: object, payload: Buffer): Promise<Transfer> =>
    gw.submitAccepted<Transfer>(manifest, payload, await gw.token('enterprise', 'ent-1', exporter));

  const deliveredIds = (): string[] => {
    const dir = path.join(dataDir, 'receiver', 'deliveries');
    return existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\..*$/, '')) : [];
  };

  before(async () => {
    deployment = await createTestDeployment({
      partner: partnerA,
      dataDirPrefix: 'xborder-e2e-rev-',
      // Quick retries, and enough of them that no transfer runs out while the test acts (100 ms doubling).
      env: { XBORDER_DELIVERY_BACKOFF_MS: '100', XBORDER_DELIVERY_ATTEMPTS: '12' },
    });
    dataDir = deployment.dataDir;
    await runCli(['certs', 'issue-partner', '--id', partnerB], deployment.env);
    // The receiver is not started: deliveries fail and wait for their next attempt.
    await Promise.all([deployment.start('workers'), deployment.start('gateway')]);
    gw = createGatewayClient({ baseUrl: deployment.gatewayUrl, dataDir, output: deployment.output });

    const filing = { maxIndividuals: 5_000_000, validUntil: chinaDate(700) };
    // SCC-REV-EXPIRING is inside its 60-working-day window (Provisions 2024 art. 9): counted by
    // xborder_filings_expiring.
    const soon = chinaDate(20);
    const inAMonth = Math.floor(Date.now() / 1000) + 30 * 86_400;
    await setUpRegistry(gw, {
      exporter,
      exporterName: 'Exporter',
      partners: [partnerA, partnerB].map((id) => ({ id, name: id, endpoint: endpointOf(id) })),
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
      purpose,
      attestations: [
        await attestation(partnerA, 'att-rev-a', inAMonth),
        await attestation(partnerB, 'att-rev-b', inAMonth),
      ],
      selfAssessmentId: 'pipia-rev',
      filings: {
        'SCC-REV-A': filing,
        'SCC-REV-OK': filing,
        'SCC-REV-EXPIRING': { ...filing, validUntil: soon },
      },
      users: { admin: 'admin-1', enterprise: 'enterprise-1', reviewer: 'reviewer-1' },
    });
  });

  after(async () => {
    await deployment?.stop();
  });

  it('(a) a filing revoked while its transfer waits in the delivery queue: held with R-EVID-FILING-REVOKED', async () => {
    const submitted = await submitContractTransfer(partnerA, 'att-rev-a', 'SCC-REV-A');
    expect(submitted.classification.tier).to.equal('standard_contract');
    const queued = await until(submitted.id, 'waited in the delivery queue', waitingInQueue);
    expect(queued.release?.by).to.equal('rules');

    const filing = (await call('GET', '/v1/filings/SCC-REV-A', 'reviewer')).body;
    await expectOk('PUT', '/v1/filings/SCC-REV-A', 'reviewer', {
      ...Object.fromEntries(Object.entries(filing).filter(([k]) => k !== 'id' && k !== 'updatedAt')),
      status: 'revoked',
    });

    const done = await until(submitted.id, 'was held', (t) => t.status !== 'releasing');
    expect(done.status).to.equal('held');
    expect(done.holdReasons.map((r) => r.code)).to.deep.equal(['R-EVID-FILING-REVOKED']);
    expect(done.deliveryAttempts.at(-1)?.outcome).to.equal('evidence_failed');
    held.push(done.id);
  });

  it('(b) a partner certificate revoked (POST /v1/revocations) before delivery: held with R-EVID-ATTESTATION-REVOKED', async () => {
    const submitted = await submitContractTransfer(partnerB, 'att-rev-b', 'SCC-REV-OK');
    await until(submitted.id, 'waited in the delivery queue', waitingInQueue);

    const leaf = pemToDer(
      readFileSync(devPkiPaths(path.join(dataDir, 'pki'), partnerB).partner.cert, 'utf8'),
    );
    await expectOk(
      'POST',
      '/v1/revocations',
      'admin',
      {
        certificateSha256: sha256Hex(leaf ?? Buffer.alloc(0)),
        reason: 'key compromise reported by the partner',
      },
      201,
    );

    const done = await until(submitted.id, 'was held', (t) => t.status !== 'releasing');
    expect(done.status).to.equal('held');
    expect(done.holdReasons.map((r) => r.code)).to.deep.equal(['R-EVID-ATTESTATION-REVOKED']);
    expect(done.holdReasons[0]?.message).to.match(/^CHAIN-REVOKED: /);
    expect(done.deliveryAttempts.at(-1)?.outcome).to.equal('evidence_failed');
    held.push(done.id);
  });

  it('(c) an attestation that expires while its transfer waits in the delivery queue: held with R-EVID-ATTESTATION-EXPIRED', async () => {
    // Valid for a few seconds: long enough for the checks to pass, short enough to run out in the queue.
    const exp = Math.floor(Date.now() / 1000) + 5;
    await expectOk(
      'POST',
      '/v1/attestations',
      'enterprise',
      { jws: await attestation(partnerA, 'att-rev-short', exp) },
      201,
    );
    const submitted = await submitContractTransfer(partnerA, 'att-rev-short', 'SCC-REV-OK');
    await until(submitted.id, 'waited in the delivery queue', waitingInQueue);

    const done = await until(submitted.id, 'was held', (t) => t.status !== 'releasing', 90_000);
    expect(done.status).to.equal('held');
    expect(done.holdReasons.map((r) => r.code)).to.deep.equal(['R-EVID-ATTESTATION-EXPIRED']);
    expect(done.deliveryAttempts.at(-1)?.outcome).to.equal('evidence_failed');
    held.push(done.id);
  });

  it('the receiver, once up, gets a control transfer but never the bytes of the held ones', async () => {
    expect(held).to.have.length(3);
    await deployment.start('receiver');
    const control = await submit(createManifest(routeOf(partnerA)), Buffer.from('sku,qty\nGX-1,10\n'));
    const released = await until(control.id, 'was released', (t) => t.status === 'released');
    expect(released.status).to.equal('released');
    const delivered = deliveredIds();
    expect(delivered).to.include(control.id);
    for (const id of held) {
      expect(delivered, `held transfer ${id}`).to.not.include(id);
      expect((await get(id)).status).to.equal('held');
    }
  });
  it('counts the filing inside its extension window as xborder_filings_expiring on the gateway and the workers', async () => {
    for (const url of [`${deployment.gatewayUrl}/metrics`, deployment.workersMetricsUrl]) {
      expect(await (await fetch(url)).text(), url).to.match(/^xborder_filings_expiring 1$/m);
    }
    const listed = (await call('GET', '/v1/filings?expiring=true', 'reviewer')).body;
    expect((listed['items'] as { id: string }[]).map((f) => f.id)).to.deep.equal(['SCC-REV-EXPIRING']);
  });
});
