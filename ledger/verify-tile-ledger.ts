// ledger/verify-tile-ledger: full audit of a C2SP tlog-tiles ledger — every checkpoint's signature, every entry
// bundle up to the largest signed size, every hash tile recomputed from the entries, and each checkpoint's root at
// its size. Reads only (staged batches are not the log and are ignored); safe beside a live sequencer.
// One pass over the entries: O(n) hashing; memory O(256 · levels) hashes plus O(log n) for the frontier.
import { verifyCheckpoint, type CheckpointVerifier } from './checkpoint.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { hashLeaf } from './merkle-hash.js';
import {
  CHECKPOINT_PATH,
  decodeBundle,
  entriesPath,
  hashTileRange,
  TILE_WIDTH,
  tilePath,
  tileWidth,
} from './tile-math.js';
import { CHECKPOINT_HISTORY_PREFIX } from './tile-reader.js';
import type { TileStorage } from './tile-storage.js';
import type { LedgerVerification } from './verify-ledger.js';

const MAX_REASONS = 50;

export async function verifyTileLedger(
  storage: TileStorage,
  verifier: CheckpointVerifier,
): Promise<LedgerVerification> {
  const reasons: string[] = [];
  let firstBad: number | undefined;
  const report = (reason: string, index?: number): void => {
    if (reasons.length < MAX_REASONS) reasons.push(reason);
    if (index !== undefined && (firstBad === undefined || index < firstBad)) firstBad = index;
  };

  // Checkpoints: the history and the current one, each signed by the gateway key.
  const keys: string[] = [];
  for await (const key of storage.list(CHECKPOINT_HISTORY_PREFIX)) keys.push(key);
  keys.sort();
  keys.push(CHECKPOINT_PATH);
  const roots = new Map<number, Buffer>();
  let valid = 0;
  for (const key of keys) {
    const body = await storage.get(key);
    if (body === undefined) {
      if (key !== CHECKPOINT_PATH || keys.length > 1) report(`${key} is missing`);
      continue;
    }
    const verified = verifyCheckpoint(Buffer.from(body).toString('utf8'), verifier);
    if (!verified.ok) {
      report(`${key} is refused: ${verified.reasons.map((r) => `${r.code} (${r.message})`).join('; ')}`);
      continue;
    }
    const { size, rootHash } = verified.checkpoint;
    const seen = roots.get(size);
    if (seen !== undefined && !seen.equals(rootHash))
      report(`two checkpoints of size ${size} sign different roots`, 0);
    roots.set(size, rootHash);
    if (key !== CHECKPOINT_PATH) valid += 1;
  }
  const size = Math.max(0, ...roots.keys());

  // Entries and tiles at the largest signed size; each level's tile is recomputed from the level below.
  const frontier = new MerkleFrontier();
  const levels: Buffer[][] = [];
  const checkTile = async (level: number, index: number, hashes: readonly Buffer[]): Promise<void> => {
    const path = tilePath(level, index, hashes.length);
    const stored = await storage.get(path);
    if (stored === undefined) return report(`${path} is missing`, index * TILE_WIDTH ** (level + 1));
    // Name the first leaf under the first hash that differs.
    const k = hashes.findIndex((hash, i) => !hash.equals(Buffer.from(stored.subarray(i * 32, i * 32 + 32))));
    if (k >= 0 || stored.length !== hashes.length * 32)
      report(
        `${path} does not match the entries`,
        (index * TILE_WIDTH + Math.max(0, k)) * TILE_WIDTH ** level,
      );
  };
  const pushHash = async (level: number, hash: Buffer, position: number): Promise<void> => {
    const row = (levels[level] ??= []);
    row.push(hash);
    if (row.length < TILE_WIDTH) return;
    const tileIndex = Math.floor(position / TILE_WIDTH);
    await checkTile(level, tileIndex, row);
    levels[level] = [];
    await pushHash(level + 1, hashTileRange(Buffer.concat(row), 0, TILE_WIDTH), tileIndex);
  };
  if (roots.get(0) !== undefined && !roots.get(0)?.equals(frontier.root()))
    report('the empty checkpoint has a wrong root', 0);
  for (let bundle = 0; bundle * TILE_WIDTH < size; bundle += 1) {
    const width = tileWidth(0, bundle, size);
    const path = entriesPath(bundle, width);
    const body = await storage.get(path);
    let entries: Buffer[] = [];
    try {
      entries = body === undefined ? [] : decodeBundle(body);
    } catch {
      report(`${path} is not an entry bundle`, bundle * TILE_WIDTH);
    }
    if (entries.length !== width) {
      report(`${path} holds ${entries.length} entries, not ${width}`, bundle * TILE_WIDTH + entries.length);
      break;
    }
    for (const [k, entry] of entries.entries()) {
      const index = bundle * TILE_WIDTH + k;
      const leafHash = hashLeaf(entry);
      frontier.append(leafHash);
      await pushHash(0, leafHash, index);
      const root = roots.get(index + 1);
      if (root !== undefined && !root.equals(frontier.root()))
        report(`the checkpoint of size ${index + 1} signs a root the entries do not give`, index);
    }
  }
  // The right edge: partial tiles at the signed size.
  for (let level = 0; level < levels.length; level += 1) {
    const row = levels[level] ?? [];
    if (row.length > 0)
      await checkTile(level, Math.floor(Math.floor(size / TILE_WIDTH ** level) / TILE_WIDTH), row);
  }

  return reasons.length === 0
    ? { ok: true, size, checkpoints: valid, signedSize: size }
    : { ok: false, ...(firstBad === undefined ? {} : { firstBadIndex: firstBad }), reasons };
}
