// Search beyond Redis retention (api.md §10): GET /v1/transfers and /v1/transfers/:id read the archive (a real
// PostgreSQL started by the test, filled by the archiver from a scripted ledger) for what Redis no longer holds,
// with the same filters and the same enterprise scoping.
import { expect } from 'chai';
import { request } from '../../gateway/gateway-harness.js';
import { startArchivedGateway, type ArchivedGateway } from './fixtures/archived-gateway.js';
import {
  scriptedExporters,
  scriptedTransferId,
  writeScriptedLedger,
} from '../../../support/scripted-ledger.js';

interface Item {
  id: string;
  exporterId: string;
  status: string;
  archived?: boolean;
  manifest: { partnerId: string };
  classification: { tier: string; reasons: { code: string }[] };
  createdAt: string;
}

describe('search beyond retention (gateway + archive, real PostgreSQL)', function () {
  this.timeout(180_000);
  let archived: ArchivedGateway;
  const [exporterA, exporterB] = scriptedExporters;

  before(async () => {
    archived = await startArchivedGateway('search', (ledgerPath) =>
      writeScriptedLedger(ledgerPath, 600, new Date('2025-06-01T08:00:00+08:00')),
    );
  });
  after(async () => {
    await archived?.stop();
  });

  async function list(
    query: string,
    token: string,
  ): Promise<{ items: Item[]; nextCursor: string | null; archive?: string }> {
    const answer = await request(`${archived.harness.url}/v1/transfers?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body as unknown as { items: Item[]; nextCursor: string | null; archive?: string };
  }

  it('pages through every archived transfer, newest first, without gaps or repeats', async () => {
    const reviewer = await archived.harness.token('reviewer');
    const [{ n }] = (await archived.db.query<{ n: number }>('SELECT count(*)::int AS n FROM transfers')) as [
      { n: number },
    ];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=37${cursor === null ? '' : `&cursor=${cursor}`}`, reviewer);
      expect(page.archive).to.equal('included');
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.length).to.equal(n);
    expect(new Set(seen).size).to.equal(n);
    expect([...seen].sort().reverse()).to.deep.equal(seen);
  });

  it('filters by status, tier, reason, partner and date range, as the hot list does', async () => {
    const reviewer = await archived.harness.token('reviewer');
    const blocked = await list('tier=prohibited&limit=100', reviewer);
    expect(blocked.items.length).to.be.greaterThan(0);
    expect(blocked.items.every((i) => i.status === 'blocked' && i.archived === true)).to.equal(true);
    const missing = await list('reason=R-EVID-FILING-MISSING&limit=100', reviewer);
    expect(missing.items.length).to.be.greaterThan(0);
    expect(
      missing.items.every((i) => i.classification.reasons.some((r) => r.code === 'R-EVID-FILING-MISSING')),
    ).to.equal(true);
    const rejected = await list('status=rejected&limit=100', reviewer);
    expect(rejected.items.map((i) => i.status)).to.satisfy(
      (s: string[]) => s.length > 0 && s.every((x) => x === 'rejected'),
    );
    const vn = await list('partnerId=vn-payments&limit=100', reviewer);
    expect(vn.items.length).to.be.greaterThan(0);
    expect(vn.items.every((i) => i.manifest.partnerId === 'vn-payments')).to.equal(true);
    // Transfers are 10 minutes apart from 08:00 China time on 1 June 2025: that day until 09:00 holds six.
    const window = await list(
      'from=2025-06-01T08:00:00%2B08:00&to=2025-06-01T09:00:00%2B08:00&limit=100',
      reviewer,
    );
    expect(window.items.map((i) => i.id).sort()).to.deep.equal([0, 1, 2, 3, 4, 5].map(scriptedTransferId));
  });

  it('an enterprise sees its own exporter only, in lists and by id', async () => {
    const enterprise = await archived.harness.token('enterprise', 'e-1', exporterA);
    const own = await list('limit=100', enterprise);
    expect(own.items.length).to.be.greaterThan(0);
    expect(own.items.every((i) => i.exporterId === exporterA)).to.equal(true);
    expect((await list(`exporterId=${exporterB}`, enterprise)).items).to.deep.equal([]);
    // Transfer 0 is exporter A's, transfer 1 exporter B's (round robin).
    const mine = await request(`${archived.harness.url}/v1/transfers/${scriptedTransferId(0)}`, {
      headers: { Authorization: `Bearer ${enterprise}` },
    });
    expect(mine.status).to.equal(200);
    expect(mine.body).to.include({ id: scriptedTransferId(0), archived: true, exporterId: exporterA });
    const theirs = await request(`${archived.harness.url}/v1/transfers/${scriptedTransferId(1)}`, {
      headers: { Authorization: `Bearer ${enterprise}` },
    });
    expect(theirs.status).to.equal(404);
    expect(theirs.body.error?.code).to.equal('NOT_FOUND');
  });

  it('refuses a malformed partnerId with 400 BAD_QUERY and a JSON pointer', async () => {
    const reviewer = await archived.harness.token('reviewer');
    const answer = await request(
      `${archived.harness.url}/v1/transfers?partnerId=${encodeURIComponent('a b')}`,
      {
        headers: { Authorization: `Bearer ${reviewer}` },
      },
    );
    expect(answer.status).to.equal(400);
    expect(answer.body.error?.code).to.equal('BAD_QUERY');
    expect(answer.body.error?.details[0]?.path).to.equal('/query/partnerId');
  });
});
