// End to end: evidence that stops being valid while a transfer is in flight stops the transfer (issue 4 item 6).
// Gateway and workers run as separate processes on a private Redis; the reference receiver is down, so every
// released transfer waits in the delivery queue with a failed attempt behind it — a state the test observes,
// not a sleep. Then the evidence is revoked (or runs out), the next attempt re-checks it and holds the transfer,
// and once the receiver is up a control transfer shows it would have delivered: the held ones never arrive.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signAttestation, type AttestationClaims } from '../../certs/attestation.js';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { pemToDer } from '../../certs/pem.js';
import { sha256Hex } from '../../certs/sha256-hex.js';
import { mintToken, type TokenRole } from '../../certs/token.js';
import { startRedisServer, freePort, type TestRedis } from '../support/redis-server.js';
import { runCli, startProcess, waitForPort, type RunningProcess } from '../support/processes.js';

const exporter = '91450100MA5KDEM11G';
const partnerA = 'partner-rev-a';
const partnerB = 'partner-rev-b';
const endpointOf = (partner: string) => `endpoint-${partner}`;
const purpose = 'order fulfilment and delivery';

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
  let redis: TestRedis;
  let dataDir: string;
  let env: Record<string, string>;
  let gatewayUrl: string;
  let workersMetricsUrl: string;
  let receiverPort: number;
  let procs: RunningProcess[] = [];
  let receiver: RunningProcess | undefined;
  const held: string[] = [];

  const token = (role: TokenRole, sub: string, exporterId?: string): Promise<string> =>
    mintToken(
      { role, sub, ttlSeconds: 600, ...(exporterId === undefined ? {} : { exporter: exporterId }) },
      readFileSync(devPkiPaths(path.join(dataDir, 'pki')).issuerKey, 'utf8'),
      { issuer: 'xborder-dev', audience: 'xborder', now: new Date() },
    );

  async function call(method: string, url: string, role: TokenRole, body?: unknown) {
    const bearer = await token(role, `${role}-1`, role === 'enterprise' ? exporter : undefined);
    const response = await fetch(`${gatewayUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function expectOk(method: string, url: string, role: TokenRole, body: unknown, status = 200) {
    const answer = await call(method, url, role, body);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).to.equal(status);
    return answer.body;
  }

  const get = async (id: string): Promise<Transfer> =>
    (await call('GET', `/v1/transfers/${id}`, 'enterprise')).body as unknown as Transfer;

  /** Polls the transfer until `done` holds; the failure names the state reached and every process's output. */
  async function until(
    id: string,
    what: string,
    done: (t: Transfer) => boolean,
    ms = 60_000,
  ): Promise<Transfer> {
    const deadline = Date.now() + ms;
    for (;;) {
      const transfer = await get(id);
      if (done(transfer)) return transfer;
      if (Date.now() > deadline)
        throw new Error(
          `transfer ${id} never ${what}: ${JSON.stringify(transfer)}\n${procs.map((p) => `--- ${p.name}\n${p.output()}`).join('\n')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** In the delivery queue: released by the rules, at least one attempt failed (the receiver is down). */
  const waitingInQueue = (t: Transfer) =>
    t.status === 'releasing' && t.deliveryAttempts.some((a) => a.outcome === 'failed');

  async function attestation(partner: string, jti: string, exp: number): Promise<string> {
    const pki = devPkiPaths(path.join(dataDir, 'pki'), partner);
    const iat = Math.floor(Date.now() / 1000) - 5;
    const claims: AttestationClaims = {
      iss: partner,
      sub: exporter,
      jti,
      iat,
      nbf: iat,
      exp,
      recipient: { name: `${partner} Pte. Ltd.`, country: 'SG' },
      role: 'processor',
      purposes: [purpose],
      dataCategories: ['order', 'contact', 'inventory'],
      businessTypes: ['cross_border_ecommerce', 'supply_chain'],
      sensitive: false,
      retentionDays: 365,
      storageCountry: 'SG',
      onwardTransfer: 'prohibited',
      securityMeasures: ['encryption'],
      breachNotificationHours: 72,
      dataSubjectRights: true,
      localLawStatement: 'PDPA 2012',
      acceptsCacSupervision: true,
      endpoints: [endpointOf(partner)],
    };
    return signAttestation(claims, {
      key: readFileSync(pki.partner.key, 'utf8'),
      chainPem: readFileSync(pki.partner.chain, 'utf8'),
    });
  }

  /** A standard-contract transfer (120,000 individuals): self-assessment, attestation and filing are checked. */
  async function submitContractTransfer(partner: string, attestationId: string, filingId: string) {
    const manifest = {
      exporterId: exporter,
      businessType: 'cross_border_ecommerce',
      purpose,
      partnerId: partner,
      endpointId: endpointOf(partner),
      destinationCountry: 'SG',
      dataCategories: ['order', 'contact'],
      declaredGrade: 'general',
      personalInfo: { individuals: 120_000, sensitiveIndividuals: 0, origin: 'domestic' },
      legalBasis: 'contract',
      evidence: { selfAssessmentId: 'pipia-rev', attestationId, filingId, noticeRecordRef: 'notice-v3' },
    };
    return submit(manifest, Buffer.from(`order_id,qty\nSO-${attestationId}-${filingId},1\n`));
  }

  async function submit(manifest: object, payload: Buffer): Promise<Transfer> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest));
    form.append('payload', new Blob([payload]), 'payload');
    const response = await fetch(`${gatewayUrl}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token('enterprise', 'ent-1', exporter)}` },
      body: form,
    });
    const body = (await response.json()) as Transfer;
    expect(response.status, JSON.stringify(body)).to.equal(202);
    return body;
  }

  const deliveredIds = (): string[] => {
    const dir = path.join(dataDir, 'receiver', 'deliveries');
    return existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\..*$/, '')) : [];
  };

  before(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-e2e-rev-'));
    const [httpPort, metricsPort] = [await freePort(), await freePort()];
    receiverPort = await freePort();
    env = {
      XBORDER_REDIS_URL: redis.url,
      XBORDER_DATA_DIR: dataDir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_HTTP_PORT: String(httpPort),
      XBORDER_METRICS_PORT: String(metricsPort),
      XBORDER_RECEIVER_PORT: String(receiverPort),
      // Quick retries, and enough of them that no transfer runs out while the test acts (100 ms doubling).
      XBORDER_DELIVERY_BACKOFF_MS: '100',
      XBORDER_DELIVERY_ATTEMPTS: '12',
      XBORDER_LOG_LEVEL: 'warn',
    };
    await runCli(['certs', 'init', '--partner', partnerA], env);
    await runCli(['certs', 'issue-partner', '--id', partnerB], env);
    // The receiver is not started: deliveries fail and wait for their next attempt.
    const workers = startProcess('workers', ['workers'], env);
    const gateway = startProcess('gateway', ['gateway'], env);
    procs = [workers, gateway];
    await Promise.all([waitForPort(metricsPort, workers), waitForPort(httpPort, gateway)]);
    gatewayUrl = `http://127.0.0.1:${httpPort}`;
    workersMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

    await expectOk('PUT', `/v1/exporters/${exporter}`, 'admin', {
      name: 'Exporter',
      ciio: false,
      ftzArea: null,
    });
    for (const partner of [partnerA, partnerB]) {
      await expectOk('PUT', `/v1/partners/${partner}`, 'admin', {
        name: partner,
        country: 'SG',
        role: 'processor',
      });
      await expectOk('PUT', `/v1/endpoints/${endpointOf(partner)}`, 'admin', {
        partnerId: partner,
        url: `https://localhost:${receiverPort}`,
        country: 'SG',
      });
    }
    const today = new Date().toISOString().slice(0, 10);
    await expectOk('PUT', '/v1/self-assessments/pipia-rev', 'enterprise', {
      exporterId: exporter,
      kind: 'pipia',
      completedOn: today,
      reportSha256: 'b'.repeat(64),
      scope: {
        partnerIds: [partnerA, partnerB],
        dataCategories: ['order', 'contact', 'inventory'],
        purposes: [purpose],
        businessTypes: ['cross_border_ecommerce', 'supply_chain'],
      },
    });
    const filing = {
      kind: 'standard_contract',
      exporterId: exporter,
      partnerIds: [partnerA, partnerB],
      dataCategories: ['order', 'contact'],
      purposes: [purpose],
      maxIndividuals: 5_000_000,
      maxSensitiveIndividuals: 0,
      validFrom: '2026-01-01',
      validUntil: '2029-12-31',
      status: 'active',
    };
    await expectOk('PUT', '/v1/filings/SCC-REV-A', 'reviewer', filing);
    await expectOk('PUT', '/v1/filings/SCC-REV-OK', 'reviewer', filing);
    // Inside its 60-working-day window (Provisions 2024 art. 9): counted by xborder_filings_expiring.
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await expectOk('PUT', '/v1/filings/SCC-REV-EXPIRING', 'reviewer', { ...filing, validUntil: soon });
    const inAMonth = Math.floor(Date.now() / 1000) + 30 * 86_400;
    for (const [partner, jti] of [
      [partnerA, 'att-rev-a'],
      [partnerB, 'att-rev-b'],
    ] as const) {
      await expectOk(
        'POST',
        '/v1/attestations',
        'enterprise',
        { jws: await attestation(partner, jti, inAMonth) },
        201,
      );
    }
  });

  after(async () => {
    await Promise.all([...procs, ...(receiver === undefined ? [] : [receiver])].map((p) => p.stop()));
    await redis?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
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
    receiver = startProcess('receiver', ['receiver'], env);
    await waitForPort(receiverPort, receiver);
    const control = await submit(
      {
        exporterId: exporter,
        businessType: 'supply_chain',
        purpose,
        partnerId: partnerA,
        endpointId: endpointOf(partnerA),
        destinationCountry: 'SG',
        dataCategories: ['inventory'],
        declaredGrade: 'general',
        personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
      },
      Buffer.from('sku,qty\nGX-1,10\n'),
    );
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
    for (const url of [`${gatewayUrl}/metrics`, workersMetricsUrl]) {
      expect(await (await fetch(url)).text(), url).to.match(/^xborder_filings_expiring 1$/m);
    }
    const listed = (await call('GET', '/v1/filings?expiring=true', 'reviewer')).body;
    expect((listed['items'] as { id: string }[]).map((f) => f.id)).to.deep.equal(['SCC-REV-EXPIRING']);
  });
});
