// platform/redis: the one wrapper around ioredis. Connections are created here and passed in; BullMQ
// needs `maxRetriesPerRequest: null` on its blocking connections, plain commands keep ioredis' default.
import { Redis } from 'ioredis';

export type { Redis };

export interface RedisOptions {
  /** For BullMQ workers' blocking connections. */
  readonly blocking?: boolean;
  readonly connectionName?: string;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.blocking === true ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
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
