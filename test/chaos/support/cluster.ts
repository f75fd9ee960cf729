// test/chaos/support/cluster: a whole xborder deployment on one machine for chaos tests and benchmarks — a
// private redis-server, a development PKI, gateway, workers and receiver as real processes (built dist/), and
// the registry records an `exempt` transfer needs. Roles can be killed (-9), paused and restarted one by one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signAttestation } from '../../../certs/attestation.js';
import { devPkiPaths } from '../../../certs/dev-pki.js';
import { mintToken, type TokenRole } from '../../../certs/token.js';
import { runCli, startProcess, waitForPort, type RunningProcess } from '../../support/processes.js';
import { freePort, startRedisServer, type TestRedis } from '../../support/redis-server.js';

export const exporter = '91450100MA5KDEM11G';
export const partner = 'partner-sg-chaos';
export const endpoint = 'endpoint-sg-chaos';
const purpose = 'order fulfilment and delivery';

export type Role = 'receiver' | 'workers' | 'gateway';
const roles: readonly Role[] = ['receiver', 'workers', 'gateway'];

export interface ClusterOptions {
  /** Redis with AOF and `appendfsync always` (the Redis crash test). */
  readonly appendonly?: boolean;
  /** Extra XBORDER_* variables for every process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Roles to leave stopped at start (a test may run its own receiver, for instance). */
  readonly skip?: readonly Role[];
  /** Endpoint URL to register instead of the reference receiver's. */
  readonly endpointUrl?: string;
  /** Node options for the role processes (benchmarks profile with --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

export interface TransferView {
  readonly id: string;
  readonly status: string;
  readonly createdAt: string;
  readonly statusSince: string;
  readonly release: { readonly at: string } | null;
  readonly receipt: { readonly jws: string } | null;
  readonly deliveryAttempts: readonly { readonly outcome: string; readonly at: string }[];
  readonly inspection: { readonly sha256: string; readonly bytes: number };
  readonly holdReasons: readonly { readonly code: string }[];
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface Cluster {
  readonly redis: TestRedis;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly gatewayUrl: string;
  readonly ports: Readonly<Record<Role, number>>;
  /** Where the reference receiver keeps deliveries: `<id>.bin` and `<id>.json` (the receipt). */
  readonly deliveriesDir: string;
  readonly payloadsDir: string;
  process(role: Role): RunningProcess;
  start(role: Role): Promise<RunningProcess>;
  stop(role: Role): Promise<void>;
  kill9(role: Role): Promise<void>;
  token(role: TokenRole, sub: string, exporterId?: string): Promise<string>;
  call<T = unknown>(method: string, url: string, bearer: string, body?: unknown): Promise<Answer<T>>;
  /** The `exempt` manifest (contract necessity, art. 5(1)) with both of its checks' evidence registered. */
  exemptManifest(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** A transfer, or null (404). */
  transfer(id: string): Promise<TransferView | null>;
  /** Polls until the transfer reaches one of `statuses`; throws with the processes' output after `timeoutMs`. */
  settle(id: string, statuses?: readonly string[], timeoutMs?: number): Promise<TransferView>;
  /** Every transfer id of the exporter, newest first. */
  listIds(): Promise<string[]>;
  /** The processes' recent output, for a failure message. */
  output(): string;
  close(): Promise<void>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const redis = await startRedisServer({ appendonly: options.appendonly ?? false });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-chaos-'));
  const ports: Record<Role, number> = {
    gateway: await freePort(),
    workers: await freePort(),
    receiver: await freePort(),
  };
  const env: Record<string, string> = {
    XBORDER_REDIS_URL: redis.url,
    XBORDER_DATA_DIR: dataDir,
    XBORDER_POLICY_DIR: path.resolve('policies'),
    XBORDER_HTTP_PORT: String(ports.gateway),
    XBORDER_METRICS_PORT: String(ports.workers),
    XBORDER_RECEIVER_PORT: String(ports.receiver),
    XBORDER_DELIVERY_BACKOFF_MS: '200',
    XBORDER_LOG_LEVEL: 'warn',
    ...options.env,
  };
  await runCli(['certs', 'init', '--partner', partner], env);
  const procs = new Map<Role, RunningProcess>();
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const pki = devPkiPaths(path.join(dataDir, 'pki'), partner);

  async function start(role: Role): Promise<RunningProcess> {
    const proc = startProcess(role, [role], env, options.nodeArgs ?? []);
    procs.set(role, proc);
    await waitForPort(ports[role], proc, 30_000);
    return proc;
  }

  async function token(role: TokenRole, sub: string, exporterId?: string): Promise<string> {
    return mintToken(
      { role, sub, ttlSeconds: 3600, ...(exporterId === undefined ? {} : { exporter: exporterId }) },
      readFileSync(pki.issuerKey, 'utf8'),
      { issuer: 'xborder-dev', audience: 'xborder', now: new Date() },
    );
  }

  async function call<T>(method: string, url: string, bearer: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${gatewayUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? null : JSON.parse(text)) as T,
    };
  }

  const output = () => [...procs].map(([name, p]) => `--- ${name}\n${p.output()}`).join('\n');
  let readerToken: string | null = null;
  const reader = async () => (readerToken ??= await token('ops', 'chaos-ops'));

  for (const role of roles) if (!(options.skip ?? []).includes(role)) await start(role);

  const cluster: Cluster = {
    redis,
    dataDir,
    env,
    gatewayUrl,
    ports,
    deliveriesDir: path.join(dataDir, 'receiver', 'deliveries'),
    payloadsDir: path.join(dataDir, 'payloads'),
    process(role) {
      const proc = procs.get(role);
      if (proc === undefined) throw new Error(`${role} is not running`);
      return proc;
    },
    start,
    async stop(role) {
      await procs.get(role)?.stop();
    },
    async kill9(role) {
      await procs.get(role)?.stop('SIGKILL');
    },
    token,
    call,
    exemptManifest: (overrides = {}) => ({
      exporterId: exporter,
      businessType: 'cross_border_ecommerce',
      purpose,
      partnerId: partner,
      endpointId: endpoint,
      destinationCountry: 'SG',
      dataCategories: ['order'],
      declaredGrade: 'general',
      personalInfo: { individuals: 10, sensitiveIndividuals: 0 },
      legalBasis: 'contract',
      exemption: 'EX-ART5-1',
      evidence: {
        selfAssessmentId: 'pipia-chaos',
        attestationId: 'att-chaos-1',
        noticeRecordRef: 'notice-v3',
        contractRef: 'orders-1',
      },
      ...overrides,
    }),
    async transfer(id) {
      const answer = await call<TransferView>('GET', `/v1/transfers/${id}`, await reader());
      if (answer.status === 404) return null;
      if (answer.status !== 200) throw new Error(`GET /v1/transfers/${id} answered ${answer.status}`);
      return answer.body;
    },
    async settle(
      id,
      statuses = ['released', 'held', 'blocked', 'rejected', 'delivery_failed'],
      timeoutMs = 60_000,
    ) {
      const deadline = Date.now() + timeoutMs;
      let last = 'unknown';
      while (Date.now() < deadline) {
        const record = await cluster.transfer(id).catch(() => null);
        if (record !== null) {
          last = record.status;
          if (statuses.includes(record.status)) return record;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`transfer ${id} stuck in ${last}\n${output()}`);
    },
    async listIds() {
      const ids: string[] = [];
      let cursor: string | null = null;
      // Bounded: 1,000 pages of 100.
      for (let page = 0; page < 1000; page += 1) {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const answer = await call<{ items: { id: string }[]; nextCursor: string | null }>(
          'GET',
          `/v1/transfers?limit=100${query}`,
          await reader(),
        );
        ids.push(...answer.body.items.map((t) => t.id));
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      return ids;
    },
    output,
    async close() {
      await Promise.all([...procs.values()].map((p) => p.stop('SIGKILL')));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  try {
    await registerRecords(cluster, options.endpointUrl ?? `https://localhost:${ports.receiver}`, pki);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

async function registerRecords(
  cluster: Cluster,
  endpointUrl: string,
  pki: ReturnType<typeof devPkiPaths>,
): Promise<void> {
  const expectOk = (what: string, answer: Answer): void => {
    if (answer.status !== 200 && answer.status !== 201)
      throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  const admin = await cluster.token('admin', 'chaos-admin');
  expectOk(
    'PUT exporter',
    await cluster.call('PUT', `/v1/exporters/${exporter}`, admin, {
      name: 'Chaos Exporter',
      ciio: false,
      ftzArea: null,
    }),
  );
  expectOk(
    'PUT partner',
    await cluster.call('PUT', `/v1/partners/${partner}`, admin, {
      name: 'Partner SG',
      country: 'SG',
      role: 'processor',
    }),
  );
  expectOk(
    'PUT endpoint',
    await cluster.call('PUT', `/v1/endpoints/${endpoint}`, admin, {
      partnerId: partner,
      url: endpointUrl,
      country: 'SG',
    }),
  );
  const enterprise = await cluster.token('enterprise', 'chaos-user', exporter);
  const iat = Math.floor(Date.now() / 1000);
  const jws = await signAttestation(
    {
      iss: partner,
      sub: exporter,
      jti: 'att-chaos-1',
      iat,
      nbf: iat - 60,
      exp: iat + 86_400 * 30,
      recipient: { name: 'Partner SG Pte. Ltd.', country: 'SG' },
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
      endpoints: [endpoint],
    },
    { key: readFileSync(pki.partner.key, 'utf8'), chainPem: readFileSync(pki.partner.chain, 'utf8') },
  );
  expectOk('POST attestation', await cluster.call('POST', '/v1/attestations', enterprise, { jws }));
  expectOk(
    'PUT self-assessment',
    await cluster.call('PUT', '/v1/self-assessments/pipia-chaos', enterprise, {
      exporterId: exporter,
      kind: 'pipia',
      completedOn: new Date().toISOString().slice(0, 10),
      reportSha256: 'b'.repeat(64),
      scope: {
        partnerIds: [partner],
        dataCategories: ['order', 'contact', 'inventory'],
        purposes: [purpose],
        businessTypes: ['cross_border_ecommerce', 'supply_chain'],
      },
    }),
  );
}
