// platform/redis: the one wrapper around ioredis. Connections are created here and passed in; BullMQ
// needs `maxRetriesPerRequest: null` on its blocking connections, plain commands keep ioredis' default.
// One topology per deployment: a single server (the URL), Sentinel (the master the sentinels name), or a
// Redis Cluster (discovered from seed nodes). Callers see one `Redis` type whichever it is.
import { Cluster, Redis as SingleRedis } from 'ioredis';

/** A connection to one server (direct or through Sentinel) or to a Redis Cluster. */
export type Redis = SingleRedis | Cluster;

/** A host and port, as in XBORDER_REDIS_SENTINELS and XBORDER_REDIS_CLUSTER_NODES. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Redis Sentinel: the sentinels to ask and the name of the master they watch (failover without a proxy). */
export interface SentinelTarget {
  readonly master: string;
  readonly nodes: readonly RedisNode[];
}

export interface RedisOptions {
  /** For BullMQ workers' blocking connections. */
  readonly blocking?: boolean;
  readonly connectionName?: string;
  /** When set, the master is found through these sentinels; the URL then supplies only credentials and db. */
  readonly sentinels?: SentinelTarget | null;
  /**
   * When set (non-empty), a Redis Cluster discovered from these seeds; the URL then supplies only credentials
   * and TLS (a cluster has database 0 only).
   */
  readonly cluster?: readonly RedisNode[] | null;
}

/** Credentials and TLS from the URL, for Sentinel and Cluster connections whose hosts come from elsewhere. */
function credentialsOf(url: string) {
  const parsed = new URL(url);
  return {
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const common = {
    maxRetriesPerRequest: options.blocking === true ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
  const cluster = options.cluster;
  if (cluster !== undefined && cluster !== null && cluster.length > 0) {
    return new Cluster(
      cluster.map((n) => ({ host: n.host, port: n.port })),
      { enableReadyCheck: true, lazyConnect: false, redisOptions: { ...common, ...credentialsOf(url) } },
    );
  }
  const sentinels = options.sentinels;
  if (sentinels === undefined || sentinels === null) return new SingleRedis(url, common);
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || '0');
  const credentials = credentialsOf(url);
  return new SingleRedis({
    ...common,
    sentinels: sentinels.nodes.map((n) => ({ host: n.host, port: n.port })),
    name: sentinels.master,
    db: Number.isInteger(db) ? db : 0,
    ...credentials,
    ...(credentials.password === undefined ? {} : { sentinelPassword: credentials.password }),
    ...(credentials.tls === undefined ? {} : { sentinelTLS: {}, enableTLSForSentinelMode: true }),
  });
}

/** Resolves when Redis answers PING within `timeoutMs`, false otherwise. Used by /readyz and `npm start`. */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new SingleRedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** What `npm start` needs to know before it writes into a database: how many keys it holds and who created it. */
export interface RedisDbState {
  readonly keys: number;
  /** The data dir of the `xborder start` that created (or first took an empty) database, from `ownerKey`. */
  readonly owner: string | null;
}

/**
 * Marks a database as taken by `xborder start` for one data dir, so a restart recognises it as its own. Under
 * the default XBORDER_REDIS_PREFIX; `xborder start` passes the one configured. Only for a single server: with
 * Sentinel or Cluster the database is the operator's choice and `xborder start` does not inspect it.
 */
export const redisOwnerKey = 'xb:meta:owner';

export async function readRedisDbState(
  url: string,
  timeoutMs = 1000,
  ownerKey = redisOwnerKey,
): Promise<RedisDbState> {
  const client = new SingleRedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [keys, owner] = await Promise.all([client.dbsize(), client.get(ownerKey)]);
    return { keys, owner };
  } finally {
    client.disconnect();
  }
}

/** Sets the owner mark unless one is there already (a database is never taken over). */
export async function markRedisDbOwner(url: string, owner: string, ownerKey = redisOwnerKey): Promise<void> {
  const client = new SingleRedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.set(ownerKey, owner, 'NX');
  } finally {
    client.disconnect();
  }
}

/** A second connection like `redis` (same topology and options), for pub/sub and blocking reads. */
export function duplicateRedis(redis: Redis): Redis {
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}
