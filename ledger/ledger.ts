// ledger/ledger: the ledger service — events in, indexes, proofs, signed checkpoints and receipts out. Composes the
// store (disk), a sequencer (who orders entries) and the pure checkpoint code. Any process may serve reads and
// sign checkpoints; only the sequencing process writes entries and automatic checkpoints.
import { appendCheckpoint, readCheckpointRecords, readLatestCheckpoint } from './checkpoint-log.js';
import { parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { base64Hashes, toSequencerItem } from './event-item.js';
import type { LedgerEvent } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import { openLedgerStore, type LedgerStore } from './ledger-store.js';
import { createLocalSequencer } from './local-sequencer.js';
import type { LedgerReceipt } from './receipt.js';
import type { Sequencer, SequencerItem } from './sequencer.js';
import type { NoteSigner } from './signed-note.js';
import { createSerialTasks } from './serial-tasks.js';

export interface LedgerOptions {
  readonly dir: string;
  /** Ed25519 key that signs checkpoints (the gateway signing key, api.md §2 XBORDER_SIGNING_KEY). */
  readonly signer: NoteSigner;
  /** Checkpoint origin line: names this log (tlog-checkpoint), e.g. "xborder.example/ledger". */
  readonly origin: string;
  /** Write a checkpoint once this many entries or seconds have passed since the last one (whichever first). */
  readonly checkpointEvery: { readonly entries: number; readonly seconds: number };
  readonly now: () => Date;
  /** Multi-process deployments pass createRedisSequencer(...); default: this process is the only writer. The ledger owns it (closes it). */
  readonly sequencer?: Sequencer;
  /** Background failures (automatic checkpoints); default: ignored. */
  readonly onError?: (err: unknown) => void;
}

export interface AppendResult {
  readonly index: number;
  /** base64 of the RFC 6962 leaf hash as stored. */
  readonly leafHash: string;
  readonly eventId: string;
  /** true when `eventId` was already recorded (a retry): nothing new was appended, `index` is the first entry. */
  readonly duplicate: boolean;
}

export interface InclusionProofView {
  readonly index: number;
  readonly size: number;
  /** base64 hashes, leaf side first (RFC 6962 §2.1.1). */
  readonly hashes: readonly string[];
}

export interface ConsistencyProofView {
  readonly from: number;
  readonly to: number;
  readonly hashes: readonly string[];
}

export interface Ledger {
  /** Resolves once the event is in the tree and fsynced. Pass `event.eventId` to make retries idempotent. */
  append(event: LedgerEvent): Promise<AppendResult>;
  /** Several events, in order, in one submission. */
  appendMany(events: readonly LedgerEvent[]): Promise<AppendResult[]>;
  /** Entries this process can serve (a tiles ledger: the latest checkpoint it has seen, or what it sequenced). */
  size(): number;
  /** The leaf bytes (canonical JSON) of entry `index`. */
  entry(index: number): Promise<Buffer>;
  proof(index: number, size?: number): Promise<InclusionProofView>;
  consistency(from: number, to?: number): Promise<ConsistencyProofView>;
  /** Signs (and stores) a checkpoint for the current size; answers the latest one when it already covers it. */
  checkpoint(): Promise<string>;
  /** Writes a checkpoint if `checkpointEvery` says one is due and this process sequences; the timer calls it. */
  checkpointIfDue(): Promise<string | undefined>;
  latestCheckpoint(): Promise<string | undefined>;
  /** Every stored checkpoint note, oldest first. */
  checkpoints(): Promise<string[]>;
  /** An offline-verifiable receipt for entry `index` (signing a new checkpoint when none covers it yet). */
  receipt(index: number): Promise<LedgerReceipt>;
  close(): Promise<void>;
}

export async function createLedger(options: LedgerOptions): Promise<Ledger> {
  const { dir, signer, origin, checkpointEvery, now } = options;
  const onError = options.onError ?? (() => undefined);
  if (!(checkpointEvery.entries >= 1 && checkpointEvery.seconds > 0))
    throw new RangeError('checkpointEvery needs entries ≥ 1 and seconds > 0');
  // Fail at start, not at the first checkpoint, when the key or origin cannot sign.
  signCheckpoint({ origin, size: 0, rootHash: Buffer.alloc(32) }, signer);

  let reader: LedgerStore;
  let sequencer: Sequencer;
  if (options.sequencer === undefined) {
    // Single writer: the store itself serves reads and the local sequencer feeds its group commit.
    reader = await openLedgerStore(dir);
    sequencer = createLocalSequencer(reader);
  } else {
    reader = await openLedgerStore(dir, { readOnly: true });
    sequencer = options.sequencer;
  }

  let closed = false;
  let lastCheckpointAt = now().getTime();
  // Checkpoints are written one at a time in this process so manual and automatic ones do not race.
  const serial = createSerialTasks();

  /** Size of the latest checkpoint of this origin in the file (−1: none). */
  const readLatestSize = (): number => {
    const latest = readLatestCheckpoint(dir);
    if (latest === undefined) return -1;
    const parsed = parseCheckpoint(latest);
    return parsed.ok && parsed.checkpoint.origin === origin ? parsed.checkpoint.size : -1;
  };
  // Cached so the check after every batch costs no I/O; re-read from the file before acting on it, since another
  // process may have written a checkpoint meanwhile.
  let lastCheckpointSize = readLatestSize();

  const writeCheckpoint = async (): Promise<string> => {
    const size = reader.size();
    const latest = readLatestCheckpoint(dir);
    if (latest !== undefined) {
      const parsed = parseCheckpoint(latest);
      if (parsed.ok && parsed.checkpoint.origin === origin && parsed.checkpoint.size === size) return latest;
    }
    const note = signCheckpoint({ origin, size, rootHash: reader.root(size) }, signer);
    await appendCheckpoint(dir, note);
    lastCheckpointAt = now().getTime();
    lastCheckpointSize = size;
    return note;
  };

  const isDue = (size: number, last: number): boolean =>
    size > Math.max(last, 0) &&
    (size - Math.max(last, 0) >= checkpointEvery.entries ||
      now().getTime() - lastCheckpointAt >= checkpointEvery.seconds * 1000);

  const checkpointIfDue = (): Promise<string | undefined> =>
    serial.run(async () => {
      if (closed || !sequencer.isSequencing() || !isDue(reader.size(), lastCheckpointSize)) return undefined;
      lastCheckpointSize = readLatestSize();
      return isDue(reader.size(), lastCheckpointSize) ? writeCheckpoint() : undefined;
    });

  // Many batches may land in one tick; one check covers them.
  let checkQueued = false;
  const runInBackground = (): void => {
    if (checkQueued) return;
    checkQueued = true;
    setImmediate(() => {
      checkQueued = false;
      checkpointIfDue().catch(onError);
    });
  };
  sequencer.onIntegrated(runInBackground);
  const timer = setInterval(runInBackground, Math.min(Math.max(checkpointEvery.seconds * 250, 100), 5000));
  timer.unref();

  const checkOpen = (): void => {
    if (closed) throw new LedgerError('CLOSED', 'the ledger is closed');
  };

  const appendMany = async (events: readonly LedgerEvent[]): Promise<AppendResult[]> => {
    checkOpen();
    const items = events.map(toSequencerItem);
    const answers = await sequencer.submit(items);
    return answers.map(({ index, duplicate }, k) => {
      const item = items[k] as SequencerItem;
      // Read back from the store, so a repeated id answers with the entry really recorded under it.
      return {
        index,
        leafHash: reader.getLeafHash(index).toString('base64'),
        eventId: item.id,
        duplicate: duplicate !== false,
      };
    });
  };

  return {
    async append(event) {
      const [result] = await appendMany([event]);
      return result as AppendResult;
    },
    appendMany,
    size: () => reader.size(),
    entry: (index) => Promise.resolve().then(() => reader.getLeaf(index)),
    proof: (index, size) =>
      Promise.resolve().then(() => {
        const at = size ?? reader.size();
        return { index, size: at, hashes: base64Hashes(reader.inclusionProof(index, at)) };
      }),
    consistency: (from, to) =>
      Promise.resolve().then(() => {
        const at = to ?? reader.size();
        return { from, to: at, hashes: base64Hashes(reader.consistencyProof(from, at)) };
      }),
    checkpoint: () => {
      checkOpen();
      return serial.run(writeCheckpoint);
    },
    checkpointIfDue,
    latestCheckpoint: () => Promise.resolve().then(() => readLatestCheckpoint(dir)),
    checkpoints: () =>
      Promise.resolve().then(() =>
        readCheckpointRecords(dir).flatMap((r) => (r.note === undefined ? [] : [r.note])),
      ),
    async receipt(index) {
      checkOpen();
      if (!Number.isSafeInteger(index) || index < 0 || index >= reader.size())
        throw new LedgerError('OUT_OF_RANGE', `no entry ${index}`);
      let note = readLatestCheckpoint(dir);
      let parsed = note === undefined ? undefined : parseCheckpoint(note);
      if (
        note === undefined ||
        parsed === undefined ||
        !parsed.ok ||
        parsed.checkpoint.origin !== origin ||
        parsed.checkpoint.size <= index
      ) {
        note = await serial.run(writeCheckpoint);
        parsed = parseCheckpoint(note);
      }
      if (!parsed.ok) throw new LedgerError('CORRUPT', 'the latest checkpoint does not parse');
      const size = parsed.checkpoint.size;
      return {
        entry: reader.getLeaf(index).toString('base64'),
        index,
        proof: { size, hashes: base64Hashes(reader.inclusionProof(index, size)) },
        checkpoint: note,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await serial.idle();
      await sequencer.close();
      await reader.close();
    },
  };
}
