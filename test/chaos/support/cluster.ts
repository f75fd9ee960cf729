// test/chaos/support/cluster: a whole xborder deployment on one machine for chaos tests and benchmarks — a
// private redis-server, a development PKI, gateway, workers and receiver as real processes (built dist/), and
// the registry records an `exempt` transfer needs. Roles can be killed (-9), paused and restarted one by one.
// Built on the end-to-end fixture in test/support, with its own ids, longer tokens and a crash-tolerant settle.
import path from 'node:path';
import type { TokenRole } from '../../../certs/token.js';
import { createGatewayClient, settledStatuses, type Answer } from '../../support/gateway-client.js';
import { signPartnerAttestation } from '../../support/partner-attestation.js';
import type { RunningProcess } from '../../support/processes.js';
import type { TestRedis } from '../../support/redis-server.js';
import { setUpRegistry } from '../../support/registry-setup.js';
import { createTestDeployment, roles, type Role } from '../../support/test-deployment.js';
import { createExemptManifest } from '../../support/transfer-route.js';

export const exporter = '91450100MA5KDEM11G';
export const partner = 'partner-sg-chaos';
export const endpoint = 'endpoint-sg-chaos';
const purpose = 'order fulfilment and delivery';
const route = { exporter, partner, endpoint, purpose };

export type { Answer, Role };

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
  /**
   * Variables for the role processes only (not `xborder certs init`), given the data dir: e.g. a remote
   * payload store with the signing key `certs init` made there (the one-secret-set rule requires it).
   */
  readonly roleEnv?: (dataDir: string) => Readonly<Record<string, string>>;
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
  const deployment = await createTestDeployment({
    partner,
    dataDirPrefix: 'xborder-chaos-',
    appendonly: options.appendonly,
    env: options.env,
    nodeArgs: options.nodeArgs,
    startTimeoutMs: 30_000,
  });
  // Tokens for a whole chaos run or benchmark, and no request left hanging on a process that was paused.
  const client = createGatewayClient({
    baseUrl: deployment.gatewayUrl,
    dataDir: deployment.dataDir,
    tokenTtlSeconds: 3600,
    requestTimeoutMs: 30_000,
    output: deployment.output,
  });
  const { redis, dataDir, env, ports, gatewayUrl, output } = deployment;
  const call = <T>(method: string, url: string, bearer: string, body?: unknown): Promise<Answer<T>> =>
    client.call<T>(method, url, bearer, body);
  let readerToken: string | null = null;
  const reader = async () => (readerToken ??= await client.token('ops', 'chaos-ops'));

  const cluster: Cluster = {
    redis,
    dataDir,
    env,
    gatewayUrl,
    ports,
    deliveriesDir: path.join(dataDir, 'receiver', 'deliveries'),
    payloadsDir: path.join(dataDir, 'payloads'),
    process(role) {
      const proc = deployment.process(role);
      if (proc === undefined) throw new Error(`${role} is not running`);
      return proc;
    },
    start: (role) => deployment.start(role, options.roleEnv?.(dataDir)),
    async stop(role) {
      await deployment.process(role)?.stop();
    },
    async kill9(role) {
      await deployment.process(role)?.stop('SIGKILL');
    },
    token: (role, sub, exporterId) => client.token(role, sub, exporterId),
    call,
    exemptManifest: (overrides = {}) => ({
      ...createExemptManifest(route, { selfAssessmentId: 'pipia-chaos', attestationId: 'att-chaos-1' }),
      ...overrides,
    }),
    async transfer(id) {
      const answer = await call<TransferView>('GET', `/v1/transfers/${id}`, await reader());
      if (answer.status === 404) return null;
      if (answer.status !== 200) throw new Error(`GET /v1/transfers/${id} answered ${answer.status}`);
      return answer.body;
    },
    // Unlike the end-to-end tests' settle, this one rides out a gateway that is down or restarting.
    async settle(id, statuses = settledStatuses, timeoutMs = 60_000) {
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
    close: () => deployment.stop('SIGKILL'),
  };

  try {
    for (const role of roles)
      if (!(options.skip ?? []).includes(role)) await deployment.start(role, options.roleEnv?.(dataDir));
    await setUpRegistry(client, {
      ...route,
      exporterName: 'Chaos Exporter',
      partners: [{ id: partner, endpoint }],
      endpointUrl: options.endpointUrl ?? `https://localhost:${ports.receiver}`,
      attestations: [
        await signPartnerAttestation({ dataDir, ...route, endpoints: [endpoint], jti: 'att-chaos-1' }),
      ],
      selfAssessmentId: 'pipia-chaos',
      users: { admin: 'chaos-admin', enterprise: 'chaos-user' },
    });
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}
