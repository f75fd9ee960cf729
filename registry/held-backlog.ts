// registry/held-backlog: how old the held backlog is, for the xborder_transfers_held_oldest_seconds gauge. The
// held index is lex-ordered by ULID, so its first member is the oldest submission; reading it costs one ZRANGE.
import { idTime } from '../platform/ids.js';
import type { Redis } from '../platform/redis.js';
import { keys as defaultKeys, type Keys } from './keys.js';

export interface HeldBacklog {
  /** Submission time of the oldest transfer now held, or null when none is held. */
  oldestSubmittedAt(): Promise<Date | null>;
}

export function createHeldBacklog(redis: Redis, keys: Keys = defaultKeys): HeldBacklog {
  return {
    async oldestSubmittedAt() {
      const [oldest] = await redis.zrangebylex(keys.transfersByStatus('held'), '-', '+', 'LIMIT', 0, 1);
      return oldest === undefined ? null : idTime(oldest);
    },
  };
}
