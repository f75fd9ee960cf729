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
