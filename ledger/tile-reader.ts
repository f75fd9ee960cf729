// ledger/tile-reader: serves a C2SP tlog-tiles log (tile-math.ts) from any host — entries, leaf hashes, roots,
// inclusion and consistency proofs, checkpoints — with a local cache of full tiles, which never change. Never
// writes the log (tile-writer.ts does, under the sequencer lease).
//
// Sizes: the reader knows the largest checkpoint it has seen (`refresh()`); a stale sequencer may put an older
// checkpoint back, so the size never goes down. Tiles are addressed at that size: the writer stores the partial
// tiles of every size it acknowledges, checkpoint sizes included, and a partial tile is a prefix of the full one.
// Proofs: the RFC 6962 recursion asks for subtree hashes synchronously and which ones depends only on indexes and
// sizes, so a first pass records the tiles it lacks, they are fetched together, and a second pass answers.
import { parseCheckpoint } from './checkpoint.js';
import { LedgerError } from './ledger-error.js';
import { generateConsistencyProof, generateInclusionProof } from './merkle-proof.js';
import { hashChildren, HASH_SIZE } from './merkle-hash.js';
import { computeRoot, type SubtreeHashFn } from './subtree-hash.js';
import {
  CHECKPOINT_PATH,
  decodeBundle,
  entriesPath,
  hashTileRange,
  locateSubtree,
  TILE_WIDTH,
  tilePath,
  tileWidth,
} from './tile-math.js';
import type { TileStorage } from './tile-storage.js';

/** Every checkpoint the sequencer signed, by size (zero-padded so a listing sorts): an xborder extension. */
export const CHECKPOINT_HISTORY_PREFIX = 'checkpoints/';
export function checkpointHistoryKey(size: number): string {
  return `${CHECKPOINT_HISTORY_PREFIX}${String(size).padStart(20, '0')}`;
}

export interface TileReaderOptions {
  readonly storage: TileStorage;
  /** Full tiles fetched are kept here (another TileStorage, e.g. a directory): they never change. */
  readonly cache?: TileStorage;
  /** Only checkpoints of this origin count. */
  readonly origin: string;
}

export interface TileReader {
  /** Entries covered by the largest checkpoint seen so far. */
  size(): number;
  /** Reads the `checkpoint` object; resolves with the (never decreasing) size. */
  refresh(): Promise<number>;
  /** The writer in this process stored the tiles of `size` (acknowledged, not yet checkpointed): serve up to it. */
  observe(size: number): void;
  /** The latest checkpoint note seen (undefined: none yet). */
  latestCheckpoint(): Promise<string | undefined>;
  /** Every checkpoint note in the history, oldest first. */
  checkpoints(): Promise<string[]>;
  getLeaf(index: number): Promise<Buffer>;
  getLeafHash(index: number): Promise<Buffer>;
  root(size?: number): Promise<Buffer>;
  /**
   * The root at `size` with leaves [from, from + leafHashes.length) taken from `leafHashes` instead of the tiles:
   * equal to a signed root, it proves those leaves are the log's (a range inclusion proof; O(n + log size)).
   */
  rootWithLeaves(size: number, from: number, leafHashes: readonly Buffer[]): Promise<Buffer>;
  inclusionProof(index: number, size?: number): Promise<Buffer[]>;
  consistencyProof(from: number, to?: number): Promise<Buffer[]>;
}

const MEMORY_TILES = 2048;

export function createTileReader(options: TileReaderOptions): TileReader {
  const { storage, cache, origin } = options;
  let known = 0;
  let latest: string | undefined;
  // Tiles in memory by path (full and partial): a bounded map, dropped whole when full (cheap, and hot tiles
  // are the right edge, fetched again at once).
  const memory = new Map<string, Uint8Array>();
  const remember = (path: string, body: Uint8Array): void => {
    if (memory.size >= MEMORY_TILES) memory.clear();
    memory.set(path, body);
  };

  const fetchTile = async (path: string, full: boolean): Promise<Uint8Array> => {
    const inMemory = memory.get(path);
    if (inMemory !== undefined) return inMemory;
    const cached = full && cache !== undefined ? await cache.get(path) : undefined;
    const body = cached ?? (await storage.get(path));
    if (body === undefined)
      throw new LedgerError('CORRUPT', `the tile ${path} is missing from the ledger store`);
    if (full && cached === undefined && cache !== undefined) await cache.put(path, body);
    remember(path, body);
    return body;
  };

  const refresh = async (): Promise<number> => {
    const body = await storage.get(CHECKPOINT_PATH);
    if (body === undefined) return known;
    const note = Buffer.from(body).toString('utf8');
    const parsed = parseCheckpoint(note);
    if (!parsed.ok || parsed.checkpoint.origin !== origin) return known;
    if (parsed.checkpoint.size >= known) {
      known = parsed.checkpoint.size;
      latest = note;
    }
    return known;
  };

  /** The hash tile (level, index) of the log at `size`, as it is stored (full or `.p/W`). */
  const hashTilePath = (level: number, index: number, size: number): { path: string; full: boolean } => {
    const width = tileWidth(level, index, size);
    if (width === 0) throw new LedgerError('OUT_OF_RANGE', `tile ${level}/${index} is beyond size ${size}`);
    return { path: tilePath(level, index, width), full: width === TILE_WIDTH };
  };

  /**
   * Runs `compute` over subtree hashes from tiles: a dry pass to learn the tiles, a fetch, the real pass. Both
   * passes address tiles at `size`, the reader's size when the request began: the log grows during the fetch,
   * and a partial tile's path changes with it, so the second pass would look for tiles the first never fetched.
   */
  const withTiles = async <T>(size: number, compute: (get: SubtreeHashFn) => T): Promise<T> => {
    const wanted = new Map<string, boolean>();
    const loaded = new Map<string, Uint8Array>();
    const probe: SubtreeHashFn = (level, index) => {
      const slice = locateSubtree(level, index);
      const { path, full } = hashTilePath(slice.tileLevel, slice.tileIndex, size);
      const tile = memory.get(path);
      if (tile === undefined) {
        wanted.set(path, full);
        return Buffer.alloc(HASH_SIZE);
      }
      loaded.set(path, tile);
      return hashTileRange(tile, slice.first, slice.count);
    };
    compute(probe);
    await Promise.all([...wanted].map(async ([path, full]) => loaded.set(path, await fetchTile(path, full))));
    return compute((level, index) => {
      const slice = locateSubtree(level, index);
      const tile = loaded.get(hashTilePath(slice.tileLevel, slice.tileIndex, size).path);
      if (tile === undefined) throw new LedgerError('CORRUPT', 'a tile changed while a proof was computed');
      return hashTileRange(tile, slice.first, slice.count);
    });
  };

  const checkIndex = (index: number, within: number): void => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= within)
      throw new LedgerError('OUT_OF_RANGE', `no entry ${index} (size ${within})`);
  };
  const checkSize = (n: number, within: number): void => {
    if (!Number.isSafeInteger(n) || n < 0 || n > within)
      throw new LedgerError('OUT_OF_RANGE', `no tree of size ${n} (size ${within})`);
  };

  return {
    size: () => known,
    refresh,
    observe(size) {
      if (size > known) known = size;
    },
    async latestCheckpoint() {
      await refresh();
      return latest;
    },
    async checkpoints() {
      const keys: string[] = [];
      for await (const key of storage.list(CHECKPOINT_HISTORY_PREFIX)) keys.push(key);
      keys.sort();
      const notes = await Promise.all(keys.map((key) => storage.get(key)));
      return notes.flatMap((note) => (note === undefined ? [] : [Buffer.from(note).toString('utf8')]));
    },
    async getLeaf(index) {
      checkIndex(index, known);
      const bundle = Math.floor(index / TILE_WIDTH);
      const width = tileWidth(0, bundle, known);
      const body = await fetchTile(entriesPath(bundle, width), width === TILE_WIDTH);
      const entry = decodeBundle(body)[index % TILE_WIDTH];
      if (entry === undefined) throw new LedgerError('CORRUPT', `entry bundle ${bundle} is short`);
      return entry;
    },
    async getLeafHash(index) {
      const fixed = known;
      checkIndex(index, fixed);
      return withTiles(fixed, (get) => get(0, index));
    },
    async root(size) {
      const fixed = known;
      const at = size ?? fixed;
      checkSize(at, fixed);
      return withTiles(fixed, (get) => computeRoot(get, at));
    },
    async rootWithLeaves(size, from, leafHashes) {
      const fixed = known;
      checkSize(size, fixed);
      const to = from + leafHashes.length;
      if (!Number.isSafeInteger(from) || from < 0 || to > size)
        throw new LedgerError('OUT_OF_RANGE', `no leaves [${from}, ${to}) in size ${size}`);
      return withTiles(fixed, (get) => {
        // Subtrees outside the range come from the tiles; inside, from the given leaves; across, from both halves.
        const overlay: SubtreeHashFn = (level, index) => {
          const start = index * 2 ** level;
          if (start + 2 ** level <= from || start >= to) return get(level, index);
          if (level === 0) return leafHashes[start - from] as Buffer;
          return hashChildren(overlay(level - 1, 2 * index), overlay(level - 1, 2 * index + 1));
        };
        return computeRoot(overlay, size);
      });
    },
    async inclusionProof(index, size) {
      const fixed = known;
      const at = size ?? fixed;
      checkSize(at, fixed);
      checkIndex(index, at);
      return withTiles(fixed, (get) => generateInclusionProof(get, index, at));
    },
    async consistencyProof(from, to) {
      const fixed = known;
      const at = to ?? fixed;
      checkSize(at, fixed);
      checkSize(from, at);
      return withTiles(fixed, (get) => generateConsistencyProof(get, from, at));
    },
  };
}
