// registry/archive/run-archive-retention: the loop that runs the archive's retention sweep in a process that may
// append to the ledger (the workers) — at start, then every `everyMs`, back to back while a sweep is full. Across
// hosts the sweep's advisory lock lets one run at a time; a failure (PostgreSQL down, the schema not yet migrated
// by the archiver) is logged and tried again within a minute.
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import type { EventLog } from '../../platform/event-log.js';
import { describeError, type Logger } from '../../platform/logger.js';
import { checkArchiveSchema } from './migrate-archive.js';
import { sweepArchiveRetention } from './sweep-archive-retention.js';

/** Deleting what the law no longer asks us to keep is not urgent: hourly is plenty (PIPL art. 56). */
export const archiveRetentionEveryMs = 3600_000;
const retryMs = 60_000;
const perSweep = 500;

export interface ArchiveRetentionDeps {
  readonly db: Database;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly years: number;
  readonly everyMs?: number;
}

export function startArchiveRetention(deps: ArchiveRetentionDeps): { stop(): Promise<void> } {
  const { db, events, clock, logger, years } = deps;
  const everyMs = deps.everyMs ?? archiveRetentionEveryMs;
  let stopping = false;
  let wake: (() => void) | undefined;

  /** Sweeps until nothing more is due; true when it got there. */
  async function sweepAll(): Promise<boolean> {
    try {
      // Written by a matching archiver only: an archive at another schema version is left alone.
      await checkArchiveSchema(db);
      for (;;) {
        const sweep = await sweepArchiveRetention(db, events, { now: clock.now(), years, limit: perSweep });
        if (sweep === null) return true; // another process is sweeping
        if (sweep.transferIds.length > 0 || sweep.resumed > 0)
          logger.info('archive retention decided', {
            transfers: sweep.transferIds.length,
            resumed: sweep.resumed,
            cutoff: sweep.cutoff,
            ledgerIndex: sweep.ledgerIndex,
          });
        if (sweep.transferIds.length < perSweep || stopping) return true;
      }
    } catch (err) {
      logger.warn('archive retention sweep failed; retrying', { error: describeError(err) });
      return false;
    }
  }

  const running = (async () => {
    while (!stopping) {
      const done = await sweepAll();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, done ? everyMs : Math.min(everyMs, retryMs));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (stopping) wake();
      });
      wake = undefined;
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
