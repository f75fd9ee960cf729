import { expect } from 'chai';
import { hashLeaf } from '../../../ledger/merkle-hash.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import {
  decodeBundle,
  encodeBundle,
  entriesPath,
  formatTileIndex,
  hashTileRange,
  locateSubtree,
  tilePath,
  tileWidth,
} from '../../../ledger/tile-math.js';

describe('tile math (C2SP tlog-tiles)', () => {
  it('encodes tile indexes as 3-digit groups with x prefixes', () => {
    expect(formatTileIndex(0)).to.equal('000');
    expect(formatTileIndex(7)).to.equal('007');
    expect(formatTileIndex(999)).to.equal('999');
    expect(formatTileIndex(1000)).to.equal('x001/000');
    // The example of the spec.
    expect(formatTileIndex(1234067)).to.equal('x001/x234/067');
  });

  it('names hash tiles and entry bundles, full and partial', () => {
    expect(tilePath(0, 1234067)).to.equal('tile/0/x001/x234/067');
    expect(tilePath(0, 1234067, 8)).to.equal('tile/0/x001/x234/067.p/8');
    expect(tilePath(2, 0, 255)).to.equal('tile/2/000.p/255');
    expect(entriesPath(3)).to.equal('tile/entries/003');
    expect(entriesPath(3, 1)).to.equal('tile/entries/003.p/1');
    expect(() => tilePath(0, 0, 0)).to.throw(RangeError);
    expect(() => tilePath(0, 0, 257)).to.throw(RangeError);
  });

  it('knows how wide each tile is for a tree size', () => {
    expect(tileWidth(0, 0, 0)).to.equal(0);
    expect(tileWidth(0, 0, 1)).to.equal(1);
    expect(tileWidth(0, 0, 256)).to.equal(256);
    expect(tileWidth(0, 1, 256)).to.equal(0);
    expect(tileWidth(0, 1, 300)).to.equal(44);
    expect(tileWidth(1, 0, 255)).to.equal(0);
    expect(tileWidth(1, 0, 256)).to.equal(1);
    expect(tileWidth(1, 0, 256 * 70 + 3)).to.equal(70);
    expect(tileWidth(2, 0, 256 * 256)).to.equal(1);
  });

  it('locates a subtree hash in one tile', () => {
    expect(locateSubtree(0, 513)).to.deep.equal({ tileLevel: 0, tileIndex: 2, first: 1, count: 1 });
    expect(locateSubtree(3, 33)).to.deep.equal({ tileLevel: 0, tileIndex: 1, first: 8, count: 8 });
    expect(locateSubtree(8, 5)).to.deep.equal({ tileLevel: 1, tileIndex: 0, first: 5, count: 1 });
    expect(locateSubtree(10, 70)).to.deep.equal({ tileLevel: 1, tileIndex: 1, first: 24, count: 4 });
  });

  it('hashes a range of a tile as the memory tree does', () => {
    const leaves = Array.from({ length: 256 }, (_, i) => Buffer.from(`entry ${i}`));
    const tree = MemoryTree.fromLeaves(leaves);
    const tile = Buffer.concat(leaves.map(hashLeaf));
    expect(hashTileRange(tile, 0, 256).equals(tree.root(256))).to.equal(true);
    // Subtree (level 3, index 5) = leaves 40..47.
    const sub = MemoryTree.fromLeaves(leaves.slice(40, 48));
    expect(hashTileRange(tile, 40, 8).equals(sub.root())).to.equal(true);
  });

  it('round-trips entry bundles and refuses what does not fit', () => {
    const entries = [Buffer.from(''), Buffer.from('a'), Buffer.alloc(70_000 - 4465, 1)];
    expect(decodeBundle(encodeBundle(entries)).map((e) => e.toString('hex'))).to.deep.equal(
      entries.map((e) => e.toString('hex')),
    );
    expect(() => encodeBundle([Buffer.alloc(65_536)])).to.throw(RangeError);
    expect(() => decodeBundle(Buffer.from([0, 5, 1]))).to.throw(RangeError);
  });
});
