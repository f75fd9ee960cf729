// The routes the review console relies on, in-process on a real Redis: /v1/me, transfer search parameters,
// a transfer's evidence (scoped to its exporter), an exporter's yearly volume, expiring filings, queue depths,
// and the console's static files with their security headers.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startHarness, request, routeManifest, type Harness } from './gateway-harness.js';
import { chinaDate } from '../../support/china-time.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';
const consoleDir = path.resolve('gateway/console');

describe('gateway console API (in-process, real Redis)', function () {
  this.timeout(60_000);
  let h: Harness;
  let reviewer: string;
  let ops: string;
  let enterprise: string;
  let other: string;
  let heldId: string;
  let checkingId: string;

  const get = (path: string, bearer: string) =>
    request(`${h.url}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
  const put = (path: string, bearer: string, body: unknown) =>
    request(`${h.url}${path}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function submit(bearer: string, overrides: Record<string, unknown>, exporterId = exporter) {
    const form = new FormData();
    form.append('manifest', JSON.stringify(routeManifest(exporterId, overrides)));
    form.append('payload', new Blob([Buffer.from('sku,qty\nA,1\n')]), 'payload');
    const response = await fetch(`${h.url}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}` },
      body: form,
    });
    expect(response.status).to.equal(202);
    return ((await response.json()) as { id: string }).id;
  }

  before(async () => {
    h = await startHarness();
    reviewer = await h.token('reviewer', 'rev-1');
    ops = await h.token('ops');
    enterprise = await h.token('enterprise', 'ent-1', exporter);
    other = await h.token('enterprise', 'ent-2', otherExporter);
    await h.registerRoute(exporter, otherExporter);
    await put('/v1/self-assessments/sa-other', other, {
      exporterId: otherExporter,
      kind: 'pipia',
      completedOn: '2026-01-05',
      reportSha256: 'c'.repeat(64),
      scope: {
        partnerIds: ['p-sg'],
        dataCategories: ['inventory'],
        purposes: ['planning'],
        businessTypes: [],
      },
    });
    heldId = await submit(enterprise, { importantDataSuspected: true });
    // Names another exporter's self-assessment: the evidence view must not show it.
    checkingId = await submit(enterprise, { evidence: { selfAssessmentId: 'sa-other', filingId: 'F-1' } });
  });
  after(() => h.stop());

  it('GET /v1/me answers the token’s principal', async () => {
    expect((await get('/v1/me', enterprise)).body).to.deep.equal({
      sub: 'ent-1',
      role: 'enterprise',
      exporter,
    });
    expect((await get('/v1/me', reviewer)).body).to.deep.equal({
      sub: 'rev-1',
      role: 'reviewer',
      exporter: null,
    });
    expect((await request(`${h.url}/v1/me`)).status).to.equal(401);
  });

  it('searches transfers by tier, hold reason, status, date range and exact id, oldest first', async () => {
    const ids = async (query: string, bearer = reviewer) =>
      ((await get(`/v1/transfers?${query}`, bearer)).body['items'] as { id: string }[]).map((t) => t.id);
    expect(await ids('status=held&sort=oldest')).to.deep.equal([heldId]);
    expect(await ids('tier=manual_review')).to.deep.equal([heldId]);
    expect(await ids('reason=R-HOLD-IMPID')).to.deep.equal([heldId]);
    expect(await ids('reason=R-HOLD-GEO')).to.deep.equal([]);
    expect(await ids('sort=oldest')).to.deep.equal([heldId, checkingId]);
    expect(await ids(`q=${checkingId}`)).to.deep.equal([checkingId]);
    expect(await ids(`q=${checkingId}&status=held`)).to.deep.equal([]);
    const today = chinaDate();
    expect(await ids(`from=2020-01-01&to=${today}`)).to.have.length(2);
    expect(await ids('to=2020-01-01')).to.deep.equal([]);
    // An enterprise searching another exporter's id finds nothing.
    expect(await ids(`q=${heldId}`, other)).to.deep.equal([]);
  });

  it('answers 400 BAD_QUERY with a JSON Pointer for bad search parameters', async () => {
    for (const [query, path] of [
      ['tier=nope', '/query/tier'],
      ['reason=<script>', '/query/reason'],
      ['from=2026-02-30', '/query/from'],
      ['to=yesterday', '/query/to'],
      ['q=abc', '/query/q'],
      ['sort=sideways', '/query/sort'],
    ]) {
      const answer = await get(`/v1/transfers?${query}`, reviewer);
      expect(answer.status, query).to.equal(400);
      expect(answer.body.error?.code).to.equal('BAD_QUERY');
      expect(answer.body.error?.details.map((d) => d.path)).to.include(path);
    }
  });

  it('shows a transfer’s evidence records only when they belong to its exporter', async () => {
    const answer = await get(`/v1/transfers/${checkingId}/evidence`, reviewer);
    expect(answer.status).to.equal(200);
    expect(answer.body['named']).to.deep.equal({ selfAssessmentId: 'sa-other', filingId: 'F-1' });
    expect(answer.body['selfAssessment']).to.equal(null);
    expect(answer.body['filing']).to.equal(null);
    expect((await get(`/v1/transfers/${checkingId}/evidence`, enterprise)).status).to.equal(200);
    expect((await get(`/v1/transfers/${checkingId}/evidence`, other)).status).to.equal(404);
  });

  it('answers an exporter’s yearly volume with the policy thresholds; an enterprise sees only its own', async () => {
    const answer = await get(`/v1/exporters/${exporter}/volume`, reviewer);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ exporterId: exporter, individuals: 0, sensitiveIndividuals: 0 });
    expect(answer.body['thresholds']).to.deep.equal({
      nonSensitive: { standardContract: 100000, securityAssessment: 1000000 },
      sensitive: { standardContract: 1, securityAssessment: 10000 },
    });
    // No one exported yet this year: no pace, no forecast date (api.md §10).
    expect(answer.body['forecast']).to.deep.include({ perDay: { individuals: 0, sensitiveIndividuals: 0 } });
    expect((await get(`/v1/exporters/${exporter}/volume`, enterprise)).status).to.equal(200);
    expect((await get(`/v1/exporters/${exporter}/volume`, other)).status).to.equal(404);
    expect((await get('/v1/exporters/91450100MA5KDEM11X/volume', reviewer)).status).to.equal(400);
  });

  it('lists active filings expiring within 60 working days', async () => {
    const day = (offset: number) => chinaDate(offset);
    const filing = (validUntil: string, status = 'active') => ({
      kind: 'standard_contract',
      exporterId: exporter,
      partnerIds: ['p-sg'],
      dataCategories: ['inventory'],
      purposes: ['planning'],
      maxIndividuals: 10,
      maxSensitiveIndividuals: 0,
      validFrom: day(-400),
      validUntil,
      status,
    });
    expect((await put('/v1/filings/F-SOON', reviewer, filing(day(20)))).status).to.equal(200);
    expect((await put('/v1/filings/F-LATER', reviewer, filing(day(300)))).status).to.equal(200);
    expect((await put('/v1/filings/F-REVOKED', reviewer, filing(day(20), 'revoked'))).status).to.equal(200);
    const answer = await get('/v1/filings?expiring=true', reviewer);
    expect(answer.status).to.equal(200);
    expect(answer.body['workingDays']).to.equal(60);
    const items = answer.body['items'] as { id: string; workingDaysLeft: number }[];
    expect(items.map((i) => i.id)).to.deep.equal(['F-SOON']);
    // 20 calendar days hold 14–15 weekdays; the holiday calendar (policies/working-days.yaml) can take up to 6
    // of them (Spring Festival) and add 2 weekend workdays (调休), so the count lies in 8..17 whatever the date.
    expect(items[0]?.workingDaysLeft).to.be.within(8, 17);
  });

  it('answers queue depths per queue and state to ops', async () => {
    const answer = await get('/v1/ops/queues', ops);
    expect(answer.status).to.equal(200);
    const items = answer.body['items'] as { queue: string; state: string; count: number }[];
    expect(items.map((i) => i.queue)).to.include.members([
      'xborder-checks',
      'xborder-release',
      'xborder-delivery',
    ]);
    // The free-flow transfer submitted in before() waits in the release queue (no workers run here).
    const release = items.filter((i) => i.queue === 'xborder-release').reduce((n, i) => n + i.count, 0);
    expect(release).to.equal(1);
    expect((await get('/v1/ops/queues', reviewer)).status).to.equal(403);
  });

  it('serves the console without a token, with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${h.url}/console/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.include("frame-ancestors 'none'");
    expect(csp).not.to.include('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(await response.text()).to.include('<script type="module" src="app.js">');
    const redirect = await fetch(`${h.url}/console`, { redirect: 'manual' });
    expect(redirect.status).to.be.within(301, 308);
    expect((await fetch(`${h.url}/console/app.js`)).headers.get('content-type')).to.match(/javascript/);
  });

  it('serves Chart.js itself, cacheable, and the console loads nothing from outside the gateway', async () => {
    const chart = await fetch(`${h.url}/console/vendor/chart.umd.min.js`);
    expect(chart.status).to.equal(200);
    expect(chart.headers.get('content-type')).to.match(/^text\/javascript/);
    expect(chart.headers.get('cache-control')).to.equal('public, max-age=86400');
    expect(chart.headers.get('x-content-type-options')).to.equal('nosniff');
    const body = await chart.text();
    expect(body).to.include('Chart.js v4').and.include('Chart');
    expect(body.length).to.be.above(100_000);
    // Every file of the console, as served, names no other host; the reports view loads the same-origin copy.
    const files = readdirSync(consoleDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(html|js|css)$/.test(f),
    );
    expect(files).to.include.members(['index.html', 'app.js', path.join('views', 'reports.js')]);
    for (const file of files) {
      const served = await fetch(`${h.url}/console/${file.split(path.sep).join('/')}`);
      expect(served.status, file).to.equal(200);
      expect(await served.text(), file).not.to.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    }
    const reports = await (await fetch(`${h.url}/console/views/reports.js`)).text();
    expect(reports).to.include("src: 'vendor/chart.umd.min.js'");
  });
});
