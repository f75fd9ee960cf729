// ledger/ledger-store: the durable, append-only Merkle log in one directory. Group commit (many concurrent appends,
// one write + one fsync), crash recovery on open, proofs read from disk. Knows nothing of events, Redis or signing.
//
// On-disk format (integers big-endian; files only grow, except recovery cutting a torn tail):
//   VERSION  "xborder-ledger 1\n"
//   leaves   THE LOG. Per entry: u32 length ‖ 4-byte check (first 4 bytes of the entry's RFC 6962 leaf hash) ‖ leaf
//   index    derived: per entry, u64 end offset of its record in `leaves`
//   tree     derived: every complete Merkle node (32-byte SHA-256), leaf hashes included, in postorder
//            (tree-layout.ts): 2n − popcount(n) nodes for n entries, so any subtree hash is one 32-byte read
//   synced   derived-file watermark: u64 n, twice — `index` and `tree` are fsynced for the first n entries
//   EPOCH    the lease term (sequencer-lease.ts) of the latest writer that opened the store, in decimal
// Commit, per batch: write the records to `leaves` and fdatasync it — the one fsync an append waits for — then
// write the batch's tree nodes and, last, its index slots (page cache), then acknowledge. Readers take the size
// from `index`, so they only ever see fsynced entries. `index` and `tree` are fsynced in the background (at most
// every DERIVED_SYNC_MS) and then `synced` is advanced.
// Fencing: a writer opened with a WriteFence records its epoch in EPOCH before recovery (refusing to open when a
// newer one is there) and, before each batch, checks that EPOCH is still its own and its lease still held; so a
// paused ex-sequencer stops at its next batch once the new one has opened. The residual window is a pause of a
// whole lease period between that check and the write (microseconds apart) — see ledger/README.md. A writer
// without a fence is alone by construction (one process: tests, tools).
// Recovery on open: trust `index`/`tree` up to `synced`; from there scan `leaves` record by record (whole, and its
// check matches its bytes), stop at the first torn one, rebuild `index`/`tree` for the scanned entries and cut
// every file to the last whole entry. A crash at any point leaves either the old or the new entry — never half.
//
// Costs: append O(1) amortised hashes per entry plus the shared write + fsync; getLeaf 2 reads; root(size) and
// each proof hash O(log n) 32-byte reads (a proof at most O(log² n)); open O(entries since the last background
// sync). Memory O(log n) (the frontier). Reads are synchronous positioned reads (page-cache hits in practice) so
// proofs stay plain functions.
import { fstatSync, writeSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createChunkReader, readExactly as readAt } from './file-reads.js';
import { LedgerError } from './ledger-error.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { HASH_SIZE, hashLeaf } from './merkle-hash.js';
import { generateConsistencyProof, generateInclusionProof } from './merkle-proof.js';
import { computeRoot, type SubtreeHashFn } from './subtree-hash.js';
import { countNodes, nodePosition } from './tree-layout.js';
import type { WriteFence } from './write-fence.js';

export const STORE_FORMAT = 'xborder-ledger 1\n';
export const STORE_FILES = {
  version: 'VERSION',
  leaves: 'leaves',
  index: 'index',
  tree: 'tree',
  synced: 'synced',
  epoch: 'EPOCH',
} as const;
/** Events are small JSON documents; a cap keeps one batch's memory bounded. */
export const MAX_LEAF_BYTES = 1024 * 1024;
export const OFFSET_SIZE = 8;
/** u32 length ‖ 4 check bytes before each leaf in `leaves`. */
export const RECORD_HEADER_SIZE = 8;
export const CHECK_SIZE = 4;
const LENGTH_SIZE = 4;
/** `index` and `tree` are fsynced at most this often (bounds the work recovery redoes). */
const DERIVED_SYNC_MS = 1000;
/** Leaf hashes of the newest entries kept in memory by the writer (a ring). */
const RECENT_HASHES = 4096;
/** One group commit writes at most this many leaf bytes; later appends wait for the next batch. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface LedgerStoreStats {
  /** Group commits done (each one write + fsync round), and the entries they carried. */
  readonly batches: number;
  readonly entries: number;
}

export interface LedgerStore {
  readonly dir: string;
  readonly readOnly: boolean;
  /** Entries that are durable. A read-only store sees the writer's progress (it re-reads the index length). */
  size(): number;
  /** Appends leaves in order; resolves with the first one's index once all are fsynced (group commit). The buffers are not copied: do not change them before it resolves. */
  append(leaves: readonly Uint8Array[]): Promise<number>;
  getLeaf(index: number): Buffer;
  getLeafHash(index: number): Buffer;
  /** Hash of the complete aligned subtree (level, index), straight from the `tree` file. */
  readonly subtreeHash: SubtreeHashFn;
  root(size?: number): Buffer;
  inclusionProof(index: number, size?: number): Buffer[];
  consistencyProof(from: number, to?: number): Buffer[];
  stats(): LedgerStoreStats;
  /**
   * Told by the sequencer once entries up to `size` are acknowledged in Redis (after the fenced publish): a store
   * that writes derived data only for acknowledged entries (the object-store tiles) writes it now.
   */
  published?(size: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenLedgerStoreOptions {
  /** Readers (proof servers, verifiers) never write and never run recovery. */
  readonly readOnly?: boolean;
  /** The sequencer's lease term: writes stop once a newer term opened the store or the lease is lost. */
  readonly fence?: WriteFence;
}

/** Directories open for writing in this process: a second writer here is a bug, refused at once. */
const writingHere = new Set<string>();

interface Files {
  readonly leaves: FileHandle;
  readonly index: FileHandle;
  readonly tree: FileHandle;
  readonly synced: FileHandle;
}

interface Pending {
  readonly leaves: readonly Buffer[];
  /** Leaf hashes, computed when the append arrives (while the previous batch is being fsynced). */
  readonly hashes: readonly Buffer[];
  readonly resolve: (first: number) => void;
  readonly reject: (err: unknown) => void;
}

/** Opens (creating if needed) the store in `dir`. A writer takes the directory's LOCK and recovers a torn tail. */
export async function openLedgerStore(
  dir: string,
  options: OpenLedgerStoreOptions = {},
): Promise<LedgerStore> {
  const readOnly = options.readOnly === true;
  await mkdir(dir, { recursive: true });
  if (!readOnly) {
    if (writingHere.has(dir))
      throw new LedgerError('LOCKED', `${dir} is already open for writing in this process`);
    writingHere.add(dir);
  }
  const release = (): void => {
    if (!readOnly) writingHere.delete(dir);
  };
  let files: Files | undefined;
  try {
    await checkFormat(dir, readOnly);
    if (!readOnly && options.fence !== undefined) await claimEpoch(dir, options.fence.epoch);
    files = await openFiles(dir, readOnly);
    const state = readOnly ? undefined : await recover(dir, files);
    return createStore(dir, files, release, state, readOnly ? undefined : options.fence);
  } catch (err) {
    if (files !== undefined) await closeFiles(files);
    release();
    throw err;
  }
}

/** The epoch recorded in EPOCH (0: none yet). */
function readEpoch(dir: string): number {
  try {
    const n = Number(readFileSync(join(dir, STORE_FILES.epoch), 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Records `epoch` as the store's writer (atomically: a private file renamed into place), or refuses a stale one. */
async function claimEpoch(dir: string, epoch: number): Promise<void> {
  const found = readEpoch(dir);
  if (found > epoch)
    throw new LedgerError('FENCED', `${dir} was opened by lease epoch ${found}; epoch ${epoch} is stale`);
  const staged = join(dir, `${STORE_FILES.epoch}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(staged, 'w');
  try {
    await handle.writeFile(`${epoch}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(staged, join(dir, STORE_FILES.epoch));
  await syncDirectory(dir);
}

async function checkFormat(dir: string, readOnly: boolean): Promise<void> {
  const path = join(dir, STORE_FILES.version);
  const found = await readFile(path, 'utf8').catch(() => undefined);
  if (found === undefined) {
    if (!readOnly) await createWhole(path, STORE_FORMAT);
    return;
  }
  if (found !== STORE_FORMAT)
    throw new LedgerError('CORRUPT', `${dir} holds an unknown ledger format ${JSON.stringify(found.trim())}`);
}

/**
 * Creates `path` holding `content` unless it exists, so that no reader ever sees it empty or half written (a
 * reader opening the same ledger while the first writer starts would take an empty file for a foreign format):
 * the content goes to a private file first, and link(2) publishes it whole or fails because the file is there.
 */
async function createWhole(path: string, content: string): Promise<void> {
  const staged = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(staged, content, { flag: 'wx' });
  try {
    await link(staged, path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  } finally {
    await unlink(staged);
  }
}

async function openFiles(dir: string, readOnly: boolean): Promise<Files> {
  const openOne = async (name: string): Promise<FileHandle> => {
    const path = join(dir, name);
    // Create without truncating ('a'), then reopen without O_APPEND: writes are positioned.
    await (await open(path, 'a')).close();
    return open(path, readOnly ? 'r' : 'r+');
  };
  const files = {
    leaves: await openOne(STORE_FILES.leaves),
    index: await openOne(STORE_FILES.index),
    tree: await openOne(STORE_FILES.tree),
    synced: await openOne(STORE_FILES.synced),
  };
  if (!readOnly) await syncDirectory(dir);
  return files;
}

async function closeFiles(files: Files): Promise<void> {
  await Promise.allSettled([
    files.leaves.close(),
    files.index.close(),
    files.tree.close(),
    files.synced.close(),
  ]);
}

/** fsync the directory so newly created files survive a power loss. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface RecentHash {
  readonly index: number;
  readonly hash: Buffer;
}

interface WriterState {
  size: number;
  leavesEnd: number;
  treeEnd: number;
  frontier: MerkleFrontier;
  /** Entries whose index slots and tree nodes are known fsynced (the `synced` watermark). */
  synced: number;
}

function readExactly(handle: FileHandle, position: number, length: number): Buffer {
  return readAt(handle.fd, position, length);
}

function readOffset(files: Files, i: number): number {
  return Number(readExactly(files.index, i * OFFSET_SIZE, OFFSET_SIZE).readBigUInt64BE(0));
}

function readWatermark(files: Files): number {
  if (fstatSync(files.synced.fd).size < 2 * OFFSET_SIZE) return 0;
  const raw = readExactly(files.synced, 0, 2 * OFFSET_SIZE);
  const a = raw.readBigUInt64BE(0);
  // Written twice so a torn write of the watermark itself reads as "nothing known synced".
  return a === raw.readBigUInt64BE(OFFSET_SIZE) ? Number(a) : 0;
}

async function writeWatermark(files: Files, size: number): Promise<void> {
  const raw = Buffer.alloc(2 * OFFSET_SIZE);
  raw.writeBigUInt64BE(BigInt(size), 0);
  raw.writeBigUInt64BE(BigInt(size), OFFSET_SIZE);
  await writeFully(files.synced, raw, 0);
  await files.synced.datasync();
}

/**
 * Finds the last whole entry and cuts every file back to it. `index` and `tree` are trusted up to the `synced`
 * watermark (after checking the watermark's own last entry); `leaves` is scanned from there, each record checked
 * against its check bytes; the derived files are rewritten for the scanned entries.
 */
async function recover(dir: string, files: Files): Promise<WriterState> {
  const leavesLen = fstatSync(files.leaves.fd).size;
  const treeLen = fstatSync(files.tree.fd).size;
  const indexLen = fstatSync(files.index.fd).size;
  const readNode = (position: number): Buffer => readExactly(files.tree, position * HASH_SIZE, HASH_SIZE);

  let synced = readWatermark(files);
  const trustworthy = (w: number): boolean => {
    if (w === 0) return true;
    if (w * OFFSET_SIZE > indexLen || countNodes(w) * HASH_SIZE > treeLen) return false;
    const end = readOffset(files, w - 1);
    const start = w > 1 ? readOffset(files, w - 2) : 0;
    if (end - start < RECORD_HEADER_SIZE || end > leavesLen) return false;
    const record = readExactly(files.leaves, start, end - start);
    return (
      record.readUInt32BE(0) === end - start - RECORD_HEADER_SIZE &&
      hashLeaf(record.subarray(RECORD_HEADER_SIZE)).equals(readNode(nodePosition(0, w - 1)))
    );
  };
  if (!trustworthy(synced)) synced = 0;

  const peaks = MerkleFrontier.peakPositions(synced).map(({ level, index }) =>
    readNode(nodePosition(level, index)),
  );
  const frontier = new MerkleFrontier(synced, peaks);
  let size = synced;
  let leavesEnd = synced > 0 ? readOffset(files, synced - 1) : 0;
  let treeEnd = countNodes(synced) * HASH_SIZE;
  let slots: Buffer[] = [];
  let nodes: Buffer[] = [];
  const flush = async (): Promise<void> => {
    const slotBytes = Buffer.concat(slots);
    const nodeBytes = Buffer.concat(nodes);
    await writeFully(files.tree, nodeBytes, treeEnd);
    await writeFully(files.index, slotBytes, (size - slots.length) * OFFSET_SIZE);
    treeEnd += nodeBytes.length;
    slots = [];
    nodes = [];
  };

  // Scan the log past the watermark: every whole record whose check matches is an entry.
  const reader = createChunkReader(files.leaves.fd, leavesLen);
  for (;;) {
    const header = reader.read(leavesEnd, RECORD_HEADER_SIZE);
    if (header === undefined || header.readUInt32BE(0) > MAX_LEAF_BYTES) break;
    const leaf = reader.read(leavesEnd + RECORD_HEADER_SIZE, header.readUInt32BE(0));
    if (leaf === undefined) break;
    const leafHash = hashLeaf(leaf);
    if (!leafHash.subarray(0, CHECK_SIZE).equals(header.subarray(CHECK_SIZE, RECORD_HEADER_SIZE))) break;
    frontier.append(leafHash, (_level, _index, hash) => nodes.push(hash));
    leavesEnd += RECORD_HEADER_SIZE + leaf.length;
    const slot = Buffer.alloc(OFFSET_SIZE);
    slot.writeBigUInt64BE(BigInt(leavesEnd), 0);
    slots.push(slot);
    size += 1;
    if (slots.length >= 65_536) await flush();
  }
  await flush();

  const cut = async (handle: FileHandle, length: number, current: number): Promise<void> => {
    if (current > length) await handle.truncate(length);
  };
  await Promise.all([
    cut(files.leaves, leavesEnd, leavesLen),
    cut(files.tree, treeEnd, treeLen),
    cut(files.index, size * OFFSET_SIZE, indexLen),
  ]);
  await Promise.all([files.leaves.datasync(), files.tree.datasync(), files.index.datasync()]);
  await syncDirectory(dir);
  if (size !== readWatermark(files)) await writeWatermark(files, size);
  return { size, leavesEnd, treeEnd, frontier, synced: size };
}

function writeFullySync(handle: FileHandle, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(handle.fd, data, done, data.length - done, position + done);
}

async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

function createStore(
  dir: string,
  files: Files,
  release: () => void,
  state: WriterState | undefined,
  fence: WriteFence | undefined,
): LedgerStore {
  const readOnly = state === undefined;
  const queue: Pending[] = [];
  const recentHashes: (RecentHash | undefined)[] = [];
  let draining: Promise<void> = Promise.resolve();
  let running = false;
  let failure: LedgerError | undefined;
  let closed = false;
  let batches = 0;
  let entries = 0;

  const size = (): number =>
    state === undefined ? Math.floor(fstatSync(files.index.fd).size / OFFSET_SIZE) : state.size;

  const checkOpen = (): void => {
    if (closed) throw new LedgerError('CLOSED', `the ledger store in ${dir} is closed`);
  };
  const checkIndex = (index: number, within: number): void => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= within)
      throw new LedgerError('OUT_OF_RANGE', `no entry ${index} (size ${within})`);
  };
  const checkSize = (n: number, current: number): void => {
    if (!Number.isSafeInteger(n) || n < 0 || n > current)
      throw new LedgerError('OUT_OF_RANGE', `no tree of size ${n} (size ${current})`);
  };

  const subtreeHash: SubtreeHashFn = (level, index) =>
    readExactly(files.tree, nodePosition(level, index) * HASH_SIZE, HASH_SIZE);

  // One batch: the records, one fdatasync of `leaves`; then its tree nodes and index slots (page cache).
  async function commit(batch: readonly Pending[], writer: WriterState): Promise<number> {
    if (fence !== undefined && (!fence.holding() || readEpoch(dir) !== fence.epoch))
      throw new LedgerError('FENCED', `lease epoch ${fence.epoch} no longer writes ${dir}`);
    const first = writer.size;
    const frontier = writer.frontier.clone();
    let count = 0;
    let bytes = 0;
    for (const p of batch) {
      count += p.leaves.length;
      for (const leaf of p.leaves) bytes += RECORD_HEADER_SIZE + leaf.length;
    }
    const records = Buffer.allocUnsafe(bytes);
    const offsets = Buffer.allocUnsafe(count * OFFSET_SIZE);
    const nodes: Buffer[] = [];
    let at = 0;
    let slot = 0;
    for (const p of batch) {
      p.leaves.forEach((leaf, k) => {
        const leafHash = p.hashes[k] as Buffer;
        records.writeUInt32BE(leaf.length, at);
        leafHash.copy(records, at + LENGTH_SIZE, 0, CHECK_SIZE);
        leaf.copy(records, at + RECORD_HEADER_SIZE);
        at += RECORD_HEADER_SIZE + leaf.length;
        offsets.writeBigUInt64BE(BigInt(writer.leavesEnd + at), slot * OFFSET_SIZE);
        slot += 1;
        frontier.append(leafHash, (_level, _index, hash) => nodes.push(hash));
      });
    }
    const nodeBytes = Buffer.concat(nodes);
    // Writes into the page cache are done synchronously (microseconds; no thread-pool round trip on the ack path);
    // only the fsync goes to the thread pool.
    writeFullySync(files.leaves, records, writer.leavesEnd);
    await files.leaves.datasync();
    // Durable from here. Tree before index: a reader that sees an index slot finds the nodes it needs.
    writeFullySync(files.tree, nodeBytes, writer.treeEnd);
    writeFullySync(files.index, offsets, first * OFFSET_SIZE);
    writer.size += count;
    writer.leavesEnd += bytes;
    writer.treeEnd += nodeBytes.length;
    writer.frontier = frontier;
    // Remember the newest leaf hashes: appenders usually ask for them right away.
    let index = first;
    for (const p of batch)
      for (const hash of p.hashes) recentHashes[index % RECENT_HASHES] = { index: index++, hash };
    return first;
  }

  let lastDerivedSync = Date.now();
  let derivedSync: Promise<void> = Promise.resolve();
  let derivedSyncing = false;
  /** fsync `tree` and `index`, then advance `synced` to what they held when the fsync started. */
  const syncDerived = (writer: WriterState): Promise<void> => {
    if (derivedSyncing || writer.synced === writer.size) return derivedSync;
    derivedSyncing = true;
    lastDerivedSync = Date.now();
    const upTo = writer.size;
    derivedSync = Promise.all([files.tree.datasync(), files.index.datasync()])
      .then(() => writeWatermark(files, upTo))
      .then(() => {
        writer.synced = upTo;
      })
      .catch((err: unknown) => {
        failure ??= new LedgerError('IO', `ledger sync failed in ${dir}; reopen the store`, { cause: err });
      })
      .finally(() => {
        derivedSyncing = false;
      });
    return derivedSync;
  };

  async function drain(writer: WriterState): Promise<void> {
    while (queue.length > 0) {
      // Everything queued while the previous batch was being fsynced goes into this one (group commit).
      let bytes = 0;
      let take = 0;
      while (take < queue.length && (take === 0 || bytes < MAX_BATCH_BYTES)) {
        bytes += (queue[take] as Pending).leaves.reduce((sum, leaf) => sum + leaf.length, 0);
        take += 1;
      }
      const batch = queue.splice(0, take);
      try {
        let first = await commit(batch, writer);
        batches += 1;
        for (const p of batch) {
          entries += p.leaves.length;
          p.resolve(first);
          first += p.leaves.length;
        }
        // In the background, beside the next batch's fsync: bounds what recovery has to redo.
        if (Date.now() - lastDerivedSync >= DERIVED_SYNC_MS) void syncDerived(writer);
      } catch (err) {
        // After a failed write or fsync the page cache may no longer match the disk (a retried fsync can
        // falsely succeed), so refuse further appends; reopening runs recovery against what is really there.
        failure =
          err instanceof LedgerError && err.code === 'FENCED'
            ? err
            : new LedgerError('IO', `ledger write failed in ${dir}; reopen the store`, { cause: err });
        for (const p of [...batch, ...queue.splice(0)]) p.reject(failure);
      }
    }
    // Cleared in the same synchronous step as the last emptiness check, so no append can slip in unseen.
    running = false;
  }

  function append(leaves: readonly Uint8Array[]): Promise<number> {
    if (state === undefined)
      return Promise.reject(new LedgerError('CLOSED', `the ledger store in ${dir} is read-only`));
    if (closed) return Promise.reject(new LedgerError('CLOSED', `the ledger store in ${dir} is closed`));
    if (failure !== undefined) return Promise.reject(failure);
    // No copy: the leaves must not be changed until the append resolves.
    const copies = leaves.map((leaf) =>
      Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength),
    );
    const tooBig = copies.findIndex((leaf) => leaf.length > MAX_LEAF_BYTES);
    if (tooBig >= 0)
      return Promise.reject(
        new LedgerError('BAD_EVENT', `leaf ${tooBig} is larger than ${MAX_LEAF_BYTES} bytes`),
      );
    if (copies.length === 0) return Promise.resolve(state.size);
    const hashes = copies.map(hashLeaf);
    return new Promise<number>((resolve, reject) => {
      queue.push({ leaves: copies, hashes, resolve, reject });
      // Start on a microtask so every append made in the same tick shares the first batch too.
      if (!running) {
        running = true;
        draining = Promise.resolve().then(() => drain(state));
      }
    });
  }

  return {
    dir,
    readOnly,
    size,
    append,
    subtreeHash,
    getLeaf(index) {
      checkOpen();
      checkIndex(index, size());
      const start = index > 0 ? readOffset(files, index - 1) : 0;
      const end = readOffset(files, index);
      if (end - start < RECORD_HEADER_SIZE)
        throw new LedgerError('CORRUPT', `entry ${index} has a bad index slot`);
      const record = readExactly(files.leaves, start, end - start);
      if (record.readUInt32BE(0) !== end - start - RECORD_HEADER_SIZE)
        throw new LedgerError('CORRUPT', `entry ${index} has a bad length prefix`);
      return record.subarray(RECORD_HEADER_SIZE);
    },
    getLeafHash(index) {
      checkOpen();
      checkIndex(index, size());
      return recentHashes[index % RECENT_HASHES]?.index === index
        ? (recentHashes[index % RECENT_HASHES] as RecentHash).hash
        : subtreeHash(0, index);
    },
    root(n) {
      checkOpen();
      const current = size();
      const at = n ?? current;
      checkSize(at, current);
      return state !== undefined && at === state.size ? state.frontier.root() : computeRoot(subtreeHash, at);
    },
    inclusionProof(index, n) {
      checkOpen();
      const current = size();
      const at = n ?? current;
      checkSize(at, current);
      checkIndex(index, at);
      return generateInclusionProof(subtreeHash, index, at);
    },
    consistencyProof(from, to) {
      checkOpen();
      const current = size();
      const at = to ?? current;
      checkSize(at, current);
      checkSize(from, at);
      return generateConsistencyProof(subtreeHash, from, at);
    },
    stats: () => ({ batches, entries }),
    async close() {
      if (closed) return;
      closed = true;
      await draining;
      // A clean close leaves nothing for recovery to redo.
      if (state !== undefined && failure === undefined) {
        await derivedSync;
        await syncDerived(state);
      }
      await closeFiles(files);
      release();
    },
  };
}
