// dashboards/ as code: promtool accepts the rules, their unit tests and the scrape config; every metric a dashboard
// panel or a rule reads is one the gateway's or the workers' /metrics really exports (or a recording rule's output);
// and the dashboard answers each question of the ops issue with a panel on the metric behind it. "Exports" means a
// fresh process, before any transfer, already has a sample of it (labelled counters start at zero).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfig } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { createArchiverMetrics } from '../../platform/metrics.js';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.js';
import { startHarness, type Harness } from './gateway/gateway-harness.js';

const run = promisify(execFile);
const dir = path.resolve('dashboards');
const ruleFiles = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => path.join(dir, f));
const dashboardFiles = readdirSync(path.join(dir, 'grafana', 'dashboards')).map((f) =>
  path.join(dir, 'grafana', 'dashboards', f),
);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
const rules: Rule[] = ruleFiles.flatMap((file) =>
  (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
);

interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string }[];
}
const dashboards = dashboardFiles.map(
  (file) => JSON.parse(readFileSync(file, 'utf8')) as { uid: string; title: string; panels: Panel[] },
);
const panelExprs = dashboards.flatMap((d) =>
  d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.title} / ${p.title}`, expr: t.expr }))),
);

/** Metric names (xborder_…) and recording-rule names (xborder:…) an expression reads. */
function namesIn(expr: string): string[] {
  return [...expr.matchAll(/\bxborder[_:][a-zA-Z0-9_:]+/g)].map((m) => m[0]);
}

/**
 * Every series name a fresh /metrics text has at least one sample of (a TYPE line alone is not a series Prometheus
 * stores: a counter whose labels never occurred is absent, and `rate()`/`absent()` over it see nothing; issue 15).
 */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>(openLabelled(text));
  for (const [, name] of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? \S+$/gm))
    if (name !== undefined) names.add(name);
  return names;
}

/**
 * Series whose labels are not known before first use — an endpoint registered later, a route with the status it
 * answered — appear at their first event; only their declaration (TYPE line) can be checked on a fresh process.
 */
const openLabelSets = [
  'xborder_delivery_bytes_total',
  'xborder_delivery_attempts_total',
  'xborder_http_requests_total',
  'xborder_http_request_duration_seconds',
];
function openLabelled(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
    name === undefined || !openLabelSets.includes(name)
      ? []
      : type === 'histogram'
        ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`]
        : [name],
  );
}

describe('dashboards/', function () {
  this.timeout(60_000);

  describe('promtool', () => {
    let promtool: string | null = null;
    before(async function () {
      try {
        await run('promtool', ['--version']);
        promtool = 'promtool';
      } catch {
        // Debian: apt-get install prometheus (.ci/run installs it).
        console.log('      promtool not on PATH: skipping (Debian: apt-get install prometheus)');
        this.skip();
      }
    });

    it('accepts every rule file (promtool check rules dashboards/*.yml)', async () => {
      const { stdout } = await run(promtool ?? 'promtool', ['check', 'rules', ...ruleFiles]);
      expect(stdout).to.include('SUCCESS');
    });

    it('passes the alert rules unit tests (promtool test rules dashboards/tests/*.yml)', async () => {
      const tests = readdirSync(path.join(dir, 'tests')).map((f) => path.join(dir, 'tests', f));
      const { stdout } = await run(promtool ?? 'promtool', ['test', 'rules', ...tests]);
      expect(stdout).to.include('SUCCESS');
    });

    it('accepts the scrape config and the rule files it names', async () => {
      const { stdout } = await run(promtool ?? 'promtool', [
        'check',
        'config',
        path.join(dir, 'prometheus', 'prometheus.yaml'),
      ]);
      expect(stdout).to.include('is valid prometheus config file syntax');
      expect(stdout).to.include('2 rule files found');
    });
  });

  describe('metric names', () => {
    let harness: Harness;
    let workers: RunningWorkers;
    let exported: Set<string>;
    let fresh: string;

    before(async () => {
      harness = await startHarness();
      const config = loadConfig({
        XBORDER_REDIS_URL: harness.redisUrl,
        XBORDER_DATA_DIR: harness.dataDir,
        XBORDER_POLICY_DIR: path.resolve('policies'),
      });
      workers = await startWorkers(config, {
        clock: systemClock,
        logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
        metricsPort: 0,
      });
      const gatewayText = await (await fetch(`${harness.url}/metrics`)).text();
      const workersText = await (await fetch(`http://127.0.0.1:${workers.metricsPort}/metrics`)).text();
      // `xborder archiver` serves its own /metrics (the archive lag); a fresh registry has the same series.
      const archiverText = await createArchiverMetrics({ defaultMetrics: false }).registry.metrics();
      exported = new Set([
        ...exportedNames(gatewayText),
        ...exportedNames(workersText),
        ...exportedNames(archiverText),
      ]);
      fresh = `${gatewayText}\n${workersText}`;
      for (const rule of rules) if (rule.record !== undefined) exported.add(rule.record);
    });

    after(async () => {
      await workers?.close();
      await harness?.stop();
    });

    it('finds the names it checks (the scrape and the files are not empty)', () => {
      expect(exported.has('xborder_transfers_submitted_total')).to.equal(true);
      expect(rules.length).to.be.greaterThan(10);
      expect(panelExprs.length).to.be.greaterThan(20);
    });

    it('every metric a dashboard panel reads is exported by the gateway or the workers, or recorded by a rule', () => {
      const missing = panelExprs.flatMap(({ where, expr }) =>
        namesIn(expr)
          .filter((n) => !exported.has(n))
          .map((n) => `${where}: ${n}`),
      );
      expect(missing).to.deep.equal([]);
    });

    it('every metric an alert or recording rule reads is exported, or recorded by a rule', () => {
      const missing = rules.flatMap((r) =>
        namesIn(r.expr)
          .filter((n) => !exported.has(n))
          .map((n) => `${r.alert ?? r.record ?? '?'}: ${n}`),
      );
      expect(missing).to.deep.equal([]);
    });

    it('a fresh process has every known label set at zero: checks by result and reason, detectors, tiers', () => {
      const text = fresh;
      expect(text).to.match(/^xborder_check_results_total\{check="filing",result="fail"\} 0$/m);
      expect(text).to.match(
        /^xborder_check_failures_total\{check="attestation",reason="R-EVID-ATTESTATION-REVOKED"\} 0$/m,
      );
      expect(text).to.match(/^xborder_inspection_findings_total\{detector="resident_id"\} 0$/m);
      expect(text).to.match(
        /^xborder_transfers_submitted_total\{business_type="supply_chain",tier="manual_review"\} 0$/m,
      );
      expect(text).to.match(/^xborder_transfers_finished_total\{status="delivery_failed"\} 0$/m);
    });

    it('the operational gauges read live values at scrape time (Redis up, nothing held, checkpoint age)', async () => {
      const text = await (await fetch(`${harness.url}/metrics`)).text();
      expect(text).to.match(/^xborder_redis_up 1$/m);
      expect(text).to.match(/^xborder_transfers_held 0$/m);
      expect(text).to.match(/^xborder_transfers_held_oldest_seconds 0$/m);
      expect(text).to.match(/^xborder_ledger_checkpoint_age_seconds \d/m);
      const workersText = await (await fetch(`http://127.0.0.1:${workers.metricsPort}/metrics`)).text();
      expect(workersText).to.match(/^xborder_redis_up 1$/m);
      expect(workersText).to.match(/^xborder_queue_jobs\{queue="xborder-checks",state="waiting"\} 0$/m);
    });
  });

  describe('the overview dashboard', () => {
    const all = panelExprs.map((p) => p.expr).join('\n');
    const questions: [string, RegExp][] = [
      ['transfers per second by tier and business type', /xborder_transfers_submitted_total/],
      ['released, held, blocked, rejected', /xborder_transfers_finished_total[\s\S]*xborder:transfers_held/],
      ['submit-to-release latency p50/p95/p99', /xborder:submit_to_release_seconds:p99/],
      ['queue depth per queue and state', /xborder:queue_jobs:max/],
      ['stage durations', /xborder_stage_duration_seconds_bucket/],
      ['check failures by reason', /xborder_check_failures_total/],
      [
        'delivery bytes and failures per endpoint',
        /xborder_delivery_bytes_total[\s\S]*xborder_delivery_attempts_total/,
      ],
      [
        'inspection throughput and findings',
        /xborder_inspection_bytes_total[\s\S]*xborder_inspection_findings_total/,
      ],
      ['the held backlog and its age', /xborder:transfers_held_oldest_seconds:max/],
      ['filings expiring', /xborder_filings_expiring/],
      [
        'ledger size and checkpoint age',
        /xborder:ledger_entries:max[\s\S]*xborder_ledger_checkpoint_age_seconds/,
      ],
    ];
    for (const [question, pattern] of questions)
      it(`answers: ${question}`, () => expect(all).to.match(pattern));

    it('names the provisioned datasource on every panel, with unique ids and a layout inside 24 columns', () => {
      const provisioned = parse(
        readFileSync(path.join(dir, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'), 'utf8'),
      ) as { datasources: { uid: string }[] };
      const uid = provisioned.datasources[0]?.uid;
      for (const d of dashboards) {
        const ids = d.panels.map((p) => p.id);
        expect(new Set(ids).size, `${d.title}: panel ids`).to.equal(ids.length);
        for (const p of d.panels) {
          expect(p.gridPos.x + p.gridPos.w, `${p.title}: width`).to.be.at.most(24);
          if (p.type !== 'row') expect(p.datasource?.uid, `${p.title}: datasource`).to.equal(uid);
        }
      }
    });
  });
});
