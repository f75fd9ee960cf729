// workers/stores-connection: the Redis connection the workers' stores (transfer records, registry, volume)
// use. Auto-pipelined: the commands that concurrent jobs issue within one tick leave in one socket write, and a
// job's independent reads (a record and the revocation list, exporter and partner) in one round trip. Profiles
// of the pipeline benchmark had the workers' socket writes to Redis as their largest cost after crypto; this
// halved the write calls. Never for blocking commands: one would hold up every command queued behind it.
import type { Redis } from '../platform/redis.js';

export function openStoresConnection(redis: Redis): Redis {
  const connection = redis.duplicate({
    enableAutoPipelining: true,
    connectionName: 'xborder-workers-stores',
  });
  // Errors reach the commands that fail; the connection reconnects by itself.
  connection.on('error', () => undefined);
  return connection;
}
