// GET /v1/exporters/:id/filing-pack against hand-computed facts: a scripted year written to a real ledger,
// archived into a real PostgreSQL, read through the gateway. The year is Asia/Shanghai's (Provisions 2024 art. 7);
// held transfers belong to a first filing only.
import { expect } from 'chai';
import type { FilingPack } from '../../../../registry/archive/assemble-filing-pack.js';
import type { LedgerEvent } from '../../../../ledger/leaf-encoding.js';
import { startArchivedGateway, type ArchivedGateway } from './fixtures/archived-gateway.js';
import { scriptedTransferEvents, type ScriptedTransfer } from './fixtures/scripted-transfer.js';

const A = '91450100MA5KXXXX0A';
const B = '91450200MA5KYYYY0B';

// Ledger indexes: 0 the attestation, then five per delivered transfer and three per held one, in this order.
const script: ScriptedTransfer[] = [
  // Released at 00:30 on 1 January 2025 China time (16:30 UTC the day before): in 2025. Indexes 1-5.
  {
    id: '01JF0000000000000000000001',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    tier: 'standard_contract',
    delivered: '2024-12-31T17:30:00Z',
    ytd: { year: 2025, individuals: 100, sensitive: 10 },
  },
  // Indexes 6-10.
  {
    id: '01JF0000000000000000000002',
    exporter: A,
    partner: 'p2',
    country: 'VN',
    categories: ['contact', 'order'],
    tier: 'standard_contract',
    delivered: '2025-05-05T02:00:00Z',
    ytd: { year: 2025, individuals: 150, sensitive: 10 },
  },
  // Another route: not in the pack. Indexes 11-15.
  {
    id: '01JF0000000000000000000003',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['payment'],
    tier: 'security_assessment',
    delivered: '2025-06-01T02:00:00Z',
    ytd: { year: 2025, individuals: 170, sensitive: 10 },
  },
  // Held for want of a filing. Indexes 16-18.
  {
    id: '01JF0000000000000000000004',
    exporter: A,
    partner: 'p3',
    country: 'JP',
    categories: ['health'],
    tier: 'standard_contract',
    delivered: null,
    stopped: { as: 'held', at: '2025-06-30T23:00:00Z', reason: 'R-EVID-FILING-MISSING' },
  },
  // Released at 23:30 on 31 December 2024 China time: in 2024. Indexes 19-23.
  {
    id: '01JF0000000000000000000005',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    tier: 'standard_contract',
    delivered: '2024-12-31T16:30:00Z',
    ytd: { year: 2024, individuals: 5, sensitive: 0 },
  },
  // Another exporter. Indexes 24-28.
  {
    id: '01JF0000000000000000000006',
    exporter: B,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    tier: 'standard_contract',
    delivered: '2025-03-01T02:00:00Z',
    ytd: { year: 2025, individuals: 30, sensitive: 0 },
  },
];

/** Every transfer of this year is an HR file of seven people, all sensitive. */
const eventsOf = (t: ScriptedTransfer) =>
  scriptedTransferEvents({ ...t, businessType: 'hr', declared: { individuals: 7, sensitive: 7 } });

const attestation: LedgerEvent = {
  type: 'registry.attestation',
  at: '2024-12-01T00:00:00Z',
  id: 'att-p1',
  partnerId: 'p1',
  exporterId: A,
  expiresAt: '2026-12-01T00:00:00.000Z',
  leafSha256: 'cd'.repeat(32),
  storageCountry: 'SG',
  retentionDays: 730,
};

describe('GET /v1/exporters/:id/filing-pack (archive, real PostgreSQL)', function () {
  this.timeout(180_000);
  let archived: ArchivedGateway;

  before(async () => {
    archived = await startArchivedGateway('filing_pack', [attestation, ...script.flatMap(eventsOf)]);
  });
  after(async () => {
    await archived?.stop();
  });

  const pack = (exporter: string, query: string, token: string, accept?: string) =>
    archived.get(`/v1/exporters/${exporter}/filing-pack?${query}`, token, accept);

  it('gives a first filing its facts as computed by hand, each with its transfers and ledger indexes', async () => {
    const answer = await pack(
      A,
      'kind=standard_contract&year=2025',
      await archived.harness.token('reviewer'),
    );
    expect(answer.status, answer.text).to.equal(200);
    const body = JSON.parse(answer.text) as FilingPack;
    const [t1, t2, , t4] = script.map((t) => t.id);
    expect(body).to.deep.include({ exporterId: A, kind: 'standard_contract', year: 2025, firstFiling: true });
    expect(body.transfers).to.deep.equal({ released: 2, held: 1 });
    expect(body.recipients).to.deep.equal([
      { partnerId: 'p1', countries: ['SG'], transferIds: [t1], ledgerIndexes: [1] },
      { partnerId: 'p2', countries: ['VN'], transferIds: [t2], ledgerIndexes: [6] },
      { partnerId: 'p3', countries: ['JP'], transferIds: [t4], ledgerIndexes: [16] },
    ]);
    expect(body.dataCategories).to.deep.equal([
      { category: 'contact', transferIds: [t1, t2], ledgerIndexes: [1, 6] },
      { category: 'health', transferIds: [t4], ledgerIndexes: [16] },
      { category: 'order', transferIds: [t2], ledgerIndexes: [6] },
    ]);
    expect(body.volumes).to.deep.equal({
      released: { individuals: 150, sensitiveIndividuals: 10, transferIds: [t1, t2], ledgerIndexes: [5, 10] },
      held: { declaredIndividuals: 7, declaredSensitive: 7, transferIds: [t4], ledgerIndexes: [16] },
    });
    expect(body.storage).to.deep.equal([
      {
        partnerId: 'p1',
        storageCountry: 'SG',
        retentionDays: 730,
        expiresAt: '2026-12-01T00:00:00.000Z',
        attestationId: 'att-p1',
        ledgerIndex: 0,
      },
    ]);
    expect(body.storageUnknownFor).to.deep.equal(['p2', 'p3']);
    expect(body.purposes.recorded).to.equal(false);
  });

  it('gives a printable Chinese document for Accept: text/html', async () => {
    const answer = await pack(
      A,
      'kind=standard_contract&year=2025',
      await archived.harness.token('reviewer'),
      'text/html',
    );
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^text\/html/);
    expect(answer.text).to.include('个人信息出境标准合同备案').and.include('01JF0000000000000000000004');
  });

  it('scopes an enterprise to its own exporter and refuses a bad kind', async () => {
    const enterprise = await archived.harness.token('enterprise', 'e-1', B);
    const own = await pack(B, 'kind=standard_contract&year=2025', enterprise);
    expect((JSON.parse(own.text) as FilingPack).volumes.released.individuals).to.equal(30);
    expect((await pack(A, 'kind=standard_contract&year=2025', enterprise)).status).to.equal(404);
    const bad = await pack(A, 'kind=contract', await archived.harness.token('reviewer'));
    expect(bad.status).to.equal(400);
    expect((JSON.parse(bad.text) as { error: { code: string } }).error.code).to.equal('BAD_QUERY');
  });

  it('leaves held transfers out once a filing of the kind is registered', async () => {
    await archived.archive([
      {
        type: 'registry.filing',
        at: '2025-07-02T00:00:00Z',
        id: 'f-1',
        kind: 'standard_contract',
        exporterId: A,
        status: 'active',
        validUntil: '2027-07-01',
        by: 'reviewer',
      },
    ]);
    const answer = await pack(
      A,
      'kind=standard_contract&year=2025',
      await archived.harness.token('reviewer'),
    );
    const body = JSON.parse(answer.text) as FilingPack;
    expect(body.firstFiling).to.equal(false);
    expect(body.transfers).to.deep.equal({ released: 2, held: 0 });
    expect(body.recipients.map((r) => r.partnerId)).to.deep.equal(['p1', 'p2']);
  });
});
