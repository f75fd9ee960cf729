// ledger/tile-writer: the sequencer's side of a C2SP tlog-tiles log (tile-math.ts) in a TileStorage — stage each
// batch durably, write tiles and entry bundles once Redis acknowledged it, sign checkpoints. Exists only inside a
// lease term (the redis sequencer opens it with its WriteFence), so only the sequencer ever signs. Reads are
// tile-reader.ts's.
//
// Why staging, and why it is safe without conditional writes (ledger/README.md has the long form):
// - An append must be durable before it is acknowledged, but a tile path (`tile/entries/0.p/110`) written for
//   entries Redis has not acknowledged could be written differently by the next sequencer. So a batch is first
//   stored under a key of its own, `staging/<first index>-<epoch>` (tlog-tiles entry bundle format), and tiles are
//   written only after the fenced publish in Redis acknowledged it (`published`).
// - Acknowledged entries never change (the publish script refuses a second history: lease value and size), so
//   the content of every tile path, checkpoint history key and partial tile is a function of the acknowledged log:
//   a stale sequencer that wakes up late and rewrites one writes the same bytes. Its only visible write is putting
//   an older (valid) `checkpoint` back; readers never go back in size, and the next checkpoint replaces it.
// - A new term rebuilds from the latest checkpoint C: the right-edge partial tiles at C, then the staged batches
//   from C on. A term of epoch e starts staging exactly where the log it opened ended, so replaying epochs in
//   increasing order, each cutting the log back to its own first index, drops what a stale lower term staged
//   after e took over; what is left beyond Redis' acknowledged size is reconciled (published) as the file store's
//   unacknowledged tail is.
import { parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { LedgerError } from './ledger-error.js';
import { HASH_SIZE, hashLeaf } from './merkle-hash.js';
import { computeRoot, type SubtreeHashFn } from './subtree-hash.js';
import type { SequencerStore } from './sequencer.js';
import type { NoteSigner } from './signed-note.js';
import {
  CHECKPOINT_PATH,
  decodeBundle,
  encodeBundle,
  entriesPath,
  hashTileRange,
  locateSubtree,
  MAX_BUNDLE_ENTRY_BYTES,
  TILE_WIDTH,
  tilePath,
} from './tile-math.js';
import { CHECKPOINT_HISTORY_PREFIX, checkpointHistoryKey } from './tile-reader.js';
import type { TileStorage } from './tile-storage.js';
import type { WriteFence } from './write-fence.js';
import { createSerialTasks } from './serial-tasks.js';

export const STAGING_PREFIX = 'staging/';

export interface TileWriterOptions {
  readonly storage: TileStorage;
  readonly fence: WriteFence;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** A checkpoint once this many entries or seconds have passed since the last one (whichever first). */
  readonly checkpointEvery: { readonly entries: number; readonly seconds: number };
  readonly now: () => Date;
  /** The size some host needs a checkpoint for (a receipt), polled; default: none. */
  readonly wantedSize?: () => Promise<number>;
  /** Called once the tiles of `size` are stored (the local reader may serve up to it). */
  readonly onTiles?: (size: number) => void;
  readonly onError?: (err: unknown) => void;
}

export interface TileWriter extends SequencerStore {
  /** Entries whose tiles are stored. */
  tilesSize(): number;
  /** Signs and stores a checkpoint of `tilesSize()` (or answers the latest when it covers that already). */
  checkpoint(): Promise<string>;
}

interface Staged {
  readonly key: string;
  readonly first: number;
  readonly epoch: number;
  count: number;
}

export function stagingKey(first: number, epoch: number): string {
  return `${STAGING_PREFIX}${String(first).padStart(16, '0')}-${String(epoch).padStart(12, '0')}`;
}

function parseStagingKey(key: string): { first: number; epoch: number } | undefined {
  const match = /^staging\/(\d{16})-(\d{12})$/.exec(key);
  return match === null ? undefined : { first: Number(match[1]), epoch: Number(match[2]) };
}

function splitHashes(tile: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + HASH_SIZE <= tile.length; at += HASH_SIZE)
    out.push(Buffer.from(tile.subarray(at, at + HASH_SIZE)));
  return out;
}

export async function openTileWriter(options: TileWriterOptions): Promise<TileWriter> {
  const { storage, fence, origin, signer, checkpointEvery, now } = options;
  const onError = options.onError ?? (() => undefined);
  const checkFence = (): void => {
    if (!fence.holding())
      throw new LedgerError('FENCED', `lease epoch ${fence.epoch} no longer writes the ledger`);
  };
  checkFence();

  // ---- rebuild: the latest checkpoint, its right-edge tiles, the staged batches after it ---------------------
  let latestNote: string | undefined;
  let checkpointed = 0;
  // The newest of `checkpoint` and the history: a stale term may have put an older `checkpoint` back after the
  // staged batches below a newer one were deleted.
  let newest: string | undefined;
  for await (const key of storage.list(CHECKPOINT_HISTORY_PREFIX))
    if (newest === undefined || key > newest) newest = key;
  const fromHistory = newest === undefined ? undefined : await storage.get(newest);
  const current = await storage.get(CHECKPOINT_PATH);
  const sizeOf = (body: Uint8Array | undefined): number => {
    const parsed = body === undefined ? undefined : parseCheckpoint(Buffer.from(body).toString('utf8'));
    return parsed?.ok === true ? parsed.checkpoint.size : -1;
  };
  const stored = sizeOf(fromHistory) > sizeOf(current) ? fromHistory : current;
  if (stored !== undefined) {
    latestNote = Buffer.from(stored).toString('utf8');
    const parsed = parseCheckpoint(latestNote);
    if (!parsed.ok || parsed.checkpoint.origin !== origin)
      throw new LedgerError('CORRUPT', 'the stored checkpoint does not parse or names another log');
    checkpointed = parsed.checkpoint.size;
  }
  let tiles = checkpointed;
  const edges: Buffer[][] = [];
  for (let level = 0; TILE_WIDTH ** level <= tiles; level += 1) {
    const hashes = Math.floor(tiles / TILE_WIDTH ** level);
    const width = hashes % TILE_WIDTH;
    if (width === 0) {
      edges[level] = [];
      continue;
    }
    const path = tilePath(level, Math.floor(hashes / TILE_WIDTH), width);
    const body = await storage.get(path);
    if (body === undefined || body.length !== width * HASH_SIZE)
      throw new LedgerError('CORRUPT', `the tile ${path} of checkpoint size ${tiles} is missing or short`);
    edges[level] = splitHashes(body);
  }
  let edgeEntries: Buffer[] = [];
  if (tiles % TILE_WIDTH > 0) {
    const path = entriesPath(Math.floor(tiles / TILE_WIDTH), tiles % TILE_WIDTH);
    const body = await storage.get(path);
    if (body === undefined) throw new LedgerError('CORRUPT', `the entry bundle ${path} is missing`);
    edgeEntries = decodeBundle(body);
  }

  const staged: Staged[] = [];
  for await (const key of storage.list(STAGING_PREFIX)) {
    const parsed = parseStagingKey(key);
    if (parsed !== undefined) staged.push({ key, ...parsed, count: 0 });
  }
  staged.sort((a, b) => a.epoch - b.epoch || a.first - b.first);
  // Replay terms in epoch order; each cuts the log back to where it started staging.
  let pending: Buffer[] = [];
  let term = -1;
  for (const batch of staged) {
    if (batch.epoch >= fence.epoch)
      throw new LedgerError('FENCED', `epoch ${batch.epoch} staged entries; epoch ${fence.epoch} is stale`);
    const body = await storage.get(batch.key);
    if (body === undefined) continue;
    const leaves = decodeBundle(body);
    batch.count = leaves.length;
    if (batch.first + leaves.length <= tiles) continue; // covered by the checkpoint already
    if (batch.epoch !== term) {
      term = batch.epoch;
      pending = pending.slice(0, Math.max(0, batch.first - tiles));
    }
    if (batch.first > tiles + pending.length)
      throw new LedgerError(
        'CORRUPT',
        `staged batch ${batch.key} leaves a gap after entry ${tiles + pending.length}`,
      );
    // A term restaging what it had already (it cannot, but keep the first); one straddling C starts the tail.
    if (batch.first >= tiles && batch.first < tiles + pending.length) continue;
    pending.push(...leaves.slice(Math.max(0, tiles - batch.first)));
  }

  // ---- appends, tiles, checkpoints ----------------------------------------------------------------------------
  let closed = false;
  let lastCheckpointAt = now().getTime();
  const serial = createSerialTasks();

  const edgeHash: SubtreeHashFn = (level, index) => {
    const slice = locateSubtree(level, index);
    const edge = edges[slice.tileLevel] ?? [];
    const expected = Math.floor(Math.floor(tiles / TILE_WIDTH ** slice.tileLevel) / TILE_WIDTH);
    if (slice.tileIndex !== expected) throw new RangeError('only right-edge subtrees are kept in memory');
    return hashTileRange(Buffer.concat(edge), slice.first, slice.count);
  };

  const append = (leaves: readonly Uint8Array[]): Promise<number> =>
    serial.run(async () => {
      if (closed) throw new LedgerError('CLOSED', 'the tile writer is closed');
      const copies = leaves.map((leaf) => Buffer.from(leaf));
      const tooBig = copies.findIndex((leaf) => leaf.length > MAX_BUNDLE_ENTRY_BYTES);
      if (tooBig >= 0)
        throw new LedgerError('BAD_EVENT', `leaf ${tooBig} is larger than a tile bundle entry (65535 bytes)`);
      const first = tiles + pending.length;
      if (copies.length === 0) return first;
      checkFence();
      const key = stagingKey(first, fence.epoch);
      await storage.put(key, encodeBundle(copies));
      staged.push({ key, first, epoch: fence.epoch, count: copies.length });
      pending.push(...copies);
      return first;
    });

  const writeTiles = async (size: number): Promise<void> => {
    const count = size - tiles;
    if (count <= 0) return;
    if (count > pending.length)
      throw new LedgerError(
        'CORRUPT',
        `asked for tiles of size ${size}, only ${tiles + pending.length} staged`,
      );
    const writes: [string, Buffer][] = [];
    const push = (level: number, hash: Buffer, at: number): void => {
      const edge = (edges[level] ??= []);
      edge.push(hash);
      if (edge.length < TILE_WIDTH) return;
      const body = Buffer.concat(edge);
      const index = Math.floor(at / TILE_WIDTH);
      writes.push([tilePath(level, index), body]);
      edges[level] = [];
      push(level + 1, hashTileRange(body, 0, TILE_WIDTH), index);
    };
    const leaves = pending.slice(0, count);
    leaves.forEach((leaf, k) => {
      const index = tiles + k;
      edgeEntries.push(leaf);
      if (edgeEntries.length === TILE_WIDTH) {
        writes.push([entriesPath(Math.floor(index / TILE_WIDTH)), encodeBundle(edgeEntries)]);
        edgeEntries = [];
      }
      push(0, hashLeaf(leaf), index);
    });
    // The right edge at the new size, at every level it reaches.
    if (edgeEntries.length > 0)
      writes.push([
        entriesPath(Math.floor(size / TILE_WIDTH), edgeEntries.length),
        encodeBundle(edgeEntries),
      ]);
    for (let level = 0; level < edges.length; level += 1) {
      const edge = edges[level] ?? [];
      const hashes = Math.floor(size / TILE_WIDTH ** level);
      const before = Math.floor(tiles / TILE_WIDTH ** level);
      if (edge.length > 0 && hashes !== before)
        writes.push([tilePath(level, Math.floor(hashes / TILE_WIDTH), edge.length), Buffer.concat(edge)]);
    }
    checkFence();
    await Promise.all(writes.map(([path, body]) => storage.put(path, body)));
    pending = pending.slice(count);
    tiles = size;
    options.onTiles?.(size);
  };

  const writeCheckpoint = async (): Promise<string> => {
    if (latestNote !== undefined && checkpointed === tiles) return latestNote;
    checkFence();
    const note = signCheckpoint({ origin, size: tiles, rootHash: computeRoot(edgeHash, tiles) }, signer);
    const body = Buffer.from(note, 'utf8');
    // History first: a reader that sees `checkpoint` finds it in the history too.
    await storage.put(checkpointHistoryKey(tiles), body);
    await storage.put(CHECKPOINT_PATH, body);
    latestNote = note;
    checkpointed = tiles;
    lastCheckpointAt = now().getTime();
    // Staged batches a checkpoint covers are in tiles for good (a new term starts from the checkpoint).
    const covered = staged.filter((b) => b.count > 0 && b.first + b.count <= checkpointed);
    await Promise.all(covered.map((b) => storage.delete(b.key)));
    for (const b of covered) staged.splice(staged.indexOf(b), 1);
    return note;
  };

  const checkpointIfDue = async (): Promise<void> => {
    if (closed || !fence.holding() || tiles <= checkpointed) return;
    const wanted = options.wantedSize === undefined ? 0 : await options.wantedSize();
    if (
      wanted > checkpointed ||
      tiles - checkpointed >= checkpointEvery.entries ||
      now().getTime() - lastCheckpointAt >= checkpointEvery.seconds * 1000
    )
      await serial.run(writeCheckpoint);
  };
  // Readers always find a checkpoint, the empty log's included.
  if (latestNote === undefined && tiles + pending.length === 0) await serial.run(writeCheckpoint);

  const timer = setInterval(
    () => void checkpointIfDue().catch(onError),
    Math.min(Math.max(checkpointEvery.seconds * 250, 50), 1000),
  );
  timer.unref();

  return {
    size: () => tiles + pending.length,
    tilesSize: () => tiles,
    append,
    getLeaf(index) {
      const leaf = pending[index - tiles];
      if (leaf === undefined)
        throw new LedgerError(
          'OUT_OF_RANGE',
          `entry ${index} is not in the staged tail [${tiles}, ${tiles + pending.length})`,
        );
      return leaf;
    },
    async published(size) {
      await serial.run(() => writeTiles(size));
      if (tiles - checkpointed >= checkpointEvery.entries) await serial.run(writeCheckpoint);
    },
    checkpoint: () => serial.run(writeCheckpoint),
    async close() {
      if (closed) return;
      clearInterval(timer);
      // A clean step-down leaves a checkpoint of everything acknowledged, so readers need not wait for the next term.
      if (fence.holding() && tiles > checkpointed) await serial.run(writeCheckpoint).catch(onError);
      closed = true;
      await serial.idle();
    },
  };
}
