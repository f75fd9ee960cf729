// The route-by-role access table (api.md §3): every route the gateway registers, called with no token and as
// each role — an enterprise on its own exporter's records and on another's — against one table of expected
// statuses. The table must name every route in Express's router stack, so a new route without a row fails.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createDevPki, devPkiPaths } from '../../../certs/dev-pki.js';
import { mintToken, type TokenRole } from '../../../certs/token.js';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.js';
import { loadConfig } from '../../../platform/config.js';
import { systemClock } from '../../../platform/clock.js';
import { createLogger } from '../../../platform/logger.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';
import { routeManifest } from './gateway-harness.js';
import { chinaDate } from '../../support/china-time.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';

const callers = ['none', 'own', 'other', 'reviewer', 'ops', 'admin'] as const;
type Caller = (typeof callers)[number];
/** Expected status per caller: `own`/`other` are enterprise tokens for the records' exporter and another one. */
type Expected = Readonly<Record<Caller, number>>;

/** Everyone authenticated gets the same answer. */
const anyRole = (status: number): Expected => ({
  none: 401,
  own: status,
  other: status,
  reviewer: status,
  ops: status,
  admin: status,
});
const publicRoute = (status: number): Expected => ({
  none: status,
  own: status,
  other: status,
  reviewer: status,
  ops: status,
  admin: status,
});
/** Only the named roles pass the role check; everyone else is 403 (no token: 401). */
function only(allowed: Partial<Record<Exclude<Caller, 'none'>, number>>): Expected {
  return {
    none: 401,
    own: allowed.own ?? 403,
    other: allowed.other ?? 403,
    reviewer: allowed.reviewer ?? 403,
    ops: allowed.ops ?? 403,
    admin: allowed.admin ?? 403,
  };
}
/** Every role reads; an enterprise only its own exporter's (another's is 404, api.md §3). */
const readScoped = (status: number): Expected => ({ ...anyRole(status), other: 404 });

interface Row {
  /** As registered in Express. */
  readonly route: string;
  /** What to call: the concrete path (and query) and body. */
  readonly url: string | (() => string);
  readonly body?: () => unknown;
  readonly multipart?: () => FormData;
  readonly expect: Expected;
}

describe('gateway access table: every route × every role (api.md §3)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dataDir: string;
  let gateway: RunningGateway;
  const bearer: Partial<Record<Caller, string>> = {};
  let heldId = '';

  const manifest = () => routeManifest(exporter);
  const upload = () => {
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest()));
    form.append('payload', new Blob([Buffer.from('sku,qty\nA,1\n')]), 'payload');
    return form;
  };
  const filing = {
    kind: 'standard_contract',
    exporterId: exporter,
    partnerIds: ['p-sg'],
    dataCategories: ['inventory'],
    purposes: ['planning'],
    maxIndividuals: 10,
    maxSensitiveIndividuals: 0,
    validFrom: chinaDate(-30),
    validUntil: chinaDate(700),
    status: 'active',
  };
  const selfAssessment = {
    exporterId: exporter,
    kind: 'pipia',
    completedOn: '2026-01-05',
    reportSha256: 'a'.repeat(64),
    scope: { partnerIds: ['p-sg'], dataCategories: ['inventory'], purposes: ['planning'], businessTypes: [] },
  };

  const table: readonly Row[] = [
    { route: 'GET /healthz', url: '/healthz', expect: publicRoute(200) },
    { route: 'GET /readyz', url: '/readyz', expect: publicRoute(200) },
    { route: 'GET /metrics', url: '/metrics', expect: publicRoute(200) },
    { route: 'GET /', url: '/', expect: publicRoute(302) },
    { route: 'GET /console/vocabulary.json', url: '/console/vocabulary.json', expect: publicRoute(200) },
    {
      route: 'GET /console/vendor/chart.umd.min.js',
      url: '/console/vendor/chart.umd.min.js',
      expect: publicRoute(200),
    },
    { route: 'GET /v1/me', url: '/v1/me', expect: anyRole(200) },
    // An enterprise token for another exporter may not submit this exporter's manifest.
    {
      route: 'POST /v1/transfers',
      url: '/v1/transfers',
      multipart: upload,
      expect: only({ own: 202, other: 403 }),
    },
    { route: 'GET /v1/transfers', url: '/v1/transfers', expect: anyRole(200) },
    { route: 'GET /v1/transfers/:id', url: () => `/v1/transfers/${heldId}`, expect: readScoped(200) },
    {
      route: 'POST /v1/transfers/:id/decision',
      url: () => `/v1/transfers/${heldId}/decision`,
      body: () => ({ decision: 'approve', comment: 'access table' }),
      expect: only({ reviewer: 200 }),
    },
    // Ops pass the role check; the held transfer is not delivery_failed, so 409 INVALID_STATE.
    {
      route: 'POST /v1/transfers/:id/retry',
      url: () => `/v1/transfers/${heldId}/retry`,
      expect: only({ ops: 409 }),
    },
    // Not released, so no receipt for anyone; another exporter's is 404 before anything else.
    {
      route: 'GET /v1/transfers/:id/receipt',
      url: () => `/v1/transfers/${heldId}/receipt`,
      expect: anyRole(404),
    },
    {
      route: 'GET /v1/transfers/:id/evidence',
      url: () => `/v1/transfers/${heldId}/evidence`,
      expect: readScoped(200),
    },
    {
      route: 'GET /v1/exporters/:id/volume',
      url: `/v1/exporters/${exporter}/volume`,
      expect: readScoped(200),
    },
    // No archive in this harness: past the role and scope checks, 503 ARCHIVE_UNAVAILABLE (api.md §10).
    {
      route: 'GET /v1/reports/exports',
      url: `/v1/reports/exports?year=2026&groupBy=exporter&exporterId=${exporter}`,
      expect: readScoped(503),
    },
    // Reviewers only (api.md §10); no archive here, so past the role check: 503 ARCHIVE_UNAVAILABLE.
    {
      route: 'GET /v1/audit-bundles',
      url: `/v1/audit-bundles?exporterId=${exporter}&from=2026-01-01&to=2026-12-31`,
      expect: only({ reviewer: 503 }),
    },
    {
      route: 'GET /v1/exporters/:id/filing-pack',
      url: `/v1/exporters/${exporter}/filing-pack?kind=standard_contract`,
      expect: only({ own: 503, other: 404, reviewer: 503 }),
    },
    { route: 'GET /v1/ops/queues', url: '/v1/ops/queues', expect: only({ ops: 200, admin: 200 }) },
    {
      route: 'POST /v1/classify',
      url: '/v1/classify',
      body: () => manifest(),
      expect: { ...anyRole(200), other: 403 },
    },
    {
      route: 'PUT /v1/exporters/:id',
      url: `/v1/exporters/${exporter}`,
      body: () => ({ name: 'E', ciio: false, ftzArea: null }),
      expect: only({ admin: 200 }),
    },
    {
      route: 'PUT /v1/partners/:id',
      url: '/v1/partners/p-sg',
      body: () => ({ name: 'P', country: 'SG', role: 'processor' }),
      expect: only({ admin: 200 }),
    },
    {
      route: 'PUT /v1/endpoints/:id',
      url: '/v1/endpoints/e-sg',
      body: () => ({ partnerId: 'p-sg', url: 'https://localhost:1', country: 'SG' }),
      expect: only({ admin: 200 }),
    },
    {
      route: 'PUT /v1/filings/:id',
      url: '/v1/filings/F-1',
      body: () => filing,
      expect: only({ reviewer: 200, admin: 200 }),
    },
    { route: 'GET /v1/filings', url: '/v1/filings', expect: only({ reviewer: 200, ops: 200, admin: 200 }) },
    {
      route: 'PUT /v1/self-assessments/:id',
      url: '/v1/self-assessments/sa-1',
      body: () => selfAssessment,
      expect: only({ own: 200, other: 404 }),
    },
    // Allowed roles reach verification, which refuses this JWS (422 EVIDENCE_INVALID).
    {
      route: 'POST /v1/attestations',
      url: '/v1/attestations',
      body: () => ({ jws: 'a.b.c' }),
      expect: only({ own: 422, other: 422, admin: 422 }),
    },
    {
      route: 'POST /v1/revocations',
      url: '/v1/revocations',
      body: () => ({ certificateSha256: 'f'.repeat(64), reason: 'key compromise' }),
      expect: only({ admin: 201 }),
    },
    {
      route: 'GET /v1/exporters/:id',
      url: `/v1/exporters/${exporter}`,
      expect: only({ reviewer: 200, ops: 200, admin: 200 }),
    },
    {
      route: 'GET /v1/partners/:id',
      url: '/v1/partners/p-sg',
      expect: only({ reviewer: 200, ops: 200, admin: 200 }),
    },
    {
      route: 'GET /v1/endpoints/:id',
      url: '/v1/endpoints/e-sg',
      expect: only({ reviewer: 200, ops: 200, admin: 200 }),
    },
    {
      route: 'GET /v1/filings/:id',
      url: '/v1/filings/F-1',
      expect: only({ reviewer: 200, ops: 200, admin: 200 }),
    },
    // Created by its exporter; another exporter cannot see it (404); a reviewer may not take it over (409); an
    // admin may change any subscription (keeping its owner); ops only read.
    {
      route: 'PUT /v1/webhooks/:id',
      url: '/v1/webhooks/wh-own',
      body: () => ({ url: 'https://localhost:1/hook', events: ['transfer.held'] }),
      expect: only({ own: 201, other: 404, reviewer: 409, admin: 200 }),
    },
    { route: 'GET /v1/webhooks', url: '/v1/webhooks', expect: anyRole(200) },
    { route: 'GET /v1/webhooks/:id', url: '/v1/webhooks/wh-own', expect: readScoped(200) },
    {
      route: 'GET /v1/webhooks/:id/deliveries',
      url: '/v1/webhooks/wh-own/deliveries',
      expect: readScoped(200),
    },
    // Its exporter deletes it first; afterwards it is gone for everyone.
    {
      route: 'DELETE /v1/webhooks/:id',
      url: '/v1/webhooks/wh-del',
      expect: only({ own: 204, other: 404, reviewer: 404, admin: 404 }),
    },
    { route: 'GET /v1/incidents', url: '/v1/incidents', expect: anyRole(200) },
    { route: 'GET /v1/reviews/overdue', url: '/v1/reviews/overdue', expect: anyRole(200) },
    { route: 'GET /v1/incidents/:id', url: '/v1/incidents/inc-none', expect: anyRole(404) },
    { route: 'GET /v1/ledger/checkpoint', url: '/v1/ledger/checkpoint', expect: anyRole(200) },
    // Ledger entries name exporters: CAC and ops roles only.
    {
      route: 'GET /v1/ledger/entries/:index',
      url: '/v1/ledger/entries/0',
      expect: only({ reviewer: 200, ops: 200, admin: 200 }),
    },
    { route: 'GET /v1/ledger/proof', url: '/v1/ledger/proof?index=0', expect: anyRole(200) },
    { route: 'GET /v1/ledger/consistency', url: '/v1/ledger/consistency?from=1', expect: anyRole(200) },
  ];

  async function token(role: TokenRole, sub: string, exporterId?: string): Promise<string> {
    const key = readFileSync(devPkiPaths(path.join(dataDir, 'pki')).issuerKey, 'utf8');
    return mintToken(
      { role, sub, ttlSeconds: 600, ...(exporterId === undefined ? {} : { exporter: exporterId }) },
      key,
      { issuer: 'xborder-dev', audience: 'xborder', now: new Date() },
    );
  }

  async function send(row: Row, caller: Caller): Promise<number> {
    const [method = 'GET'] = row.route.split(' ');
    const url = typeof row.url === 'function' ? row.url() : row.url;
    const headers: Record<string, string> = {};
    const auth = bearer[caller];
    if (auth !== undefined) headers['Authorization'] = `Bearer ${auth}`;
    let body: FormData | string | undefined;
    if (row.multipart !== undefined) body = row.multipart();
    else if (row.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(row.body());
    }
    const response = await fetch(`${gateway.url}${url}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  before(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-access-'));
    await createDevPki(path.join(dataDir, 'pki'));
    gateway = await startGateway(
      loadConfig({
        XBORDER_REDIS_URL: redis.url,
        XBORDER_DATA_DIR: dataDir,
        XBORDER_HTTP_PORT: '0',
        XBORDER_POLICY_DIR: path.resolve('policies'),
        // The endpoint bodies name https://localhost:1: loopback must be allowed (api.md §2).
        XBORDER_ENDPOINT_ALLOWED_NETS: '127.0.0.0/8,::1/128',
      }),
      { clock: systemClock, logger: createLogger({ level: 'error', name: 'test', write: () => undefined }) },
    );
    bearer.own = await token('enterprise', 'ent-own', exporter);
    bearer.other = await token('enterprise', 'ent-other', otherExporter);
    bearer.reviewer = await token('reviewer', 'rev-1');
    bearer.ops = await token('ops', 'ops-1');
    bearer.admin = await token('admin', 'admin-1');
    const admin = (url: string, body: unknown) =>
      fetch(`${gateway.url}${url}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${bearer.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const id of [exporter, otherExporter])
      expect((await admin(`/v1/exporters/${id}`, { name: 'E', ciio: false, ftzArea: null })).status).to.equal(
        200,
      );
    await admin('/v1/partners/p-sg', { name: 'P', country: 'SG', role: 'processor' });
    await admin('/v1/endpoints/e-sg', { partnerId: 'p-sg', url: 'https://localhost:1', country: 'SG' });
    await admin('/v1/filings/F-1', filing);
    const subscribed = await fetch(`${gateway.url}/v1/webhooks/wh-del`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bearer.own}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'https://localhost:1/hook', events: ['transfer.held'] }),
    });
    expect(subscribed.status).to.equal(201);
    // A transfer held at once (suspected important data → manual review), owned by `exporter`.
    const form = new FormData();
    form.append('manifest', JSON.stringify({ ...manifest(), importantDataSuspected: true }));
    form.append('payload', new Blob([Buffer.from('sku\nA\n')]), 'payload');
    const submitted = await fetch(`${gateway.url}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer.own}` },
      body: form,
    });
    const answer = (await submitted.json()) as { id: string; status: string };
    expect(answer.status).to.equal('held');
    heldId = answer.id;
  });

  after(async () => {
    await gateway?.close();
    await redis?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has one row for every route registered in Express, and no row for a route that does not exist', () => {
    const registered = registeredRoutes(gateway.app);
    const rows = table.map((row) => row.route);
    expect(new Set(rows).size, 'duplicate rows').to.equal(rows.length);
    expect(
      [...registered].filter((r) => !rows.includes(r)),
      'routes without a row',
    ).to.deep.equal([]);
    expect(
      rows.filter((r) => !registered.has(r)),
      'rows without a route',
    ).to.deep.equal([]);
  });

  for (const row of table) {
    it(`${row.route}: ${callers.map((c) => `${c} ${row.expect[c]}`).join(', ')}`, async () => {
      const got: Record<string, number> = {};
      for (const caller of callers) got[caller] = await send(row, caller);
      expect(got).to.deep.equal({ ...row.expect });
    });
  }

  it('serves the console’s static files without a token, and nothing outside its folder', async () => {
    for (const file of [
      '/console/',
      '/console/app.js',
      '/console/console.css',
      '/console/views/transfer-detail.js',
    ])
      expect((await fetch(`${gateway.url}${file}`)).status, file).to.equal(200);
    expect((await fetch(`${gateway.url}/console/../package.json`)).status).to.equal(404);
    expect((await fetch(`${gateway.url}/console/%2e%2e/%2e%2e/package.json`)).status).to.be.within(400, 404);
  });
});

/** "METHOD /path" of every route in the app's router stack, routers mounted at the root included. */
function registeredRoutes(app: Express): Set<string> {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const out = new Set<string>();
  const walk = (stack: readonly Layer[]) => {
    for (const layer of stack) {
      if (layer.route !== undefined)
        for (const method of Object.keys(layer.route.methods))
          out.add(`${method.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack !== undefined) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
