// ledger/tile-ledger: the ledger service over a C2SP tlog-tiles log in shared storage (the object store) — events in
// through the sequencer, entries, proofs and receipts out of the tiles on any host. Composes a TileReader and a
// Sequencer whose lease holder runs the tile writer; never writes tiles or signs checkpoints itself (only the
// sequencer does, inside its lease term).
import { parseCheckpoint } from './checkpoint.js';
import { base64Hashes, toSequencerItem } from './event-item.js';
import type { LedgerEvent } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import type { AppendResult, Ledger } from './ledger.js';
import { hashLeaf } from './merkle-hash.js';
import type { LedgerReceipt } from './receipt.js';
import type { Sequencer, SequencerItem } from './sequencer.js';
import type { TileReader } from './tile-reader.js';

export interface TileLedgerOptions {
  readonly reader: TileReader;
  /** Its lease holder writes the tiles (tile-writer.ts); the ledger owns it (closes it). */
  readonly sequencer: Sequencer;
  /** Asks the sequencer for a checkpoint covering `size` entries (a receipt needs one); see open-event-log.ts. */
  readonly requestCheckpoint: (size: number) => Promise<void>;
  /** How long a receipt or read-back waits for a checkpoint covering its entry. */
  readonly waitMs?: number;
  /** How often the reader re-reads `checkpoint` in the background. */
  readonly refreshMs?: number;
  readonly onError?: (err: unknown) => void;
}

export async function createTileLedger(options: TileLedgerOptions): Promise<Ledger> {
  const { reader, sequencer, requestCheckpoint } = options;
  const waitMs = options.waitMs ?? 60_000;
  const onError = options.onError ?? (() => undefined);
  await reader.refresh();
  let closed = false;
  const timer = setInterval(() => void reader.refresh().catch(onError), options.refreshMs ?? 1000);
  timer.unref();

  const checkOpen = (): void => {
    if (closed) throw new LedgerError('CLOSED', 'the ledger is closed');
  };

  /** Waits until a checkpoint covers entry `index` (asking the sequencer for one), and answers it. */
  const checkpointCovering = async (index: number): Promise<string> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      await reader.refresh();
      const note = await reader.latestCheckpoint();
      const parsed = note === undefined ? undefined : parseCheckpoint(note);
      if (note !== undefined && parsed?.ok === true && parsed.checkpoint.size > index) return note;
      if (closed || Date.now() > deadline)
        throw new LedgerError('TIMEOUT', `no checkpoint covered entry ${index} within ${waitMs} ms`);
      await requestCheckpoint(index + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const appendMany = async (events: readonly LedgerEvent[]): Promise<AppendResult[]> => {
    checkOpen();
    const items = events.map(toSequencerItem);
    const answers = await sequencer.submit(items);
    return Promise.all(
      answers.map(async ({ index, duplicate }, k) => {
        const item = items[k] as SequencerItem;
        // A new entry is this very leaf. A repeated id answers with the entry first recorded under it, read from
        // the tiles (waiting for a checkpoint to cover it when it is that recent).
        let leafHash = hashLeaf(item.leaf);
        if (duplicate !== false) {
          if (index >= reader.size()) await checkpointCovering(index);
          leafHash = await reader.getLeafHash(index);
        }
        return {
          index,
          leafHash: leafHash.toString('base64'),
          eventId: item.id,
          duplicate: duplicate !== false,
        };
      }),
    );
  };

  return {
    async append(event) {
      const [result] = await appendMany([event]);
      return result as AppendResult;
    },
    appendMany,
    size: () => reader.size(),
    entry: (index) => reader.getLeaf(index),
    async proof(index, size) {
      const at = size ?? reader.size();
      return { index, size: at, hashes: base64Hashes(await reader.inclusionProof(index, at)) };
    },
    async consistency(from, to) {
      const at = to ?? reader.size();
      return { from, to: at, hashes: base64Hashes(await reader.consistencyProof(from, at)) };
    },
    async checkpoint() {
      checkOpen();
      // Only the sequencer signs: ask it for one covering what this process serves (any, on an empty log).
      return checkpointCovering((await reader.refresh()) - 1);
    },
    // The sequencer's tile writer checkpoints on its own schedule; nothing is due here.
    checkpointIfDue: () => Promise.resolve(undefined),
    latestCheckpoint: () => reader.latestCheckpoint(),
    checkpoints: () => reader.checkpoints(),
    async receipt(index): Promise<LedgerReceipt> {
      checkOpen();
      if (!Number.isSafeInteger(index) || index < 0)
        throw new LedgerError('OUT_OF_RANGE', `no entry ${index}`);
      const note = await checkpointCovering(index);
      const parsed = parseCheckpoint(note);
      if (!parsed.ok) throw new LedgerError('CORRUPT', 'the latest checkpoint does not parse');
      const size = parsed.checkpoint.size;
      return {
        entry: (await reader.getLeaf(index)).toString('base64'),
        index,
        proof: { size, hashes: base64Hashes(await reader.inclusionProof(index, size)) },
        checkpoint: note,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await sequencer.close();
    },
  };
}
