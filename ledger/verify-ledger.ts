// ledger/verify-ledger: full audit of a ledger directory — recompute every leaf hash and tree node from the leaf
// bytes, compare with what is stored, and check each signed checkpoint's root at its size (which implies every
// checkpoint is consistent with every later one, RFC 9162 §2.1.4). Reads only; safe beside a live writer.
// One sequential pass: O(n) hashing, O(log n) memory.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointRecords } from './checkpoint-log.js';
import { verifyCheckpoint, type CheckpointVerifier } from './checkpoint.js';
import { createChunkReader, type ChunkReader } from './file-reads.js';
import { CHECK_SIZE, OFFSET_SIZE, RECORD_HEADER_SIZE, STORE_FILES, STORE_FORMAT } from './ledger-store.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { HASH_SIZE, hashLeaf } from './merkle-hash.js';

export type LedgerVerification =
  | {
      readonly ok: true;
      readonly size: number;
      /** Valid signed checkpoints found, and the largest size they sign (entries after it are not yet signed). */
      readonly checkpoints: number;
      readonly signedSize: number;
    }
  | { readonly ok: false; readonly firstBadIndex?: number; readonly reasons: readonly string[] };

/** At most this many reasons are listed; the rest are counted. */
const MAX_REASONS = 50;

/** Verifies the ledger in `dir` against its checkpoints signed by `verifier` (and `verifier.origin` when set). */
export async function verifyLedger(dir: string, verifier: CheckpointVerifier): Promise<LedgerVerification> {
  await Promise.resolve();
  const reasons: string[] = [];
  let extraReasons = 0;
  let firstBad: number | undefined;
  const report = (reason: string, index?: number): void => {
    if (reasons.length < MAX_REASONS) reasons.push(reason);
    else extraReasons += 1;
    if (index !== undefined && (firstBad === undefined || index < firstBad)) firstBad = index;
  };

  const format = readOptional(join(dir, STORE_FILES.version));
  if (format !== undefined && format !== STORE_FORMAT)
    report(`VERSION is ${JSON.stringify(format.trim())}, not ${JSON.stringify(STORE_FORMAT.trim())}`);

  const index = openReader(join(dir, STORE_FILES.index));
  const leaves = openReader(join(dir, STORE_FILES.leaves));
  const tree = openReader(join(dir, STORE_FILES.tree));
  try {
    // A partial last index slot is an append in progress (or torn by a crash): not an entry yet.
    const size = Math.floor(index.size / OFFSET_SIZE);

    // Checkpoints: each must carry a good signature and sign a size the ledger has.
    const bySize = new Map<number, { line: number; root: Buffer }[]>();
    let valid = 0;
    let signedSize = 0;
    for (const record of readCheckpointRecords(dir)) {
      if (record.note === undefined) {
        report(`checkpoint line ${record.line} is not a readable signed note`);
        continue;
      }
      const verified = verifyCheckpoint(record.note, verifier);
      if (!verified.ok) {
        report(
          `checkpoint line ${record.line} is refused: ${verified.reasons.map((r) => `${r.code} (${r.message})`).join('; ')}`,
        );
        continue;
      }
      const { size: signed, rootHash } = verified.checkpoint;
      if (signed > size) {
        report(
          `checkpoint line ${record.line} signs size ${signed} but the ledger holds ${size} entries`,
          size,
        );
        continue;
      }
      valid += 1;
      signedSize = Math.max(signedSize, signed);
      const list = bySize.get(signed) ?? [];
      list.push({ line: record.line, root: rootHash });
      bySize.set(signed, list);
    }
    const checkRoots = (at: number, root: Buffer, lastGood: number): number => {
      let good = lastGood;
      for (const cp of bySize.get(at) ?? []) {
        if (cp.root.equals(root)) {
          good = at;
          continue;
        }
        // The stored data agrees with itself but not with what was signed: entries in [lastGood, at) were rewritten.
        const exact = at - lastGood === 1 ? lastGood : undefined;
        report(
          `checkpoint line ${cp.line} (size ${at}) does not match the recomputed root: an entry in [${lastGood}, ${at}) was changed`,
          exact,
        );
      }
      return good;
    };

    // Stored nodes are compared with nodes recomputed from the leaf bytes. A mismatch is reported at the lowest
    // node that has it (a changed leaf also changes all its ancestors; those are consequences, not findings).
    const frontier = new MerkleFrontier();
    const badNodes = new Set<string>();
    let treePosition = 0;
    let shortTree = false;
    const visit = (level: number, at: number, computed: Buffer): void => {
      const stored = tree.read(treePosition * HASH_SIZE, HASH_SIZE);
      treePosition += 1;
      const firstLeaf = at * 2 ** level;
      let childBad = false;
      if (level > 0) {
        childBad = badNodes.delete(`${level - 1}:${2 * at}`);
        childBad = badNodes.delete(`${level - 1}:${2 * at + 1}`) || childBad;
      }
      if (stored === undefined) {
        if (!shortTree) report(`the tree file ends before node (level ${level}, index ${at})`, firstLeaf);
        shortTree = true;
        return;
      }
      const mismatch = !stored.equals(computed);
      if (mismatch && !childBad) {
        report(
          level === 0
            ? `entry ${at}: the leaf bytes do not hash to the stored leaf hash`
            : `stored tree node (level ${level}, index ${at}) over entries [${firstLeaf}, ${firstLeaf + 2 ** level}) does not match its children`,
          firstLeaf,
        );
      }
      if (mismatch || childBad) badNodes.add(`${level}:${at}`);
    };

    let lastGood = checkRoots(0, frontier.root(), 0);
    let previousEnd = 0;
    for (let i = 0; i < size; i += 1) {
      const slot = index.read(i * OFFSET_SIZE, OFFSET_SIZE) as Buffer;
      const end = Number(slot.readBigUInt64BE(0));
      let leafHash: Buffer | undefined;
      if (end - previousEnd < RECORD_HEADER_SIZE || end > leaves.size) {
        report(`entry ${i}: the index slot points outside the leaves file`, i);
      } else {
        const record = leaves.read(previousEnd, end - previousEnd) as Buffer;
        if (record.readUInt32BE(0) !== end - previousEnd - RECORD_HEADER_SIZE)
          report(`entry ${i}: the length prefix disagrees with the index`, i);
        leafHash = hashLeaf(record.subarray(RECORD_HEADER_SIZE));
        if (!leafHash.subarray(0, CHECK_SIZE).equals(record.subarray(CHECK_SIZE, RECORD_HEADER_SIZE)))
          report(`entry ${i}: the record's check bytes do not match its leaf`, i);
      }
      // With no readable leaf, carry on with the stored leaf hash so later entries are still checked.
      if (leafHash === undefined) {
        leafHash = tree.read(treePosition * HASH_SIZE, HASH_SIZE) ?? Buffer.alloc(HASH_SIZE);
        badNodes.add(`0:${i}`);
      }
      frontier.append(leafHash, visit);
      // A damaged slot is skipped over, so one bad slot does not make every later record look misplaced.
      if (end - previousEnd >= RECORD_HEADER_SIZE && end <= leaves.size) previousEnd = end;
      lastGood = checkRoots(i + 1, frontier.root(), lastGood);
    }

    if (extraReasons > 0) reasons.push(`… and ${extraReasons} more`);
    if (reasons.length > 0)
      return firstBad === undefined
        ? { ok: false, reasons }
        : { ok: false, firstBadIndex: firstBad, reasons };
    return { ok: true, size, checkpoints: valid, signedSize };
  } finally {
    index.close();
    leaves.close();
    tree.close();
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface FileReader extends ChunkReader {
  readonly size: number;
  close(): void;
}

/** A forward-scan reader over a file; a missing file reads as empty. */
function openReader(path: string): FileReader {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const size = fd === undefined ? 0 : fstatSync(fd).size;
  const chunks = fd === undefined ? undefined : createChunkReader(fd, size);
  return {
    size,
    read: (position, count) => chunks?.read(position, count),
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  };
}
