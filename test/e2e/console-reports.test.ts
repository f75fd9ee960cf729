// The console's reports page (issue #18) in Chromium (playwright-core on Debian's /usr/bin/chromium), in zh-CN and
// en, against a real gateway reading a real PostgreSQL archive of a scripted year: the month chart is drawn (by
// Chart.js served from the gateway) with the months' people, the tables per recipient, country, route and category
// hold the figures computed by hand below, and each exporter's progress shows the gateway's forecast. The gateway's
// clock is fixed at 2026-05-01 00:00 China time, so the year and the forecast are the same on any day the suite
// runs. Also: an enterprise sees its own exporter only, a year without transfers says so, a past year shows reached
// or not without forecast, and a gateway without an archive shows the API's message. Screenshots go to
// <tmp>/xborder-console-reports/ for a person to look at.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createFixedClock } from '../../platform/clock.js';
import { createRedis } from '../../platform/redis.js';
import { createVolumeStore } from '../../registry/volume-store.js';
import { launchChromium, openConsole } from '../support/console-browser.js';
import { startHarness, type Harness } from '../integration/gateway/gateway-harness.js';
import {
  startArchivedGateway,
  type ArchivedGateway,
} from '../integration/registry/archive/fixtures/archived-gateway.js';
import {
  scriptedTransferEvents,
  type ScriptedTransfer,
} from '../integration/registry/archive/fixtures/scripted-transfer.js';

const A = '91450100MA5KDEM11G';
const B = '91451400MA5PDEM13W';
const names = { [A]: '广西北部湾跨境供应链有限公司', [B]: '南宁东盟支付服务有限公司' };
// 1 May 2026, 00:00 China time: 120 days of 2026 have passed.
const clock = createFixedClock(new Date('2026-04-30T16:00:00Z'));
const screens = path.join(os.tmpdir(), 'xborder-console-reports');

const scc = 'standard_contract';
const sa = 'security_assessment';
// The scripted transfers. The ytd figures are each exporter's exact year-to-date counts after the transfer; the
// report counts each transfer's rise. T1 arrives at 00:30 on 1 January 2026 China time (in 2026); T0 at 23:00 on
// 31 December 2025 (in 2025). T7 is blocked and counts nowhere.
const script: ScriptedTransfer[] = [
  ...[
    ['0', A, 'p-sg', 'SG', ['contact'], scc, 100, '2025-12-31T15:00:00Z', 2025, 10, 0],
    ['1', A, 'p-sg', 'SG', ['contact'], scc, 1200, '2025-12-31T16:30:00Z', 2026, 30_000, 1_000],
    ['2', A, 'p-vn', 'VN', ['contact', 'order'], scc, 3400, '2026-02-10T02:00:00Z', 2026, 45_000, 2_500],
    ['3', A, 'p-sg', 'SG', ['order'], scc, 800, '2026-03-20T02:00:00Z', 2026, 60_000, 4_000],
    ['4', A, 'p-my', 'MY', ['contact'], scc, 1000, '2026-04-25T02:00:00Z', 2026, 80_000, 4_000],
    ['5', B, 'p-sg', 'SG', ['payment'], sa, 500, '2026-02-28T02:00:00Z', 2026, 1_500, 0],
    ['6', B, 'p-sg', 'SG', ['payment'], sa, 700, '2026-04-02T02:00:00Z', 2026, 2_000, 0],
  ].map(
    ([n, exporter, partner, country, categories, tier, bytes, delivered, year, individuals, sensitive]) =>
      ({
        id: `01JR00000000000000000000R${String(n)}`,
        exporter,
        partner,
        country,
        categories,
        tier,
        bytes,
        delivered,
        ytd: { year, individuals, sensitive },
      }) as ScriptedTransfer,
  ),
  {
    id: '01JR00000000000000000000R7',
    exporter: B,
    partner: 'p-vn',
    country: 'VN',
    categories: ['payment'],
    tier: 'prohibited',
    delivered: null,
    stopped: { as: 'blocked', at: '2026-03-05T02:00:00Z', reason: 'R-BLK-CORE' },
  },
];

// By hand, 2026 (transfers, bytes, people, sensitive people). Rises: T1 30,000/1,000, T2 15,000/1,500,
// T3 15,000/1,500, T4 20,000/0; T5 1,500/0, T6 500/0.
const months = [30_000, 16_500, 15_000, 20_500, 0, 0, 0, 0, 0, 0, 0, 0];
const expected = {
  month: [
    ['1', '1,200', '30,000', '1,000'],
    ['2', '3,900', '16,500', '1,500'],
    ['1', '800', '15,000', '1,500'],
    ['2', '1,700', '20,500', '0'],
  ],
  partner: [
    ['p-my', '1', '1,000', '20,000', '0'],
    ['p-sg', '4', '3,200', '47,000', '2,500'],
    ['p-vn', '1', '3,400', '15,000', '1,500'],
  ],
  country: [
    ['MY', '1', '1,000', '20,000', '0'],
    ['SG', '4', '3,200', '47,000', '2,500'],
    ['VN', '1', '3,400', '15,000', '1,500'],
  ],
  tier: [
    [sa, '2', '1,200', '2,000', '0'],
    [scc, '4', '6,400', '80,000', '4,000'],
  ],
  category: [
    ['contact', '3', '5,600', '65,000', '2,500'],
    ['order', '2', '4,200', '30,000', '3,000'],
    ['payment', '2', '1,200', '2,000', '0'],
  ],
};
const words = {
  zh: {
    nav: '出境报告',
    months: ['1月', '2月', '3月', '4月'],
    group: {
      MY: '马来西亚 (MY)',
      SG: '新加坡 (SG)',
      VN: '越南 (VN)',
      [sa]: '安全评估',
      [scc]: '标准合同 / 认证',
    },
    totals: '全年合计：6 次传输，82,000 人，其中敏感个人信息 4,000 人。',
    forecast: (d: string) => `预计 ${d}`,
    notThisYear: '按当前速度今年内不会达到',
    noPace: '今年尚无出境',
    empty: '2024 年没有已送达的传输。',
  },
  en: {
    nav: 'Export reports',
    months: ['Jan', 'Feb', 'Mar', 'Apr'],
    group: {
      MY: 'Malaysia (MY)',
      SG: 'Singapore (SG)',
      VN: 'Viet Nam (VN)',
      [sa]: 'security assessment',
      [scc]: 'standard contract / certification',
    },
    totals: 'Year total: 6 transfers, 82,000 people, 4,000 of them with sensitive personal information.',
    forecast: (d: string) => `expected ${d}`,
    notThisYear: 'not this year at this pace',
    noPace: 'no exports yet this year',
    empty: 'No transfer was delivered in 2024.',
  },
};

describe('e2e: the console reports page in zh-CN and en (issue #18)', function () {
  this.timeout(240_000);
  let archived: ArchivedGateway;
  let browser: Browser;

  /** The console in `lang` at `url`, signed in with a pasted token. */
  async function open(url: string, lang: 'zh' | 'en', bearer: string) {
    const opened = await openConsole(browser, url, lang);
    await opened.page.locator('#token').fill(bearer);
    await opened.page.locator('main form button[type="submit"]').click();
    await opened.page.locator('#session .who').waitFor();
    return opened;
  }

  /** The cells of a report section's table body, one array per row. */
  const rowsOf = (page: Page, section: string) =>
    page.evaluate<string[][]>(
      `[...document.querySelectorAll('section[aria-labelledby="${section}"] tbody tr')].map((r) =>
        [...r.querySelectorAll('td')].map((c) => c.textContent.trim()))`,
    );

  before(async () => {
    mkdirSync(screens, { recursive: true });
    archived = await startArchivedGateway('console_reports', script.flatMap(scriptedTransferEvents), clock);
    const admin = await archived.harness.token('admin');
    for (const [id, name] of Object.entries(names)) {
      const put = await fetch(`${archived.harness.url}/v1/exporters/${id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, ciio: false, ftzArea: null }),
      });
      expect(put.status).to.equal(200);
    }
    // The gateway's live yearly count (Redis) as the workers would have left it after T1–T6: what the volume
    // endpoint, and so the progress and its forecast, read.
    const redis = createRedis(archived.harness.redisUrl);
    const volume = createVolumeStore(redis);
    const none = { individuals: 0, sensitive: 0 };
    await volume.commit(A, 'seed-a', { individuals: 80_000, sensitive: 4_000 }, none, clock.now());
    await volume.commit(B, 'seed-b', { individuals: 2_000, sensitive: 0 }, none, clock.now());
    await redis.quit();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await archived?.stop();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`${lang}: chart, tables and progress of 2026 as computed by hand; no console error`, async () => {
      const w = words[lang];
      const { page, errors } = await open(
        archived.harness.url,
        lang,
        await archived.harness.token('reviewer'),
      );
      await page.locator('#nav a', { hasText: w.nav }).click();
      await page.waitForURL(/#\/reports\/\d{4}$/);
      await page.goto(`${archived.harness.url}/console/#/reports/2026`);
      await page.locator('section[aria-labelledby="report-progress"] tbody tr').first().waitFor();
      await page.waitForFunction(
        "window.Chart !== undefined && window.Chart.getChart(document.getElementById('report-chart')) !== undefined",
      );
      expect(await page.locator('main .totals').innerText()).to.equal(w.totals);

      // The chart: Chart.js from the gateway, the twelve months' people, and pixels actually drawn.
      const chart = await page.evaluate(`(() => {
        const canvas = document.getElementById('report-chart');
        const chart = window.Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked += 1;
        return { labels: chart.data.labels, people: chart.data.datasets[0].data, width: canvas.width, inked };
      })()`);
      const drawn = chart as { labels: string[]; people: number[]; width: number; inked: number };
      expect(drawn.people).to.deep.equal(months);
      expect(drawn.labels.slice(0, 4)).to.deep.equal(w.months);
      expect(drawn.width).to.be.above(600);
      expect(drawn.inked).to.be.above(5_000);

      expect(await rowsOf(page, 'report-month')).to.deep.equal(
        expected.month.map((r, i) => [w.months[i] ?? '', ...r]),
      );
      for (const groupBy of ['partner', 'country', 'tier', 'category'] as const) {
        const label = (g: string) => (w.group as Record<string, string>)[g] ?? g;
        expect(await rowsOf(page, `report-${groupBy}`), groupBy).to.deep.equal(
          expected[groupBy].map(([g, ...r]) => [label(g ?? ''), ...r]),
        );
      }

      // Progress: A at 80,000 (4,000 sensitive) after 120 days crosses 100,000 after 150 days (31 May) and 10,000
      // sensitive after 300 (28 October); 1,000,000 would take 1,500 days. B at 2,000 reaches none this year.
      const progress = (await rowsOf(page, 'report-progress')).map((r) => [r[0], r[2], r[5]]);
      expect(progress).to.deep.equal([
        [`${names[A]} ${A}`, '80,000', w.forecast('2026-05-31')],
        ['', '80,000', w.notThisYear],
        ['', '4,000', w.forecast('2026-10-28')],
        [`${names[B]} ${B}`, '2,000', w.notThisYear],
        ['', '2,000', w.notThisYear],
        ['', '0', w.noPace],
      ]);
      const lines = (await rowsOf(page, 'report-progress')).map((r) => r[3]?.split(' ')[0]);
      expect(lines).to.deep.equal(['100,000', '1,000,000', '10,000', '100,000', '1,000,000', '10,000']);
      expect(await page.locator('main .closeness').count()).to.equal(6);
      // No raw closed value (snake_case tiers) anywhere on the page.
      expect(await page.locator('main').innerText()).not.to.match(/\b[a-z]+_[a-z_]+\b/);

      await page.screenshot({ path: path.join(screens, `reports-${lang}.png`), fullPage: true });
      await page.screenshot({ path: path.join(screens, `reports-${lang}-top.png`) });
      expect(errors, 'console errors').to.deep.equal([]);
      await page.context().close();
    });
  }

  it('an enterprise sees its own exporter only', async () => {
    const { page, errors } = await open(
      archived.harness.url,
      'zh',
      await archived.harness.token('enterprise', 'ent-b', B),
    );
    expect(await page.locator('#nav a').allTextContents()).to.deep.equal(['我的传输', '出境报告', '通知']);
    await page.goto(`${archived.harness.url}/console/#/reports/2026`);
    await page.locator('section[aria-labelledby="report-progress"] tbody tr').first().waitFor();
    expect(await rowsOf(page, 'report-partner')).to.deep.equal([['p-sg', '2', '1,200', '2,000', '0']]);
    const progress = await rowsOf(page, 'report-progress');
    expect(progress.map((r) => r[0])).to.deep.equal([B, '', '']);
    await page.screenshot({ path: path.join(screens, 'reports-enterprise-zh.png'), fullPage: true });
    expect(errors).to.deep.equal([]);
    await page.context().close();
  });

  it('en: a year without transfers says so; a past year shows reached or not, without forecast', async () => {
    const { page, errors } = await open(archived.harness.url, 'en', await archived.harness.token('reviewer'));
    await page.goto(`${archived.harness.url}/console/#/reports/2024`);
    await page.getByText(words.en.empty).waitFor();
    expect(await page.locator('#report-chart').count()).to.equal(0);
    await page.locator('main .year-nav a').last().click();
    await page.waitForURL(/#\/reports\/2025$/);
    await page.locator('section[aria-labelledby="report-progress"] tbody tr').first().waitFor();
    expect(await rowsOf(page, 'report-country')).to.deep.equal([['Singapore (SG)', '1', '100', '10', '0']]);
    const progress = (await rowsOf(page, 'report-progress')).map((r) => [r[2], r[5]]);
    expect(progress).to.deep.equal([
      ['10', 'not reached'],
      ['10', 'not reached'],
      ['0', 'not reached'],
    ]);
    expect(errors).to.deep.equal([]);
    await page.context().close();
  });

  it('zh and en: without an archive the page shows the API’s error, not a blank page', async () => {
    const plain: Harness = await startHarness({}, clock);
    try {
      for (const lang of ['zh', 'en'] as const) {
        const { page } = await open(plain.url, lang, await plain.token('reviewer'));
        await page.goto(`${plain.url}/console/#/reports/2026`);
        const error = page.locator('main p.error');
        await error.waitFor();
        const text = await error.innerText();
        expect(text).to.include('XBORDER_DATABASE_URL').and.include('ARCHIVE_UNAVAILABLE');
        expect(text).to.include(lang === 'zh' ? '归档库' : 'The archive');
        expect(await page.locator('main h1').innerText()).to.include('2026');
        await page.screenshot({ path: path.join(screens, `reports-unavailable-${lang}.png`) });
        await page.context().close();
      }
    } finally {
      await plain.stop();
    }
  });
});
