// registry/archive/archiver: follows the ledger into the archive database. Each batch of entries is projected and written
// in one transaction that also moves the position, under the position row's lock (SELECT … FOR UPDATE): a crash
// loses or repeats nothing, and two archivers at once take turns instead of writing the same entries twice.
// The same row keeps the checkpoint the source verified the entries against (its anchor), moved in the same
// transaction: a restarted archiver hands it back to the source, which then refuses a ledger of another history.
// Must not write to the ledger or to Redis.
import type { Database, Queryable } from '../../platform/database.js';
import type { LedgerAnchor, LedgerSource } from './ledger-source.js';
import { projectEvents } from './project-events.js';
import { writeBatch } from './write-batch.js';

export interface ArchiverProgress {
  /** Entries [0, position) are archived. */
  readonly position: number;
  readonly ledgerSize: number;
}

export interface ArchiverOptions {
  readonly db: Database;
  readonly source: LedgerSource;
  /** Entries per transaction: large enough to amortise the commit, small enough to keep transactions short. */
  readonly batchSize?: number;
  /** Wait between polls when caught up. */
  readonly pollMs?: number;
  /** Called after every batch and every poll, with where the archive and the ledger stand (the lag metric). */
  readonly onProgress?: (progress: ArchiverProgress) => void;
  /** Called after each batch written: its entries and how long projecting and writing took. */
  readonly onBatch?: (entries: number, seconds: number) => void;
  readonly onError?: (err: unknown) => void;
}

export interface Archiver {
  /** Archives one batch if the ledger is ahead; resolves with the entries written (0: caught up). */
  step(): Promise<number>;
  /** Steps until the archive holds every entry the ledger had when called. */
  catchUp(): Promise<ArchiverProgress>;
  /** Follows the ledger until stop(). */
  run(): Promise<void>;
  stop(): Promise<void>;
}

type PositionRow = {
  readonly next_index: number;
  readonly checkpoint_size: number | null;
  readonly checkpoint_root: Buffer | null;
};

/** The archive's position and anchor (`lock`: under the row's lock, for the transaction that moves them). */
async function readPosition(
  q: Queryable,
  lock: boolean,
): Promise<{ position: number; anchor: LedgerAnchor | undefined }> {
  const [row] = await q.query<PositionRow>(
    `SELECT next_index, checkpoint_size, checkpoint_root FROM archive_position WHERE singleton${lock ? ' FOR UPDATE' : ''}`,
  );
  if (row === undefined) throw new Error('archive_position is missing: the archive schema is not migrated');
  const { checkpoint_size: size, checkpoint_root: root } = row;
  return { position: row.next_index, anchor: size === null || root === null ? undefined : { size, root } };
}

export function createArchiver(options: ArchiverOptions): Archiver {
  const { db, source } = options;
  const batchSize = options.batchSize ?? 1000;
  const pollMs = options.pollMs ?? 500;
  const onProgress = options.onProgress ?? (() => undefined);
  const onError = options.onError ?? (() => undefined);
  const onBatch = options.onBatch ?? (() => undefined);
  let stopping = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function step(): Promise<number> {
    const started = process.hrtime.bigint();
    let size = 0;
    const written = await db.transaction(async (tx) => {
      const { position: from, anchor: stored } = await readPosition(tx, true);
      // Under the lock, so the anchor checked is the one this transaction replaces, even if another archiver moved it.
      await source.resume(stored);
      size = await source.size();
      const count = Math.min(batchSize, Math.max(0, size - from));
      if (count > 0) {
        const leaves = await source.read(from, count);
        await writeBatch(tx, projectEvents(from, leaves));
      }
      // The source verified the entries against its anchor, which extends the stored one: it only moves forward.
      const anchor = source.anchor();
      const moved = anchor !== undefined && (stored === undefined || anchor.size > stored.size);
      if (count > 0 || moved)
        await tx.query(
          `UPDATE archive_position SET next_index = $1, checkpoint_size = coalesce($2, checkpoint_size),
             checkpoint_root = coalesce($3, checkpoint_root), updated_at = now() WHERE singleton`,
          [from + count, moved ? anchor.size : null, moved ? anchor.root : null],
        );
      if (count === 0) onProgress({ position: from, ledgerSize: size });
      return count;
    });
    if (written > 0) {
      onBatch(written, Number(process.hrtime.bigint() - started) / 1e9);
      const [row] = await db.query<{ next_index: number }>('SELECT next_index FROM archive_position');
      onProgress({ position: row?.next_index ?? 0, ledgerSize: size });
    }
    return written;
  }

  async function catchUp(): Promise<ArchiverProgress> {
    // Resumed before the first size(), so a restarted archiver never trusts a checkpoint the archive contradicts.
    await source.resume((await readPosition(db, false)).anchor);
    const target = await source.size();
    for (;;) {
      const { position } = await readPosition(db, false);
      if (position >= target) return { position, ledgerSize: target };
      await step();
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let written = 0;
      try {
        written = await step();
      } catch (err) {
        onError(err);
      }
      if (written === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  }

  return {
    step,
    catchUp,
    run() {
      running ??= loop();
      return running;
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
