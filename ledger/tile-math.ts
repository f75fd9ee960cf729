// ledger/tile-math: the C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles) as arithmetic — tile paths, tile
// widths for a tree size, which tile holds a subtree hash, entry bundle encoding. Pure; no I/O.
//
// A tile at level L holds up to 256 consecutive hashes of tree level 8·L (level 0: leaf hashes); tile N at level
// L starts at hash 256·N of that level. For a tree of size S, level 8·L has ⌊S / 256^L⌋ complete hashes, so tile
// N is full (256) or partial (`.p/W`, 1 ≤ W ≤ 255). A hash at tree level 8·L + r (0 ≤ r < 8) is the root of
// 2^r consecutive hashes of one level-L tile. Entry bundles (`tile/entries/N`) hold the leaves of level-0 tile N.
import { hashChildren } from './merkle-hash.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Entry bundles prefix each entry with a big-endian uint16 length (tlog-tiles), so an entry is < 64 KiB. */
export const MAX_BUNDLE_ENTRY_BYTES = 0xffff;
export const CHECKPOINT_PATH = 'checkpoint';

/** N as path elements: zero-padded 3-digit groups, all but the last prefixed with "x" (1234067 → x001/x234/067). */
export function formatTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad tile index ${n}`);
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function widthSuffix(width: number): string {
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`bad tile width ${width}`);
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]`. */
export function tilePath(level: number, index: number, width: number = TILE_WIDTH): string {
  if (!Number.isSafeInteger(level) || level < 0 || level > 63)
    throw new RangeError(`bad tile level ${level}`);
  return `tile/${level}/${formatTileIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>[.p/<W>]`. */
export function entriesPath(index: number, width: number = TILE_WIDTH): string {
  return `tile/entries/${formatTileIndex(index)}${widthSuffix(width)}`;
}

/** 256^level, the leaves under one hash of a level-`level` tile. */
function span(level: number): number {
  return TILE_WIDTH ** level;
}

/** Hashes tile (level, index) holds in the tree of `size` leaves: 0 (not yet begun) … 256 (full). */
export function tileWidth(level: number, index: number, size: number): number {
  const hashes = Math.floor(size / span(level));
  return Math.max(0, Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH));
}

export interface TileSlice {
  readonly tileLevel: number;
  readonly tileIndex: number;
  /** First hash of the tile that lies under the subtree. */
  readonly first: number;
  /** How many consecutive tile hashes the subtree covers (2^r). */
  readonly count: number;
}

/** Where the hash of the complete subtree (tree level, index) comes from: 2^r hashes of one tile. */
export function locateSubtree(level: number, index: number): TileSlice {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level % TILE_HEIGHT);
  const base = index * count;
  return {
    tileLevel,
    tileIndex: Math.floor(base / TILE_WIDTH),
    first: base % TILE_WIDTH,
    count,
  };
}

/** Root of `count` (a power of two) consecutive 32-byte hashes of `tile` starting at `first`. */
export function hashTileRange(tile: Uint8Array, first: number, count: number): Buffer {
  const at = (i: number): Buffer => Buffer.from(tile.buffer, tile.byteOffset + i * 32, 32);
  if ((first + count) * 32 > tile.length) throw new RangeError('the tile is narrower than the range asked');
  let level: Buffer[] = Array.from({ length: count }, (_, i) => at(first + i));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(hashChildren(level[i] as Buffer, level[i + 1] as Buffer));
    level = next;
  }
  return level[0] as Buffer;
}

/** tlog-tiles entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function encodeBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_BUNDLE_ENTRY_BYTES)
      throw new RangeError(`an entry of ${entry.length} bytes does not fit a tlog-tiles bundle`);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length, 0);
    parts.push(length, Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength));
  }
  return Buffer.concat(parts);
}

/** The entries of a bundle; throws RangeError on a truncated one. */
export function decodeBundle(bundle: Uint8Array): Buffer[] {
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const out: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new RangeError('truncated entry bundle');
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) throw new RangeError('truncated entry bundle');
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return out;
}
