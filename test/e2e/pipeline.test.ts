// End to end: gateway, workers and the reference receiver as separate processes on a private Redis, with real
// mutual TLS and keys made here (xborder certs init). Each case follows one transfer from submit to its end.
import { expect } from 'chai';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AttestationClaims } from '../../certs/attestation.js';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { verifyReceipt } from '../../certs/receipt.js';
import { runCli } from '../support/processes.js';
import { residentIds } from '../support/identifiers.js';
import { encryptedZip, hostileForms, people, randomBinary, zipBomb } from '../support/hostile-payloads.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, roles, type TestDeployment } from '../support/test-deployment.js';
import { createContractManifest, createExemptManifest, createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';
const partner = 'partner-sg-e2e';
const endpoint = 'endpoint-sg-e2e';
const purpose = 'order fulfilment and delivery';
const route = { exporter, partner, endpoint, purpose };
const maxPayloadBytes = 1024 * 1024;

interface TransferBody {
  id: string;
  status: string;
  classification: { tier: string; reasons: { code: string; rule: string }[] };
  holdReasons: { code: string }[];
  approvals: string[];
  receipt: { jws: string } | null;
  inspection: { sha256: string; bytes: number; individualsDetected: number };
}

/** What the gateway answers, as far as these tests read it (a transfer, a page, or an error). */
interface ApiBody extends TransferBody {
  items: TransferBody[];
  error: { code: string; details: { code?: string; path?: string }[] };
}

describe('e2e: the whole path on real processes, Redis and TLS', function () {
  this.timeout(120_000);
  let deployment: TestDeployment;
  let dataDir: string;
  let env: Readonly<Record<string, string>>;
  let gatewayUrl: string;
  let workersMetricsUrl: string;
  let receiverDir: string;
  let gw: GatewayClient<ApiBody>;

  function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return createManifest(route, overrides);
  }

  function attestationJws(overrides: Partial<AttestationClaims> = {}): Promise<string> {
    return signPartnerAttestation(
      { dataDir, partner, exporter, endpoints: [endpoint], purpose, jti: 'att-e2e-1' },
      overrides,
    );
  }

  before(async () => {
    deployment = await createTestDeployment({
      partner,
      dataDirPrefix: 'xborder-e2e-',
      env: { XBORDER_MAX_PAYLOAD_BYTES: String(maxPayloadBytes) },
    });
    ({ dataDir, env, gatewayUrl, workersMetricsUrl } = deployment);
    await Promise.all(roles.map((role) => deployment.start(role)));
    gw = createGatewayClient<ApiBody>({ baseUrl: gatewayUrl, dataDir, output: deployment.output });
    receiverDir = path.join(dataDir, 'receiver', 'deliveries');

    await setUpRegistry(gw, {
      ...route,
      otherExporters: [otherExporter],
      partners: [{ id: partner, endpoint }],
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
      attestations: [await attestationJws()],
      selfAssessmentId: 'pipia-e2e',
      filings: { 'SCC-E2E-1': {} },
    });
  });

  after(async () => {
    await deployment?.stop();
  });

  it('(a) releases a supply-chain file without personal data; the receiver holds identical bytes and the receipt verifies', async () => {
    const payload = Buffer.from('sku,qty\nGX-1,10\nGX-2,20\n');
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(manifest(), payload, enterprise);
    expect(answer.status).to.equal(202);
    expect(answer.body.classification.tier).to.equal('free_flow');
    const done = await gw.settle(answer.body.id, enterprise);
    expect(done.status).to.equal('released');
    expect(readFileSync(path.join(receiverDir, `${done.id}.bin`)).equals(payload)).to.equal(true);
    const root = readFileSync(devPkiPaths(path.join(dataDir, 'pki')).root.cert, 'utf8');
    const verified = verifyReceipt(done.receipt?.jws ?? '', {
      anchors: [root],
      now: new Date(),
      expected: { transferId: done.id, sha256: done.inspection.sha256, bytes: payload.length },
      expectedSignerCn: partner,
    });
    expect(verified.ok).to.equal(true);
  });

  const contractManifest = (evidence: Record<string, string>) =>
    createContractManifest(route, { selfAssessmentId: 'pipia-e2e', attestationId: 'att-e2e-1', ...evidence });

  it('(b) releases a contract-route transfer past 100,000 individuals with a valid filing, self-assessment and attestation', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(
      contractManifest({ filingId: 'SCC-E2E-1' }),
      Buffer.from('order_id,qty\nSO-1,1\n'),
      enterprise,
    );
    expect(answer.status).to.equal(202);
    expect(answer.body.classification.tier).to.equal('standard_contract');
    expect(answer.body.classification.reasons[0]?.code).to.equal('R-SCC-PI100K');
    const done = await gw.settle(answer.body.id, enterprise);
    expect(done.status, JSON.stringify(done.holdReasons)).to.equal('released');
  });

  it('(c) holds the same without a filing (R-EVID-FILING-MISSING); two different reviewers release it, one reviewer twice does not', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(contractManifest({}), Buffer.from('order_id,qty\nSO-2,1\n'), enterprise);
    const held = await gw.settle(answer.body.id, enterprise);
    expect(held.status).to.equal('held');
    expect(held.holdReasons.map((r) => r.code)).to.include('R-EVID-FILING-MISSING');
    const revA = await gw.token('reviewer', 'rev-a');
    const revB = await gw.token('reviewer', 'rev-b');
    const decision = (bearer: string) =>
      gw.call('POST', `/v1/transfers/${held.id}/decision`, bearer, {
        decision: 'approve',
        comment: 'contract verified offline',
      });
    expect((await decision(revA)).body.status).to.equal('held');
    const twice = await decision(revA);
    expect(twice.body.status).to.equal('held');
    expect(twice.body.approvals).to.deep.equal(['rev-a']);
    expect((await decision(revB)).body.approvals).to.deep.equal(['rev-a', 'rev-b']);
    expect((await gw.settle(held.id, enterprise)).status).to.equal('released');
  });

  it('(d) blocks a core-data transfer at once', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(manifest({ declaredGrade: 'core' }), Buffer.from('plan'), enterprise);
    expect(answer.status).to.equal(202);
    expect(answer.body.status).to.equal('blocked');
    expect(answer.body.classification.reasons[0]?.code).to.equal('R-BLK-CORE');
  });

  it('(e) does not let a file full of resident IDs declared as no PI pass as free flow (R-INSPECT-UNDECLARED-PI)', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const payload = Buffer.from(
      `name_ref,id_number\n${residentIds(200)
        .map((id, i) => `P${i},${id}`)
        .join('\n')}\n`,
    );
    const answer = await gw.submit(manifest(), payload, enterprise);
    expect(answer.status).to.equal(202);
    expect(answer.body.classification.tier).to.not.equal('free_flow');
    expect(answer.body.classification.reasons.map((r) => r.code)).to.include('R-INSPECT-UNDECLARED-PI');
    expect(answer.body.inspection.individualsDetected).to.be.at.least(200);
  });

  it('(e2) releases none of the hostile payloads declared as no PI; unreadable ones are held with R-INSPECT-OPAQUE (issue #12)', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const rows = people(20);
    const readable = Object.entries(hostileForms(rows));
    const unreadable: [string, Buffer][] = [
      ['encrypted zip', encryptedZip(rows)],
      ['random binary', randomBinary()],
      ['zip bomb', zipBomb(64)],
    ];
    const submitted = await Promise.all(
      [...readable, ...unreadable].map(async ([name, payload]) => {
        const answer = await gw.submit(manifest(), payload, enterprise);
        expect(answer.status, name).to.equal(202);
        return { name, id: answer.body.id };
      }),
    );
    const settled = await Promise.all(submitted.map(({ id }) => gw.settle(id, enterprise)));
    settled.forEach((done, i) => {
      const name = submitted[i]?.name ?? '';
      expect(done.status, name).to.not.equal('released');
      if (i >= readable.length) {
        expect(done.status, name).to.equal('held');
        expect(
          done.classification.reasons.map((r) => r.code),
          name,
        ).to.include('R-INSPECT-OPAQUE');
      } else expect(done.classification.tier, name).to.not.equal('free_flow');
    });
  });

  it('(f) refuses an attestation altered after signing (422), and holds a transfer naming an unregistered one (R-EVID-ATTESTATION-MISSING)', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const [header, payload, signature] = (await attestationJws({ jti: 'att-e2e-tampered' })).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims['storageCountry'] = 'MY';
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const refused = await gw.call('POST', '/v1/attestations', enterprise, { jws: tampered });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.details.map((d) => d.code)).to.include('R-EVID-ATTESTATION-INVALID');

    const answer = await gw.submit(
      createExemptManifest(route, { selfAssessmentId: 'pipia-e2e', attestationId: 'att-not-registered' }),
      Buffer.from('order_id\nSO-9\n'),
      enterprise,
    );
    const held = await gw.settle(answer.body.id, enterprise);
    expect(held.status).to.equal('held');
    expect(held.holdReasons.map((r) => r.code)).to.include('R-EVID-ATTESTATION-MISSING');
  });

  it("(g) answers 404 to another exporter's token for a transfer", async () => {
    const mine = await gw.submit(
      manifest({ declaredGrade: 'core' }),
      Buffer.from('x'),
      await gw.token('enterprise', 'ent-user', exporter),
    );
    const theirs = await gw.call(
      'GET',
      `/v1/transfers/${mine.body.id}`,
      await gw.token('enterprise', 'other-user', otherExporter),
    );
    expect(theirs.status).to.equal(404);
    expect(theirs.body.error.code).to.equal('NOT_FOUND');
  });

  it('exports every metric name of api.md §9 on the gateway and on the workers, with delivery and checks counted', async () => {
    const names = [
      'transfers_submitted_total',
      'transfers_finished_total',
      'transfers_held',
      'check_results_total',
      'stage_duration_seconds',
      'submit_to_release_seconds',
      'queue_jobs',
      'delivery_bytes_total',
      'delivery_attempts_total',
      'inspection_bytes_total',
      'inspection_findings_total',
      'http_requests_total',
      'http_request_duration_seconds',
    ].map((n) => `xborder_${n}`);
    const gatewayText = await (await fetch(`${gatewayUrl}/metrics`)).text();
    const workersText = await (await fetch(workersMetricsUrl)).text();
    for (const name of names) {
      expect(gatewayText, `gateway ${name}`).to.include(`# TYPE ${name} `);
      expect(workersText, `workers ${name}`).to.include(`# TYPE ${name} `);
    }
    expect(workersText).to.match(
      /xborder_delivery_attempts_total\{endpoint="endpoint-sg-e2e",outcome="delivered"\} [1-9]/,
    );
    expect(workersText).to.match(/xborder_check_results_total\{check="attestation",result="pass"\} [1-9]/);
    expect(gatewayText).to.match(
      /xborder_transfers_submitted_total\{business_type="supply_chain",tier="free_flow"\} [1-9]/,
    );
  });

  it('(i) gives a release an offline-verifiable ledger receipt; the whole ledger verifies; replay names what a draft policy moves', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(manifest(), Buffer.from('sku,qty\nGX-9,1\n'), enterprise);
    const done = await gw.settle(answer.body.id, enterprise);
    expect(done.status).to.equal('released');
    const receipt = (await gw.call('GET', `/v1/transfers/${done.id}/receipt`, enterprise))
      .body as unknown as {
      entry: string;
      index: number;
    };
    const receiptFile = path.join(dataDir, 'receipt.json');
    writeFileSync(receiptFile, JSON.stringify(receipt));
    const cert = devPkiPaths(path.join(dataDir, 'pki')).gatewaySigning.chain;
    const verified = JSON.parse(
      await runCli(['ledger', 'verify-receipt', receiptFile, '--cert', cert, '--json'], env),
    ) as { ok: boolean; entry: { type: string; transferId: string } };
    expect(verified.ok).to.equal(true);
    expect(verified.entry).to.include({ type: 'transfer.released', transferId: done.id });

    const forged = JSON.parse(Buffer.from(receipt.entry, 'base64').toString()) as Record<string, unknown>;
    forged['transferId'] = 'SOMEONE-ELSE';
    writeFileSync(
      receiptFile,
      JSON.stringify({ ...receipt, entry: Buffer.from(JSON.stringify(forged)).toString('base64') }),
    );
    let refused = false;
    await runCli(['ledger', 'verify-receipt', receiptFile, '--cert', cert], env).catch(
      () => (refused = true),
    );
    expect(refused).to.equal(true);

    expect(await runCli(['ledger', 'verify'], env)).to.match(/^OK/);

    // A draft that lowers the SCC threshold below the 120,000 of case (b) moves nothing already on the SCC
    // route, but a draft that raises it above 1,000,000 moves those transfers to the exempt route.
    const draft = path.join(dataDir, 'draft-policy');
    cpSync(path.resolve('policies'), draft, { recursive: true });
    const thresholds = path.join(draft, 'thresholds.yaml');
    writeFileSync(
      thresholds,
      readFileSync(thresholds, 'utf8').replace('standardContract: 100000', 'standardContract: 200000'),
    );
    const replay = await runCli(['policy', 'replay', '--policy', draft, '--json'], env).catch(
      (err: Error) => err.message,
    );
    const report = JSON.parse(replay.slice(replay.indexOf('{'))) as {
      replayed: number;
      changes: { from: { tier: string }; to: { tier: string } }[];
    };
    expect(report.replayed).to.be.greaterThan(5);
    expect(report.changes.map((c) => `${c.from.tier}>${c.to.tier}`)).to.include('standard_contract>exempt');
  });

  it('(h) answers 400 with the field path to a malformed manifest, and 413 to an oversized payload, storing nothing', async () => {
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const bad = await gw.submit(
      manifest({ personalInfo: { individuals: -1, sensitiveIndividuals: 0 } }),
      Buffer.from('x'),
      enterprise,
    );
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('BAD_MANIFEST');
    expect(bad.body.error.details.map((d) => d.path)).to.include('/personalInfo/individuals');

    const before = (await gw.call('GET', '/v1/transfers?limit=100', enterprise)).body.items.length;
    const payloadsDir = path.join(dataDir, 'payloads');
    const filesBefore = readdirSync(payloadsDir, { recursive: true }).filter((f) =>
      String(f).endsWith('.xbp'),
    ).length;
    const big = await gw.submit(manifest(), Buffer.alloc(maxPayloadBytes + 1, 0x41), enterprise);
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    expect((await gw.call('GET', '/v1/transfers?limit=100', enterprise)).body.items.length).to.equal(before);
    expect(
      readdirSync(payloadsDir, { recursive: true }).filter((f) => String(f).endsWith('.xbp')).length,
    ).to.equal(filesBefore);
    expect(readdirSync(path.join(payloadsDir, 'tmp'))).to.deep.equal([]);
  });
});
