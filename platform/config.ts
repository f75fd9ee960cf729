// platform/config: the one place that reads the environment (api.md §2). Read once, validated, frozen;
// a bad value stops the process at boot with the variable's name. Must not do I/O.
import path from 'node:path';
import { parseCidrList, type Cidr } from './outbound-address.js';
import type { SentinelTarget } from './redis.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  readonly redisUrl: string;
  /** XBORDER_REDIS_URL was set: `xborder start` then uses that Redis even when its database is not empty. */
  readonly redisUrlExplicit: boolean;
  /** Redis Sentinel (XBORDER_REDIS_SENTINELS + XBORDER_REDIS_SENTINEL_MASTER), or null for the URL's host. */
  readonly redisSentinels: SentinelTarget | null;
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

function readSentinels(env: Env): SentinelTarget | null {
  const list = readString(env, 'XBORDER_REDIS_SENTINELS', '');
  const master = readString(env, 'XBORDER_REDIS_SENTINEL_MASTER', '');
  if (list === '' && master === '') return null;
  if (list === '')
    throw new ConfigError('XBORDER_REDIS_SENTINELS', 'is required with XBORDER_REDIS_SENTINEL_MASTER');
  if (master === '')
    throw new ConfigError('XBORDER_REDIS_SENTINEL_MASTER', 'is required with XBORDER_REDIS_SENTINELS');
  const nodes = list.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})\s*$/.exec(entry);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || port < 1 || port > 65535) {
      throw new ConfigError('XBORDER_REDIS_SENTINELS', `must be host:port[,host:port…], got "${entry}"`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
  return Object.freeze({ master, nodes: Object.freeze(nodes) });
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
  const config: Config = {
    redisUrl: readRedisUrl(env),
    redisUrlExplicit: (env['XBORDER_REDIS_URL'] ?? '') !== '',
    redisSentinels: readSentinels(env),
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
    deliveryAttempts: readPositiveInt(env, 'XBORDER_DELIVERY_ATTEMPTS', 6),
    deliveryBackoffMs: readPositiveInt(env, 'XBORDER_DELIVERY_BACKOFF_MS', 1000),
    workerConcurrency: readPositiveInt(env, 'XBORDER_WORKER_CONCURRENCY', 8),
    deliveryTimeoutMs: readPositiveInt(env, 'XBORDER_DELIVERY_TIMEOUT_MS', 120_000),
    uploadTimeoutMs: readPositiveInt(env, 'XBORDER_UPLOAD_TIMEOUT_MS', 30_000),
    retentionSeconds: readPositiveInt(env, 'XBORDER_RETENTION_SECONDS', 30 * 24 * 3600),
    endpointAllowedNets: readAllowedNets(env),
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
