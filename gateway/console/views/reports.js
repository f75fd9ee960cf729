// console/views/reports: what was exported in one regulatory year (GET /v1/reports/exports, from the archive) —
// people and transfers per month as a chart, tables per recipient, country, route and data category — and each
// exporter's progress toward the yearly thresholds with the date it would cross each at this year's pace (GET
// /v1/exporters/:id/volume: the thresholds and the forecast are the gateway's; the console keeps neither). An
// enterprise sees its own exporter only: the gateway scopes both calls. The chart is Chart.js, served by the
// gateway itself (/console/vendor/chart.umd.min.js) and loaded only when this page is opened.
import { get, query } from '../api.js';
import { h, shareBar, table } from '../dom.js';
import { fmtNumber, getLang, t, term } from '../i18n.js';
import { exporterLabel, loadExporterNames, tierLabel } from './transfer-parts.js';

/** The tables under the chart, in this order. */
const tableGroupings = ['partner', 'country', 'tier', 'category'];

/** The year in China (the regulator's calendar) by this browser's clock: where #/reports without a year goes. */
function currentChinaYear() {
  return Number(
    new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
  );
}

let chartJs = null;

/** Chart.js's UMD build, added once as a same-origin script (the CSP allows 'self' only). */
function loadChartJs() {
  chartJs ??= new Promise((resolve, reject) => {
    const script = h('script', { src: 'vendor/chart.umd.min.js' });
    script.addEventListener('load', () => resolve(window.Chart));
    script.addEventListener('error', () => {
      chartJs = null;
      script.remove();
      reject(new Error('chart.umd.min.js'));
    });
    document.head.append(script);
  });
  return chartJs;
}

const report = (year, groupBy) => get(`/v1/reports/exports${query({ year, groupBy })}`);

export async function renderReports(target, ctx, yearText) {
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText ?? '')) {
    ctx.navigate(`#/reports/${currentChinaYear()}`);
    return;
  }
  const heading = h('h1', {}, t('reports.title', { year }));
  const yearNav = h(
    'nav',
    { class: 'year-nav', 'aria-label': t('reports.year') },
    h('a', { href: `#/reports/${year - 1}` }, `← ${t('reports.prev')} (${year - 1})`),
    h('a', { href: `#/reports/${year + 1}` }, `${t('reports.next')} (${year + 1}) →`),
  );
  let reports;
  try {
    const answers = await Promise.all(
      ['month', ...tableGroupings, 'exporter'].map((groupBy) => report(year, groupBy)),
    );
    reports = Object.fromEntries(answers.map((r) => [r.groupBy, r]));
  } catch (err) {
    // Most often the archive (PostgreSQL) is not configured or does not answer: say so, in the gateway's words.
    if (!ctx.stillCurrent()) return;
    target.replaceChildren(
      heading,
      yearNav,
      h('p', { class: 'error', role: 'alert' }, ctx.describeError(err)),
    );
    return;
  }
  const exporters = reports.exporter.rows
    .slice()
    .sort((a, b) => b.individuals - a.individuals)
    .map((r) => ({ id: r.group, individuals: r.individuals, sensitiveIndividuals: r.sensitiveIndividuals }));
  if (ctx.me.role === 'enterprise' && exporters.length === 0 && ctx.me.exporter !== null)
    exporters.push({ id: ctx.me.exporter, individuals: 0, sensitiveIndividuals: 0 });
  const [volumes] = await Promise.all([
    Promise.all(
      exporters.map((e) => get(`/v1/exporters/${encodeURIComponent(e.id)}/volume`).catch(() => null)),
    ),
    loadExporterNames(
      exporters.map((e) => e.id),
      ctx,
    ),
  ]);
  if (!ctx.stillCurrent()) return;

  const totals = reports.month.totals;
  const empty = totals.transfers === 0;
  target.replaceChildren(
    heading,
    yearNav,
    h('p', { class: 'lead' }, t('reports.intro')),
    empty
      ? h('p', { class: 'empty' }, t('reports.empty', { year }))
      : h(
          'p',
          { class: 'totals' },
          t('reports.totals', {
            transfers: fmtNumber(totals.transfers),
            individuals: fmtNumber(totals.individuals),
            sensitive: fmtNumber(totals.sensitiveIndividuals),
          }),
        ),
    empty ? null : monthSection(year, reports.month),
    empty
      ? null
      : h(
          'div',
          { class: 'report-grid' },
          tableGroupings.map((groupBy) => groupSection(groupBy, reports[groupBy])),
        ),
    progressSection(year, exporters, volumes),
  );
}

const section = (id, title, ...children) =>
  h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);

const countHeaders = () =>
  ['transfers', 'bytes', 'individuals', 'sensitive'].map((k) => t(`reports.col.${k}`));
const countCells = (r) =>
  [r.transfers, r.bytes, r.individuals, r.sensitiveIndividuals].map((n) => fmtNumber(n));

/** A month "2026-03" in words: 2026年3月 / Mar 2026. */
function monthName(year, month) {
  return new Intl.DateTimeFormat(getLang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    month: 'short',
  }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** A group value in words: tiers and countries from the vocabulary, "(unknown)"/"(none)" for missing values. */
function groupLabel(groupBy, value) {
  if (value === '(unknown)') return t('reports.unknown');
  if (value === '(none)') return t('reports.none');
  if (groupBy === 'tier') return tierLabel(value);
  if (groupBy === 'country') return `${term('country', value)} (${value})`;
  return h('span', { class: 'mono' }, value);
}

function groupSection(groupBy, answer) {
  const title = t(`reports.by.${groupBy}`);
  return section(
    `report-${groupBy}`,
    title,
    groupBy === 'category' ? h('p', { class: 'hint' }, t('reports.categoryNote')) : null,
    table(
      title,
      [t(`reports.col.${groupBy}`), ...countHeaders()],
      answer.rows.map((r) => [groupLabel(groupBy, r.group), ...countCells(r)]),
      undefined,
      { hideCaption: true },
    ),
  );
}

/** The twelve months as a chart (people, sensitive people, transfers) with the same figures as a table below. */
function monthSection(year, answer) {
  const byMonth = new Map(answer.rows.map((r) => [Number(r.group.slice(5, 7)), r]));
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const value = (m, field) => byMonth.get(m)?.[field] ?? 0;
  const canvas = h('canvas', {
    id: 'report-chart',
    role: 'img',
    'aria-label': t('reports.chartLabel', { year }),
  });
  const box = h('div', { class: 'chart-box' }, canvas);
  const title = t('reports.by.month');
  void loadChartJs().then(
    (Chart) => {
      const ink = window.getComputedStyle(document.body);
      Chart.defaults.font.family = ink.fontFamily;
      Chart.defaults.color = ink.color;
      new Chart(canvas, {
        data: {
          labels: months.map((m) => monthName(year, m)),
          datasets: [
            {
              type: 'bar',
              label: t('reports.col.individuals'),
              data: months.map((m) => value(m, 'individuals')),
              backgroundColor: '#0b4f8a',
              yAxisID: 'people',
            },
            {
              type: 'bar',
              label: t('reports.col.sensitive'),
              data: months.map((m) => value(m, 'sensitiveIndividuals')),
              backgroundColor: '#b26a00',
              yAxisID: 'people',
            },
            {
              type: 'line',
              label: t('reports.col.transfers'),
              data: months.map((m) => value(m, 'transfers')),
              borderColor: '#1b6b34',
              backgroundColor: '#1b6b34',
              yAxisID: 'transfers',
            },
          ],
        },
        options: {
          // Drawn at once: nothing moves under a reader, and screenshots show the final chart.
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: getLang() === 'zh' ? 'zh-CN' : 'en-GB',
          scales: {
            people: {
              position: 'left',
              beginAtZero: true,
              title: { display: true, text: t('reports.axis.people') },
            },
            transfers: {
              position: 'right',
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              ticks: { precision: 0 },
              title: { display: true, text: t('reports.col.transfers') },
            },
          },
        },
      });
    },
    () => box.replaceChildren(h('p', { class: 'empty' }, t('reports.chartUnavailable'))),
  );
  return section(
    'report-month',
    title,
    box,
    table(
      title,
      [t('reports.col.month'), ...countHeaders()],
      answer.rows.map((r) => [monthName(year, Number(r.group.slice(5, 7))), ...countCells(r)]),
      undefined,
      { hideCaption: true },
    ),
  );
}

/**
 * Each exporter against the three lines the gateway's forecast names (100,000 and 1,000,000 individuals, 10,000
 * sensitive; the numbers come with the answer). The current year shows the gateway's count now and its forecast;
 * a past year the archive's count for the whole year, reached or not; a future year nothing yet.
 */
function progressSection(year, exporters, volumes) {
  const title = t('reports.progress');
  const thisYear = volumes.find((v) => v !== null)?.year;
  if (thisYear === undefined || year > thisYear)
    return section(
      'report-progress',
      title,
      h('p', { class: 'empty' }, exporters.length === 0 ? t('reports.noExporters') : t('volume.unavailable')),
    );
  const current = year === thisYear;
  const rows = exporters.flatMap((exporter, i) => {
    const volume = volumes[i];
    if (volume === null) return [];
    const counts = current ? volume : exporter;
    const crossings = current
      ? volume.forecast.crossings
      : [
          ['individuals', volume.thresholds.nonSensitive.standardContract],
          ['individuals', volume.thresholds.nonSensitive.securityAssessment],
          ['sensitiveIndividuals', volume.thresholds.sensitive.securityAssessment],
        ].map(([measure, line]) => ({
          measure,
          line,
          status: counts[measure] >= line ? 'reached' : 'not_reached',
          date: null,
        }));
    return crossings.map((c, j) => {
      const label = t(c.measure === 'individuals' ? 'volume.nonSensitive' : 'volume.sensitive');
      const count = counts[c.measure];
      const route =
        c.measure === 'individuals' && c.line === volume.thresholds.nonSensitive.standardContract
          ? 'standard_contract'
          : 'security_assessment';
      return [
        j === 0 ? exporterLabel(exporter.id) : '',
        label,
        fmtNumber(count),
        h('span', {}, fmtNumber(c.line), ' ', h('span', { class: 'hint' }, `(${t(`tier.${route}`)})`)),
        shareBar(
          c.line > 0 ? count / c.line : 1,
          count >= c.line ? 'over' : 'under',
          t('reports.meter', { label, line: fmtNumber(c.line) }),
        ),
        h(
          'span',
          { class: `crossing crossing-${c.status}` },
          t(`crossing.${c.status}`, { date: c.date ?? '' }),
        ),
      ];
    });
  });
  return section(
    'report-progress',
    title,
    h('p', { class: 'hint' }, t(current ? 'reports.progressIntro' : 'reports.progressPast', { year })),
    table(
      title,
      ['exporter', 'measure', 'count', 'line', 'progress', 'crossing'].map((k) => t(`reports.col.${k}`)),
      rows,
      t('reports.noExporters'),
      { hideCaption: true },
    ),
  );
}
