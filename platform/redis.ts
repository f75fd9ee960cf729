// platform/redis: the one wrapper around ioredis. Connections are created here and passed in; BullMQ
// needs `maxRetriesPerRequest: null` on its blocking connections, plain commands keep ioredis' default.
import { Redis } from 'ioredis';

export type { Redis };

/** Redis Sentinel: the sentinels to ask and the name of the master they watch (failover without a proxy). */
export interface SentinelTarget {
  readonly master: string;
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
}

export interface RedisOptions {
  /** For BullMQ workers' blocking connections. */
  readonly blocking?: boolean;
  readonly connectionName?: string;
  /** When set, the master is found through these sentinels; the URL then supplies only credentials and db. */
  readonly sentinels?: SentinelTarget | null;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const common = {
    maxRetriesPerRequest: options.blocking === true ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
  const sentinels = options.sentinels;
  if (sentinels === undefined || sentinels === null) return new Redis(url, common);
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || '0');
  return new Redis({
    ...common,
    sentinels: sentinels.nodes.map((n) => ({ host: n.host, port: n.port })),
    name: sentinels.master,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === ''
      ? {}
      : {
          password: decodeURIComponent(parsed.password),
          sentinelPassword: decodeURIComponent(parsed.password),
        }),
    ...(parsed.protocol === 'rediss:' ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
  });
}

/** Resolves when Redis answers PING within `timeoutMs`, false otherwise. Used by /readyz and `npm start`. */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(url, {
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

/** Marks a database as taken by `xborder start` for one data dir, so a restart recognises it as its own. */
export const redisOwnerKey = 'xb:meta:owner';

export async function readRedisDbState(url: string, timeoutMs = 1000): Promise<RedisDbState> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [keys, owner] = await Promise.all([client.dbsize(), client.get(redisOwnerKey)]);
    return { keys, owner };
  } finally {
    client.disconnect();
  }
}

/** Sets the owner mark unless one is there already (a database is never taken over). */
export async function markRedisDbOwner(url: string, owner: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.set(redisOwnerKey, owner, 'NX');
  } finally {
    client.disconnect();
  }
}
