// platform/config: the one place that reads the environment (api.md §2). Read once, validated, frozen;
// a bad value stops the process at boot with the variable's name. Must not do I/O.
import path from 'node:path';
import { parseCidrList, type Cidr } from './outbound-address.js';
import { parseObjectLocation, type ObjectLocation, type ObjectStoreSettings } from './object-store.js';
import type { RedisNode, SentinelTarget } from './redis.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where payloads or the ledger live: files under the data dir, or an S3-compatible object store. */
export type StoreLocation = { readonly kind: 'file' } | ({ readonly kind: 's3' } & ObjectLocation);

export interface Config {
  readonly redisUrl: string;
  /** XBORDER_REDIS_URL was set: `xborder start` then uses that Redis even when its database is not empty. */
  readonly redisUrlExplicit: boolean;
  /** Redis Sentinel (XBORDER_REDIS_SENTINELS + XBORDER_REDIS_SENTINEL_MASTER), or null for the URL's host. */
  readonly redisSentinels: SentinelTarget | null;
  /** XBORDER_REDIS_CLUSTER_NODES: seeds of a Redis Cluster (every connection a cluster client), or empty. */
  readonly redisClusterNodes: readonly RedisNode[];
  /** XBORDER_REDIS_PREFIX: the head of every record key (registry/keys.ts); a {hash tag} on a cluster. */
  readonly redisPrefix: string;
  /** XBORDER_QUEUE_PREFIX: BullMQ's prefix for every queue, worker and flow; a {hash tag} on a cluster. */
  readonly queuePrefix: string;
  /** Address the gateway, workers' metrics and receiver listen on: loopback unless deployed (0.0.0.0). */
  readonly bindHost: string;
  readonly httpPort: number;
  readonly metricsPort: number;
  readonly receiverPort: number;
  readonly dataDir: string;
  readonly policyDir: string;
  /**
   * XBORDER_ALLOW_EXAMPLE_FTZ_LISTS: allow FTZ negative lists marked as example data (demos only; rules reference
   * §0.1). null when unset: false everywhere, except that `xborder start` (npm start) takes it as true and says so.
   */
  readonly allowExampleFtzLists: boolean | null;
  readonly trustDir: string;
  /** File path or https URL of the JWKS for bearer tokens; undefined = the development issuer under the data dir. */
  readonly authJwks: string;
  readonly authIssuer: string;
  readonly authAudience: string;
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly signing: { readonly key: string; readonly cert: string };
  readonly maxPayloadBytes: number;
  /** Bytes inspection may decompress from one payload before the rest is opaque (zip bombs); api.md §6. */
  readonly maxExpandedBytes: number;
  /** base64 of 32 bytes, or undefined: then a development key is generated under the data dir. */
  readonly masterKey: string | undefined;
  readonly logLevel: LogLevel;
  /** XBORDER_PAYLOAD_STORE: `file` (default) or `s3://bucket/prefix`. */
  readonly payloadStore: StoreLocation;
  /** XBORDER_LEDGER_STORE: `file` (default) or `s3://bucket/prefix`. */
  readonly ledgerStore: StoreLocation;
  /** XBORDER_LEDGER_SEQUENCER: whether this process may hold the ledger's sequencer lease (default true). */
  readonly ledgerSequencer: boolean;
  /** XBORDER_S3_ENDPOINT / _REGION / _FORCE_PATH_STYLE; credentials come from the AWS SDK's own chain. */
  readonly objectStore: ObjectStoreSettings;
  /** Delivery attempts before `delivery_failed`, and the first backoff delay (doubles each attempt). */
  readonly deliveryAttempts: number;
  readonly deliveryBackoffMs: number;
  /** Concurrency of each worker queue in one process. */
  readonly workerConcurrency: number;
  /** How long a finished transfer (released, rejected, blocked) stays in Redis; the ledger keeps it for good. */
  readonly retentionSeconds: number;
  /** How long one delivery attempt may take before it counts as failed. */
  readonly deliveryTimeoutMs: number;
  /** An upload that sends less than 64 KiB in this long is cut off with 408 (stalled or trickling clients). */
  readonly uploadTimeoutMs: number;
  /**
   * Networks (XBORDER_ENDPOINT_ALLOWED_NETS) that endpoint and other outbound URLs may resolve to besides public
   * addresses; loopback, private, link-local, CGNAT and metadata addresses are refused otherwise (api.md §2).
   */
  readonly endpointAllowedNets: readonly Cidr[];
  /** XBORDER_DATABASE_URL: PostgreSQL of the archive (api.md §10); undefined = none configured. */
  readonly databaseUrl: string | undefined;
  /** XBORDER_ARCHIVER_METRICS_PORT: where `xborder archiver` serves /metrics (its lag). */
  readonly archiverMetricsPort: number;
  /**
   * XBORDER_ARCHIVE_RETENTION_YEARS: how long the archive keeps a transfer's rows after its last event. At least
   * 3 (PIPL art. 56 and the NDSMR ask records be kept three years); only longer may be configured.
   */
  readonly archiveRetentionYears: number;
  /** Webhooks (api.md §11): delivery attempts per event and subscription, and the first backoff delay (doubles). */
  readonly webhookAttempts: number;
  readonly webhookBackoffMs: number;
  /** XBORDER_REVIEW_SLA_HOURS: a held transfer waiting longer is overdue (`review.overdue`, api.md §11). */
  readonly reviewSlaMs: number;
  /** How often the workers look for overdue reviews, expiring evidence and unsent transfer events. */
  readonly notifySweepMs: number;
  /** For the `xborder submit|status` client: where the gateway is and the bearer token to send. */
  readonly client: { readonly gatewayUrl: string; readonly token: string | undefined };
  /** The reference offshore receiver (what a partner runs); development PKI by default. */
  readonly receiver: {
    readonly dataDir: string;
    readonly tlsCert: string;
    readonly tlsKey: string;
    /** CA that issued the gateway's client certificate (mTLS). */
    readonly clientCa: string;
    readonly signingKey: string;
    readonly signingCert: string;
    /** Trust anchors (PEM) for the gateway's release-signing certificate. */
    readonly releaseTrust: string;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new ConfigError(name, `must be a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1) {
    throw new ConfigError(name, `must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

/** At least three years, never less: a shorter setting would delete records the law asks us to keep. */
function readRetentionYears(env: Env): number {
  const name = 'XBORDER_ARCHIVE_RETENTION_YEARS';
  const raw = env[name];
  if (raw === undefined || raw === '') return 3;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 3)
    throw new ConfigError(name, `must be a whole number of years, at least 3 (PIPL art. 56), got "${raw}"`);
  return Number(raw);
}

function readOptionalBoolean(env: Env, name: string): boolean | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readString(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

function readRedisUrl(env: Env): string {
  const raw = readString(env, 'XBORDER_REDIS_URL', 'redis://127.0.0.1:6379');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('XBORDER_REDIS_URL', `is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError('XBORDER_REDIS_URL', `must use redis:// or rediss://, got "${url.protocol}"`);
  }
  return raw;
}

/** host:port[,host:port…] (IPv6 in brackets), as XBORDER_REDIS_SENTINELS and XBORDER_REDIS_CLUSTER_NODES take. */
function readNodes(name: string, list: string): readonly RedisNode[] {
  return Object.freeze(
    list.split(',').map((entry) => {
      const match = /^\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})\s*$/.exec(entry);
      const port = Number(match?.[2]);
      if (match?.[1] === undefined || port < 1 || port > 65535) {
        throw new ConfigError(name, `must be host:port[,host:port…], got "${entry}"`);
      }
      return Object.freeze({ host: match[1].replace(/^\[|\]$/g, ''), port });
    }),
  );
}

function readClusterNodes(env: Env): readonly RedisNode[] {
  const list = readString(env, 'XBORDER_REDIS_CLUSTER_NODES', '');
  if (list === '') return Object.freeze([]);
  if (readString(env, 'XBORDER_REDIS_SENTINELS', '') !== '')
    throw new ConfigError(
      'XBORDER_REDIS_CLUSTER_NODES',
      'cannot be set together with XBORDER_REDIS_SENTINELS',
    );
  const url = new URL(readRedisUrl(env));
  if (url.pathname !== '' && url.pathname !== '/' && url.pathname !== '/0')
    throw new ConfigError(
      'XBORDER_REDIS_URL',
      'a Redis Cluster has database 0 only; drop the /db from the URL',
    );
  return readNodes('XBORDER_REDIS_CLUSTER_NODES', list);
}

/**
 * A key prefix. On a cluster it must hold a {hash tag}: every key one script or MULTI touches then lives in
 * one slot (Redis Cluster spec, "Hash tags"), and BullMQ refuses a cluster prefix without one for flows.
 */
function readKeyPrefix(
  env: Env,
  name: string,
  fallback: { readonly single: string; readonly cluster: string },
  cluster: boolean,
): string {
  const raw = readString(env, name, cluster ? fallback.cluster : fallback.single);
  if (!/^[A-Za-z0-9._{}-]+$/.test(raw))
    throw new ConfigError(name, `may hold only letters, digits, . _ - { }, got "${raw}"`);
  if (cluster && !/^[^{}]*\{[^{}]+\}/.test(raw))
    throw new ConfigError(
      name,
      `must hold a {hash tag} on a Redis Cluster (e.g. "${fallback.cluster}"), got "${raw}"`,
    );
  return raw;
}

function readSentinels(env: Env): SentinelTarget | null {
  const list = readString(env, 'XBORDER_REDIS_SENTINELS', '');
  const master = readString(env, 'XBORDER_REDIS_SENTINEL_MASTER', '');
  if (list === '' && master === '') return null;
  if (list === '')
    throw new ConfigError('XBORDER_REDIS_SENTINELS', 'is required with XBORDER_REDIS_SENTINEL_MASTER');
  if (master === '')
    throw new ConfigError('XBORDER_REDIS_SENTINEL_MASTER', 'is required with XBORDER_REDIS_SENTINELS');
  return Object.freeze({ master, nodes: readNodes('XBORDER_REDIS_SENTINELS', list) });
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = env['XBORDER_DATABASE_URL'];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('XBORDER_DATABASE_URL', 'is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(
      'XBORDER_DATABASE_URL',
      `must use postgres:// or postgresql://, got "${url.protocol}"`,
    );
  return raw;
}

/** Hours as a positive decimal (a test may ask for seconds: 0.001 h = 3.6 s); answered in milliseconds. */
function readHours(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 3_600_000;
  if (!/^\d+(\.\d+)?$/.test(raw) || !(Number(raw) > 0) || Number(raw) > 24 * 365)
    throw new ConfigError(name, `must be a positive number of hours (at most 8760), got "${raw}"`);
  return Math.max(1, Math.round(Number(raw) * 3_600_000));
}

function readBindHost(env: Env): string {
  const raw = readString(env, 'XBORDER_BIND_HOST', '127.0.0.1');
  if (!/^[0-9A-Fa-f:.]+$/.test(raw) && raw !== 'localhost')
    throw new ConfigError('XBORDER_BIND_HOST', `must be an IP address, got "${raw}"`);
  return raw;
}

function readMasterKey(env: Env): string | undefined {
  const raw = env['XBORDER_MASTER_KEY'];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length !== 32) {
    throw new ConfigError('XBORDER_MASTER_KEY', 'must be the base64 encoding of exactly 32 bytes');
  }
  return raw;
}

function readStoreLocation(env: Env, name: string): StoreLocation {
  const raw = readString(env, name, 'file');
  if (raw === 'file') return Object.freeze({ kind: 'file' });
  const location = parseObjectLocation(raw);
  if (location === null) throw new ConfigError(name, `must be file or s3://BUCKET/PREFIX, got "${raw}"`);
  return Object.freeze({ kind: 's3', ...location });
}

function readObjectStore(env: Env): ObjectStoreSettings {
  const endpoint = readString(env, 'XBORDER_S3_ENDPOINT', '');
  if (endpoint !== '') {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigError('XBORDER_S3_ENDPOINT', `is not a URL: "${endpoint}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError('XBORDER_S3_ENDPOINT', `must use http:// or https://, got "${url.protocol}"`);
    }
  }
  const region = readString(env, 'XBORDER_S3_REGION', 'us-east-1');
  if (!/^[a-z0-9-]+$/.test(region))
    throw new ConfigError('XBORDER_S3_REGION', `is not a region name: "${region}"`);
  // Path-style addressing by default when an endpoint is set: self-hosted stores rarely have wildcard DNS.
  const forcePathStyle = readOptionalBoolean(env, 'XBORDER_S3_FORCE_PATH_STYLE') ?? endpoint !== '';
  return Object.freeze({ ...(endpoint === '' ? {} : { endpoint }), region, forcePathStyle });
}

/**
 * One secret set (api.md §2): once payloads or the ledger leave the data dir, several hosts read them, so the
 * master key and signing identity must be given, the same on every host; a key generated per host would make
 * payloads unreadable elsewhere and count the same person under two HMAC keys.
 */
function checkOneSecretSet(env: Env, payloadStore: StoreLocation, ledgerStore: StoreLocation): void {
  if (payloadStore.kind === 'file' && ledgerStore.kind === 'file') return;
  const remote = payloadStore.kind === 'file' ? 'XBORDER_LEDGER_STORE' : 'XBORDER_PAYLOAD_STORE';
  for (const name of ['XBORDER_MASTER_KEY', 'XBORDER_SIGNING_KEY', 'XBORDER_SIGNING_CERT']) {
    if ((env[name] ?? '') === '') {
      throw new ConfigError(
        name,
        `is required when ${remote} is not file (every host must use the same secrets)`,
      );
    }
  }
}

function readLogLevel(env: Env): LogLevel {
  const raw = readString(env, 'XBORDER_LOG_LEVEL', 'info');
  if (raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error') return raw;
  throw new ConfigError('XBORDER_LOG_LEVEL', `must be one of debug, info, warn, error, got "${raw}"`);
}

function readAllowedNets(env: Env): readonly Cidr[] {
  const parsed = parseCidrList(readString(env, 'XBORDER_ENDPOINT_ALLOWED_NETS', ''));
  if (!parsed.ok)
    throw new ConfigError(
      'XBORDER_ENDPOINT_ALLOWED_NETS',
      `must be comma-separated CIDRs: ${parsed.message}`,
    );
  return parsed.nets;
}

function readJwks(env: Env, pki: string): string {
  const raw = readString(env, 'XBORDER_AUTH_JWKS', path.join(pki, 'auth', 'jwks.json'));
  if (/^[a-z]+:\/\//i.test(raw) && !raw.startsWith('https://')) {
    throw new ConfigError('XBORDER_AUTH_JWKS', 'a URL must use https://');
  }
  return raw;
}

/** Parses the environment into a frozen Config. Relative paths resolve against `cwd`. */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, readString(env, 'XBORDER_DATA_DIR', './.xborder'));
  const pki = path.join(dataDir, 'pki');
  const file = (name: string, fallback: string): string => path.resolve(cwd, readString(env, name, fallback));
  const redisClusterNodes = readClusterNodes(env);
  const cluster = redisClusterNodes.length > 0;
  const payloadStore = readStoreLocation(env, 'XBORDER_PAYLOAD_STORE');
  const ledgerStore = readStoreLocation(env, 'XBORDER_LEDGER_STORE');
  checkOneSecretSet(env, payloadStore, ledgerStore);
  const config: Config = {
    redisUrl: readRedisUrl(env),
    redisUrlExplicit: (env['XBORDER_REDIS_URL'] ?? '') !== '',
    redisSentinels: readSentinels(env),
    redisClusterNodes,
    // api.md §2: `xb` and `bull`; on a cluster one hash tag each, `{xb}` and `{xborder}`.
    redisPrefix: readKeyPrefix(env, 'XBORDER_REDIS_PREFIX', { single: 'xb', cluster: '{xb}' }, cluster),
    queuePrefix: readKeyPrefix(
      env,
      'XBORDER_QUEUE_PREFIX',
      { single: 'bull', cluster: '{xborder}' },
      cluster,
    ),
    bindHost: readBindHost(env),
    httpPort: readPort(env, 'XBORDER_HTTP_PORT', 8080),
    metricsPort: readPort(env, 'XBORDER_METRICS_PORT', 9464),
    receiverPort: readPort(env, 'XBORDER_RECEIVER_PORT', 8443),
    dataDir,
    policyDir: file('XBORDER_POLICY_DIR', './policies'),
    allowExampleFtzLists: readOptionalBoolean(env, 'XBORDER_ALLOW_EXAMPLE_FTZ_LISTS'),
    trustDir: file('XBORDER_TRUST_DIR', path.join(pki, 'trust')),
    authJwks: readJwks(env, pki),
    authIssuer: readString(env, 'XBORDER_AUTH_ISSUER', 'xborder-dev'),
    authAudience: readString(env, 'XBORDER_AUTH_AUDIENCE', 'xborder'),
    tls: Object.freeze({
      cert: file('XBORDER_TLS_CERT', path.join(pki, 'gateway', 'client.crt')),
      key: file('XBORDER_TLS_KEY', path.join(pki, 'gateway', 'client.key')),
      ca: file('XBORDER_TLS_CA', path.join(pki, 'ca', 'root.crt')),
    }),
    signing: Object.freeze({
      key: file('XBORDER_SIGNING_KEY', path.join(pki, 'gateway', 'signing.key')),
      cert: file('XBORDER_SIGNING_CERT', path.join(pki, 'gateway', 'signing-chain.pem')),
    }),
    maxPayloadBytes: readPositiveInt(env, 'XBORDER_MAX_PAYLOAD_BYTES', 1073741824),
    maxExpandedBytes: readPositiveInt(
      env,
      'XBORDER_INSPECT_MAX_EXPANDED_BYTES',
      readPositiveInt(env, 'XBORDER_MAX_PAYLOAD_BYTES', 1073741824) * 10,
    ),
    masterKey: readMasterKey(env),
    logLevel: readLogLevel(env),
    payloadStore,
    ledgerStore,
    ledgerSequencer: readOptionalBoolean(env, 'XBORDER_LEDGER_SEQUENCER') ?? true,
    objectStore: readObjectStore(env),
    deliveryAttempts: readPositiveInt(env, 'XBORDER_DELIVERY_ATTEMPTS', 6),
    deliveryBackoffMs: readPositiveInt(env, 'XBORDER_DELIVERY_BACKOFF_MS', 1000),
    workerConcurrency: readPositiveInt(env, 'XBORDER_WORKER_CONCURRENCY', 8),
    deliveryTimeoutMs: readPositiveInt(env, 'XBORDER_DELIVERY_TIMEOUT_MS', 120_000),
    uploadTimeoutMs: readPositiveInt(env, 'XBORDER_UPLOAD_TIMEOUT_MS', 30_000),
    retentionSeconds: readPositiveInt(env, 'XBORDER_RETENTION_SECONDS', 30 * 24 * 3600),
    endpointAllowedNets: readAllowedNets(env),
    databaseUrl: readDatabaseUrl(env),
    archiverMetricsPort: readPort(env, 'XBORDER_ARCHIVER_METRICS_PORT', 9465),
    archiveRetentionYears: readRetentionYears(env),
    webhookAttempts: readPositiveInt(env, 'XBORDER_WEBHOOK_ATTEMPTS', 8),
    webhookBackoffMs: readPositiveInt(env, 'XBORDER_WEBHOOK_BACKOFF_MS', 5000),
    reviewSlaMs: readHours(env, 'XBORDER_REVIEW_SLA_HOURS', 24),
    notifySweepMs: readPositiveInt(env, 'XBORDER_NOTIFY_SWEEP_MS', 60_000),
    client: Object.freeze({
      gatewayUrl: readString(
        env,
        'XBORDER_GATEWAY_URL',
        `http://127.0.0.1:${readPort(env, 'XBORDER_HTTP_PORT', 8080)}`,
      ),
      token: env['XBORDER_TOKEN'] === '' ? undefined : env['XBORDER_TOKEN'],
    }),
    receiver: Object.freeze({
      dataDir: file('XBORDER_RECEIVER_DATA_DIR', path.join(dataDir, 'receiver')),
      tlsCert: file('XBORDER_RECEIVER_TLS_CERT', path.join(pki, 'receiver', 'server.crt')),
      tlsKey: file('XBORDER_RECEIVER_TLS_KEY', path.join(pki, 'receiver', 'server.key')),
      clientCa: file('XBORDER_RECEIVER_CLIENT_CA', path.join(pki, 'ca', 'root.crt')),
      signingKey: file('XBORDER_RECEIVER_SIGNING_KEY', path.join(pki, 'receiver', 'signing.key')),
      signingCert: file('XBORDER_RECEIVER_SIGNING_CERT', path.join(pki, 'receiver', 'signing-chain.pem')),
      releaseTrust: file('XBORDER_RECEIVER_TRUST', path.join(pki, 'ca', 'root.crt')),
    }),
  };
  return Object.freeze(config);
}
