import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { parseCheckpoint, verifyCheckpoint } from '../../../ledger/checkpoint.js';
import { hashLeaf } from '../../../ledger/merkle-hash.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { CHECKPOINT_PATH } from '../../../ledger/tile-math.js';
import { createTileReader } from '../../../ledger/tile-reader.js';
import { openTileWriter, stagingKey, type TileWriter } from '../../../ledger/tile-writer.js';
import { verifyTileLedger } from '../../../ledger/verify-tile-ledger.js';
import type { WriteFence } from '../../../ledger/write-fence.js';
import { createMemoryTileStorage, type MemoryTileStorage } from '../../support/memory-tile-storage.js';

const origin = 'xborder.test/tiles';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { keyName: 'xborder-test', privateKey };
const leafOf = (i: number): Buffer => Buffer.from(JSON.stringify({ type: 'test', n: i }));

function fence(epoch: number): WriteFence & { lose(): void } {
  let held = true;
  return { epoch, holding: () => held, lose: () => (held = false) };
}

function open(storage: MemoryTileStorage, epoch: number, entries = 1_000_000): Promise<TileWriter> {
  return openTileWriter({
    storage,
    fence: fence(epoch),
    origin,
    signer,
    checkpointEvery: { entries, seconds: 3600 },
    now: () => new Date(),
  });
}

/** Appends and acknowledges `leaves` in batches of the given sizes (cycled). */
async function fill(
  writer: TileWriter,
  leaves: readonly Buffer[],
  batches: readonly number[],
): Promise<void> {
  let at = 0;
  for (let k = 0; at < leaves.length; k += 1) {
    const n = Math.min(batches[k % batches.length] as number, leaves.length - at);
    expect(await writer.append(leaves.slice(at, at + n))).to.equal(writer.size() - n);
    await writer.published?.(writer.size());
    at += n;
  }
}

describe('tile log (writer and reader over the tlog-tiles layout)', () => {
  it('serves the same roots and proofs from tiles as the memory tree, across partial and full tiles', async () => {
    const storage = createMemoryTileStorage();
    const writer = await open(storage, 1);
    const leaves = Array.from({ length: 600 }, (_, i) => leafOf(i));
    await fill(writer, leaves, [1, 7, 255, 3, 100]);
    const note = await writer.checkpoint();
    await writer.close();
    const tree = MemoryTree.fromLeaves(leaves);

    const verified = verifyCheckpoint(note, { keyName: signer.keyName, publicKey, origin });
    expect(verified.ok).to.equal(true);
    expect(storage.objects.has('tile/0/002.p/88')).to.equal(true);
    expect(storage.objects.has('tile/entries/001')).to.equal(true);
    expect(storage.objects.has('tile/1/000.p/2')).to.equal(true);

    const reader = createTileReader({ storage, origin });
    expect(await reader.refresh()).to.equal(600);
    expect((await reader.root()).equals(tree.root())).to.equal(true);
    for (const size of [1, 2, 255, 256, 257, 511, 512, 513, 600]) {
      expect((await reader.root(size)).equals(tree.root(size)), `root ${size}`).to.equal(true);
      for (const index of [0, 1, Math.floor(size / 2), size - 1].filter((i) => i < size)) {
        const got = await reader.inclusionProof(index, size);
        expect(
          got.map((h) => h.toString('hex')),
          `proof ${index}@${size}`,
        ).to.deep.equal(tree.inclusionProof(index, size).map((h) => h.toString('hex')));
      }
      for (const from of [0, 1, 255, 256, size]) {
        if (from > size) continue;
        expect(
          (await reader.consistencyProof(from, size)).map((h) => h.toString('hex')),
          `consistency ${from}→${size}`,
        ).to.deep.equal(tree.consistencyProof(from, size).map((h) => h.toString('hex')));
      }
    }
    expect((await reader.getLeaf(300)).equals(leaves[300] as Buffer)).to.equal(true);
    expect((await reader.getLeafHash(599)).equals(hashLeaf(leaves[599] as Buffer))).to.equal(true);
    // The empty log's checkpoint, written when the first term opened, then this one.
    expect((await reader.checkpoints()).slice(1)).to.deep.equal([note]);

    const verifier = { keyName: signer.keyName, publicKey, origin };
    expect(await verifyTileLedger(storage, verifier)).to.deep.include({ ok: true, size: 600 });
    // An edited entry is named by index.
    const bundle = storage.objects.get('tile/entries/001') as Uint8Array;
    bundle.set([(bundle.at(-2) as number) ^ 1], bundle.length - 2);
    const bad = await verifyTileLedger(storage, verifier);
    expect(bad.ok).to.equal(false);
    expect(bad.ok ? -1 : bad.firstBadIndex).to.be.within(256, 511);
  });

  it('rootWithLeaves: the root from given leaves and the tiles around them, which an edited leaf changes', async () => {
    const storage = createMemoryTileStorage();
    const writer = await open(storage, 1);
    const leaves = Array.from({ length: 600 }, (_, i) => leafOf(i));
    await fill(writer, leaves, [300, 300]);
    await writer.checkpoint();
    await writer.close();
    const tree = MemoryTree.fromLeaves(leaves);
    const reader = createTileReader({ storage, origin });
    await reader.refresh();
    const ranges: [number, number, number][] = [
      [0, 1, 600],
      [0, 600, 600],
      [255, 3, 600],
      [256, 256, 600],
      [100, 413, 513],
      [599, 1, 600],
      [10, 90, 257],
    ];
    for (const [from, count, size] of ranges) {
      const hashes = leaves.slice(from, from + count).map((leaf) => hashLeaf(leaf));
      const root = await reader.rootWithLeaves(size, from, hashes);
      expect(root.equals(tree.root(size)), `[${from}, ${from + count})@${size}`).to.equal(true);
      hashes[count - 1] = hashLeaf(Buffer.from('edited'));
      const edited = await reader.rootWithLeaves(size, from, hashes);
      expect(edited.equals(tree.root(size)), `edited [${from}, ${from + count})@${size}`).to.equal(false);
    }
  });

  it('reaches level-2 tiles (more than 65536 entries)', async function () {
    this.timeout(120_000);
    const storage = createMemoryTileStorage();
    const writer = await open(storage, 1);
    const leaves = Array.from({ length: 65_536 + 300 }, (_, i) => leafOf(i));
    await fill(writer, leaves, [5000]);
    await writer.checkpoint();
    await writer.close();
    expect(storage.objects.has('tile/2/000.p/1')).to.equal(true);
    const tree = MemoryTree.fromLeaves(leaves);
    const reader = createTileReader({ storage, origin });
    await reader.refresh();
    expect((await reader.root()).equals(tree.root())).to.equal(true);
    for (const [index, size] of [
      [0, 65_536],
      [65_535, 65_537],
      [70_000 % leaves.length, leaves.length],
      [12_345, 40_000],
    ] as const) {
      expect((await reader.inclusionProof(index, size)).map((h) => h.toString('hex'))).to.deep.equal(
        tree.inclusionProof(index, size).map((h) => h.toString('hex')),
      );
    }
    expect(
      (await reader.consistencyProof(65_000, leaves.length)).map((h) => h.toString('hex')),
    ).to.deep.equal(tree.consistencyProof(65_000, leaves.length).map((h) => h.toString('hex')));
  });

  it('a new term resumes from the checkpoint and the staged tail, and drops what a stale term staged later', async () => {
    const storage = createMemoryTileStorage();
    const leaves = Array.from({ length: 40 }, (_, i) => leafOf(i));
    const first = await open(storage, 1);
    await fill(first, leaves.slice(0, 10), [4]);
    await first.checkpoint();
    // Epoch 1 stages 10..14 and dies before Redis acknowledged them: nothing written to tiles.
    await first.append(leaves.slice(10, 15));
    expect(storage.objects.has(stagingKey(10, 1))).to.equal(true);
    expect([...storage.objects.keys()].some((k) => k.startsWith('tile/0/000.p/15'))).to.equal(false);

    // Epoch 2 takes over: the staged tail is durable, so it adopts it (the sequencer reconciles it in Redis).
    const second = await open(storage, 2);
    expect(second.size()).to.equal(15);
    expect(second.getLeaf(12).equals(leaves[12] as Buffer)).to.equal(true);
    await second.published?.(15);
    // Epoch 1 wakes up and stages again where it thinks the log ends, with other entries.
    await first.append([leafOf(999)]);
    expect(storage.objects.has(stagingKey(15, 1))).to.equal(true);
    await second.append(leaves.slice(15, 20));
    await second.published?.(20);
    await second.checkpoint();
    await second.close();

    // Epoch 3 must find epoch 2's history, not epoch 1's late entry.
    const third = await open(storage, 3);
    expect(third.size()).to.equal(20);
    await fill(third, leaves.slice(20), [7]);
    const note = await third.checkpoint();
    await third.close();
    const parsed = parseCheckpoint(note);
    expect(parsed.ok && parsed.checkpoint.rootHash.equals(MemoryTree.fromLeaves(leaves).root())).to.equal(
      true,
    );
    const reader = createTileReader({ storage, origin });
    await reader.refresh();
    for (let i = 0; i < leaves.length; i += 1)
      expect((await reader.getLeaf(i)).equals(leaves[i] as Buffer), `entry ${i}`).to.equal(true);
    // Batches a checkpoint covers, the stale one included, are no longer staged.
    expect([...storage.objects.keys()].filter((k) => k.startsWith('staging/'))).to.deep.equal([]);
  });

  it('refuses to write once the lease is gone, and a term older than a staged one cannot open', async () => {
    const storage = createMemoryTileStorage();
    const held = fence(5);
    const writer = await openTileWriter({
      storage,
      fence: held,
      origin,
      signer,
      checkpointEvery: { entries: 100, seconds: 3600 },
      now: () => new Date(),
    });
    await writer.append([leafOf(0)]);
    held.lose();
    await writer.append([leafOf(1)]).then(
      () => expect.fail('a writer without its lease wrote'),
      (err: unknown) => expect((err as { code?: string }).code).to.equal('FENCED'),
    );
    await open(storage, 4).then(
      () => expect.fail('a stale term opened the log'),
      (err: unknown) => expect((err as { code?: string }).code).to.equal('FENCED'),
    );
    // A rolled-back `checkpoint` does not take the reader back.
    const next = await open(storage, 6);
    await next.published?.(1);
    const one = await next.checkpoint();
    await next.append([leafOf(1)]);
    await next.published?.(2);
    await next.checkpoint();
    await next.close();
    const reader = createTileReader({ storage, origin });
    expect(await reader.refresh()).to.equal(2);
    await storage.put(CHECKPOINT_PATH, Buffer.from(one));
    expect(await reader.refresh()).to.equal(2);
  });

  it('answers a proof at the size fixed when the request began, while the log grows under it', async () => {
    const storage = createMemoryTileStorage();
    const writer = await open(storage, 1);
    const leaves = Array.from({ length: 310 }, (_, i) => leafOf(i));
    await fill(writer, leaves.slice(0, 300), [300]);
    await writer.checkpoint();
    // The log grows to 310 (another request's observe) while this proof's tiles are being fetched: the partial
    // tiles of size 300 were fetched, so the proof must be computed from them, not from those of size 310.
    let growTo = 0;
    const reader = createTileReader({
      storage: {
        ...storage,
        async get(key) {
          const body = await storage.get(key);
          if (growTo > 0) reader.observe(growTo);
          return body;
        },
      },
      origin,
    });
    expect(await reader.refresh()).to.equal(300);
    await fill(writer, leaves.slice(300), [10]);
    growTo = 310;
    const tree = MemoryTree.fromLeaves(leaves);
    const proof = await reader.inclusionProof(5);
    expect(proof.map((h) => h.toString('hex'))).to.deep.equal(
      tree.inclusionProof(5, 300).map((h) => h.toString('hex')),
    );
    expect(reader.size()).to.equal(310);
    const consistency = await reader.consistencyProof(100);
    expect(consistency.map((h) => h.toString('hex'))).to.deep.equal(
      tree.consistencyProof(100, 310).map((h) => h.toString('hex')),
    );
    await writer.close();
  });
});
