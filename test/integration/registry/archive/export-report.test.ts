// GET /v1/reports/exports against hand-computed numbers: a scripted year of transfers written to a real ledger,
// archived into a real PostgreSQL, read through the gateway. People are counted per exporter (the rise of its
// exact year-to-date count that each transfer brought), the year is Asia/Shanghai's (Provisions 2024 art. 7).
import { expect } from 'chai';
import { startArchivedGateway, type ArchivedGateway } from './fixtures/archived-gateway.js';
import { scriptedTransferEvents, type ScriptedTransfer } from './fixtures/scripted-transfer.js';

const A = '91450100MA5KXXXX0A';
const B = '91450200MA5KYYYY0B';

// Hand-written year. T4 is delivered at 00:30 on 1 January 2025 China time (16:30 UTC the day before): in 2025.
// T5 at 00:30 on 1 January 2026 China time: not in 2025.
const script: ScriptedTransfer[] = [
  {
    id: '01JA0000000000000000000001',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    bytes: 1000,
    tier: 'standard_contract',
    delivered: '2025-01-10T02:00:00Z',
    ytd: { year: 2025, individuals: 100, sensitive: 10 },
  },
  {
    id: '01JA0000000000000000000002',
    exporter: A,
    partner: 'p2',
    country: 'VN',
    categories: ['contact', 'order'],
    bytes: 2000,
    tier: 'standard_contract',
    delivered: '2025-02-05T02:00:00Z',
    ytd: { year: 2025, individuals: 150, sensitive: 10 },
  },
  {
    id: '01JA0000000000000000000003',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['order'],
    bytes: 500,
    tier: 'standard_contract',
    delivered: '2025-02-20T02:00:00Z',
    ytd: { year: 2025, individuals: 150, sensitive: 12 },
  },
  {
    id: '01JA0000000000000000000004',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    bytes: 400,
    tier: 'standard_contract',
    delivered: '2024-12-31T16:30:00Z',
    ytd: { year: 2025, individuals: 170, sensitive: 12 },
  },
  {
    id: '01JA0000000000000000000005',
    exporter: A,
    partner: 'p1',
    country: 'SG',
    categories: ['contact'],
    bytes: 50,
    tier: 'standard_contract',
    delivered: '2025-12-31T16:30:00Z',
    ytd: { year: 2026, individuals: 5, sensitive: 0 },
  },
  {
    id: '01JA0000000000000000000006',
    exporter: B,
    partner: 'p1',
    country: 'SG',
    categories: ['payment'],
    bytes: 300,
    tier: 'security_assessment',
    delivered: '2025-03-01T02:00:00Z',
    ytd: { year: 2025, individuals: 30, sensitive: 0 },
  },
  {
    id: '01JA0000000000000000000007',
    exporter: B,
    partner: 'p2',
    country: 'VN',
    categories: ['payment'],
    bytes: 999,
    tier: 'prohibited',
    delivered: null,
    stopped: { as: 'blocked', at: '2025-03-31T23:00:00Z', reason: 'R-BLK-CORE' },
  },
];

describe('GET /v1/reports/exports (archive, real PostgreSQL)', function () {
  this.timeout(180_000);
  let archived: ArchivedGateway;

  before(async () => {
    archived = await startArchivedGateway('reports', script.flatMap(scriptedTransferEvents));
  });
  after(async () => {
    await archived?.stop();
  });

  const report = (query: string, token: string, accept?: string) =>
    archived.get(`/v1/reports/exports?${query}`, token, accept);
  const rowsOf = (text: string) =>
    (
      JSON.parse(text) as {
        rows: {
          group: string;
          transfers: number;
          bytes: number;
          individuals: number;
          sensitiveIndividuals: number;
        }[];
      }
    ).rows.map((r) => [r.group, r.transfers, r.bytes, r.individuals, r.sensitiveIndividuals]);

  it('groups 2025 by exporter, partner, country, month, tier and category as computed by hand', async () => {
    const reviewer = await archived.harness.token('reviewer');
    const expected: Record<string, unknown[]> = {
      exporter: [
        [A, 4, 3900, 170, 12],
        [B, 1, 300, 30, 0],
      ],
      partner: [
        ['p1', 4, 2200, 150, 12],
        ['p2', 1, 2000, 50, 0],
      ],
      country: [
        ['SG', 4, 2200, 150, 12],
        ['VN', 1, 2000, 50, 0],
      ],
      month: [
        ['2025-01', 2, 1400, 120, 10],
        ['2025-02', 2, 2500, 50, 2],
        ['2025-03', 1, 300, 30, 0],
      ],
      tier: [
        ['security_assessment', 1, 300, 30, 0],
        ['standard_contract', 4, 3900, 170, 12],
      ],
      category: [
        ['contact', 3, 3400, 170, 10],
        ['order', 2, 2500, 50, 2],
        ['payment', 1, 300, 30, 0],
      ],
    };
    for (const [groupBy, rows] of Object.entries(expected)) {
      const answer = await report(`year=2025&groupBy=${groupBy}`, reviewer);
      expect(answer.status, answer.text).to.equal(200);
      expect(rowsOf(answer.text), groupBy).to.deep.equal(rows);
      expect(JSON.parse(answer.text)).to.deep.include({
        year: 2025,
        groupBy,
        totals: { transfers: 5, bytes: 4200, individuals: 200, sensitiveIndividuals: 12 },
      });
    }
    const next = await report('year=2026&groupBy=exporter', reviewer);
    expect(rowsOf(next.text)).to.deep.equal([[A, 1, 50, 5, 0]]);
  });

  it('gives CSV for Accept: text/csv', async () => {
    const answer = await report('year=2025&groupBy=partner', await archived.harness.token('ops'), 'text/csv');
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^text\/csv/);
    expect(answer.text).to.equal(
      'partner,transfers,bytes,individuals,sensitive_individuals\r\np1,4,2200,150,12\r\np2,1,2000,50,0\r\n',
    );
  });

  it('scopes an enterprise to its own exporter; another exporter is 404', async () => {
    const enterprise = await archived.harness.token('enterprise', 'e-1', B);
    const own = await report('year=2025&groupBy=partner', enterprise);
    expect(rowsOf(own.text)).to.deep.equal([['p1', 1, 300, 30, 0]]);
    const other = await report(`year=2025&groupBy=partner&exporterId=${A}`, enterprise);
    expect(other.status).to.equal(404);
  });

  it('refuses a bad year or grouping with 400 BAD_QUERY', async () => {
    const reviewer = await archived.harness.token('reviewer');
    const bad = await report('year=25&groupBy=planet', reviewer);
    expect(bad.status).to.equal(400);
    const body = JSON.parse(bad.text) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).to.equal('BAD_QUERY');
    expect(body.error.details.map((d) => d.path)).to.include.members(['/query/year', '/query/groupBy']);
  });
});
