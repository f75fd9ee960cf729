import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendCheckpoint } from '../../../ledger/checkpoint-log.js';
import { signCheckpoint } from '../../../ledger/checkpoint.js';
import { LedgerError } from '../../../ledger/ledger-error.js';
import { openLedgerStore, type LedgerStore } from '../../../ledger/ledger-store.js';
import { MemoryTree } from '../../../ledger/memory-tree.js';
import { MerkleFrontier } from '../../../ledger/merkle-frontier.js';
import { hashLeaf } from '../../../ledger/merkle-hash.js';
import { verifyConsistency, verifyInclusion } from '../../../ledger/merkle-verify.js';
import { countNodes } from '../../../ledger/tree-layout.js';
import { verifyLedger } from '../../../ledger/verify-ledger.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const fencedOpen = fileURLToPath(new URL('./fixtures/fenced-open.ts', import.meta.url));
const KEY = 'test.example/ledger';
const signer = { keyName: KEY, privateKey };
const verifier = { keyName: KEY, publicKey };
const files = (d: string) => ({ leaves: join(d, 'leaves'), index: join(d, 'index'), tree: join(d, 'tree') });
const leafOf = (i: number): Buffer =>
  Buffer.from(JSON.stringify({ at: '2025-01-01T00:00:00Z', eventId: `e-${i}`, n: i, type: 'test' }));

describe('ledger/ledger-store (on disk)', () => {
  let dir: string;
  let store: LedgerStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xborder-ledger-'));
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function filled(n: number): Promise<{ leaves: Buffer[]; tree: MemoryTree }> {
    store = await openLedgerStore(dir);
    const leaves = Array.from({ length: n }, (_, i) => leafOf(i));
    await store.append(leaves);
    return { leaves, tree: MemoryTree.fromLeaves(leaves) };
  }

  it('appends, reads back and proves like the in-memory tree', async () => {
    const { leaves, tree } = await filled(37);
    const s = store as LedgerStore;
    expect(s.size()).to.equal(37);
    for (let i = 0; i < 37; i += 1) {
      expect(s.getLeaf(i).equals(leaves[i] as Buffer)).to.equal(true);
      expect(s.getLeafHash(i).equals(hashLeaf(leaves[i] as Buffer))).to.equal(true);
    }
    for (let size = 0; size <= 37; size += 1)
      expect(s.root(size).equals(tree.root(size)), `root ${size}`).to.equal(true);
    for (let size = 1; size <= 37; size += 3) {
      for (let i = 0; i < size; i += 1) {
        const proof = s.inclusionProof(i, size);
        expect(verifyInclusion(s.getLeafHash(i), i, size, proof, s.root(size)).ok).to.equal(true);
      }
      for (let from = 0; from <= size; from += 1) {
        expect(
          verifyConsistency(from, size, s.root(from), s.root(size), s.consistencyProof(from, size)).ok,
        ).to.equal(true);
      }
    }
    expect(() => s.getLeaf(37))
      .to.throw(LedgerError)
      .with.property('code', 'OUT_OF_RANGE');
    expect(() => s.inclusionProof(3, 38))
      .to.throw(LedgerError)
      .with.property('code', 'OUT_OF_RANGE');
  });

  it('group-commits concurrent appends: many appends, few write+fsync rounds, contiguous indexes', async () => {
    store = await openLedgerStore(dir);
    const s = store;
    const firsts = await Promise.all(Array.from({ length: 300 }, (_, i) => s.append([leafOf(i)])));
    expect([...firsts].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
    expect(s.stats().entries).to.equal(300);
    expect(s.stats().batches).to.be.lessThan(10);
    for (let i = 0; i < 300; i += 1) expect(s.getLeaf(firsts[i] as number).equals(leafOf(i))).to.equal(true);
  });

  it('keeps appending after a reopen, with the same roots', async () => {
    const { leaves } = await filled(21);
    await (store as LedgerStore).close();
    store = await openLedgerStore(dir);
    const more = Array.from({ length: 12 }, (_, i) => leafOf(100 + i));
    expect(await store.append(more)).to.equal(21);
    const tree = MemoryTree.fromLeaves([...leaves, ...more]);
    expect(store.root().equals(tree.root())).to.equal(true);
    expect(store.root(21).equals(tree.root(21))).to.equal(true);
  });

  it('lets a read-only store follow the writer, and refuses a second writer', async () => {
    await filled(5);
    const reader = await openLedgerStore(dir, { readOnly: true });
    try {
      expect(reader.size()).to.equal(5);
      await (store as LedgerStore).append([leafOf(5)]);
      expect(reader.size()).to.equal(6);
      expect(reader.root().equals((store as LedgerStore).root())).to.equal(true);
      await openLedgerStore(dir).then(
        () => expect.fail('a second writer was allowed'),
        (err: unknown) => expect((err as LedgerError).code).to.equal('LOCKED'),
      );
      await reader.append([leafOf(9)]).then(
        () => expect.fail('a reader wrote'),
        (err: unknown) => expect((err as LedgerError).code).to.equal('CLOSED'),
      );
    } finally {
      await reader.close();
    }
  });

  it('fences a writer by lease epoch: a newer term shuts the old one out, an older one cannot open', async () => {
    store = await openLedgerStore(dir, { fence: { epoch: 1, holding: () => true } });
    await store.append([leafOf(0)]);
    // Another process (here: a child) takes over with epoch 2 while this one still has the store open.
    const run = (epoch: number): string =>
      execFileSync(process.execPath, ['--import', 'tsx', fencedOpen, dir, String(epoch)])
        .toString()
        .trim();
    expect(run(2)).to.equal('size 2');
    await store.append([leafOf(1)]).then(
      () => expect.fail('a writer of a past term appended'),
      (err: unknown) => expect((err as LedgerError).code).to.equal('FENCED'),
    );
    expect(run(1)).to.equal('error FENCED');
    expect(run(3)).to.equal('size 3');
    // A writer whose lease lapsed stops too, whatever EPOCH says.
    let held = true;
    const lapsing = await openLedgerStore(join(dir, 'other'), { fence: { epoch: 1, holding: () => held } });
    held = false;
    await lapsing.append([leafOf(0)]).then(
      () => expect.fail('a writer without its lease appended'),
      (err: unknown) => expect((err as LedgerError).code).to.equal('FENCED'),
    );
    await lapsing.close();
  });

  describe('crash recovery', () => {
    it('cuts a torn batch (partial record, partial nodes, partial index slot) back to the last whole entry', async () => {
      const { tree } = await filled(10);
      await (store as LedgerStore).close();
      store = undefined;
      const f = files(dir);
      appendFileSync(f.leaves, Buffer.from([0, 0, 0, 50, 1, 2, 3]));
      appendFileSync(f.tree, Buffer.alloc(45, 7));
      appendFileSync(f.index, Buffer.alloc(5, 1));
      store = await openLedgerStore(dir);
      expect(store.size()).to.equal(10);
      expect(store.root().equals(tree.root())).to.equal(true);
      expect(statSync(f.index).size).to.equal(80);
      expect(statSync(f.tree).size).to.equal(countNodes(10) * 32);
      await store.close();
      store = undefined;
      expect(await verifyLedger(dir, verifier)).to.deep.equal({
        ok: true,
        size: 10,
        checkpoints: 0,
        signedSize: 0,
      });
    });

    it('drops a last entry whose record was cut mid-way, though its index slot is whole', async () => {
      const { tree } = await filled(10);
      await (store as LedgerStore).close();
      store = undefined;
      const f = files(dir);
      truncateSync(f.leaves, statSync(f.leaves).size - 3);
      store = await openLedgerStore(dir);
      expect(store.size()).to.equal(9);
      expect(store.root().equals(tree.root(9))).to.equal(true);
      // It appends cleanly after the cut.
      expect(await store.append([leafOf(42)])).to.equal(9);
      await store.close();
      store = undefined;
      expect((await verifyLedger(dir, verifier)).ok).to.equal(true);
    });

    it('rebuilds the derived files (index, tree) from the log when they are short, missing or behind', async () => {
      const { tree } = await filled(8);
      await (store as LedgerStore).close();
      store = undefined;
      const f = files(dir);
      truncateSync(f.tree, countNodes(8) * 32 - 1);
      store = await openLedgerStore(dir);
      expect(store.size()).to.equal(8);
      expect(store.root().equals(tree.root())).to.equal(true);
      await store.close();
      rmSync(f.index);
      rmSync(f.tree);
      rmSync(join(dir, 'synced'));
      store = await openLedgerStore(dir);
      expect(store.size()).to.equal(8);
      expect(store.inclusionProof(3, 8).map((h) => h.toString('hex'))).to.deep.equal(
        tree.inclusionProof(3, 8).map((h) => h.toString('hex')),
      );
      await store.close();
      store = undefined;
      expect((await verifyLedger(dir, verifier)).ok).to.equal(true);
    });

    it('stops at a record whose check bytes do not match (a torn write that kept its length)', async () => {
      await filled(6);
      await (store as LedgerStore).close();
      store = undefined;
      const f = files(dir);
      // A seventh record whose bytes never reached the disk (zero-filled), with a plausible length.
      const header = Buffer.alloc(8);
      header.writeUInt32BE(20, 0);
      appendFileSync(f.leaves, Buffer.concat([header, Buffer.alloc(20)]));
      writeFileSync(join(dir, 'synced'), Buffer.alloc(16));
      store = await openLedgerStore(dir);
      expect(store.size()).to.equal(6);
    });
  });

  describe('verifyLedger', () => {
    async function ledgerWithCheckpoints(n: number): Promise<MemoryTree> {
      const { tree } = await filled(n);
      await (store as LedgerStore).close();
      store = undefined;
      for (const size of [0, 3, n])
        await appendCheckpoint(dir, signCheckpoint({ origin: 'o', size, rootHash: tree.root(size) }, signer));
      return tree;
    }

    it('passes a sound ledger and reports its checkpoints', async () => {
      await ledgerWithCheckpoints(7);
      expect(await verifyLedger(dir, { ...verifier, origin: 'o' })).to.deep.equal({
        ok: true,
        size: 7,
        checkpoints: 3,
        signedSize: 7,
      });
    });

    it('names the entry when any byte of any stored leaf, index slot or hash is flipped', async () => {
      await ledgerWithCheckpoints(7);
      const f = files(dir);
      const ends = Array.from({ length: 7 }, (_, i) => Number(readFileSync(f.index).readBigUInt64BE(i * 8)));
      const entryOfLeafByte = (p: number): number => ends.findIndex((end) => p < end);
      // Postorder nodes of a 7-leaf tree → the first leaf each covers.
      const firstLeafOfNode: number[] = [];
      const frontier = new MerkleFrontier();
      for (let i = 0; i < 7; i += 1)
        frontier.append(hashLeaf(leafOf(i)), (level, index) => firstLeafOfNode.push(index * 2 ** level));
      expect(firstLeafOfNode.length).to.equal(countNodes(7));

      const cases: [string, (p: number) => number][] = [
        [f.leaves, entryOfLeafByte],
        [f.index, (p) => Math.floor(p / 8)],
        [f.tree, (p) => firstLeafOfNode[Math.floor(p / 32)] as number],
      ];
      for (const [path, expected] of cases) {
        const original = readFileSync(path);
        for (let p = 0; p < original.length; p += 1) {
          const damaged = Buffer.from(original);
          damaged[p] = (damaged[p] as number) ^ 0x01;
          writeFileSync(path, damaged);
          const result = await verifyLedger(dir, verifier);
          expect(result.ok, `${path} byte ${p}`).to.equal(false);
          if (!result.ok)
            expect(result.firstBadIndex, `${path} byte ${p}: ${result.reasons.join('; ')}`).to.equal(
              expected(p),
            );
        }
        writeFileSync(path, original);
      }
      expect((await verifyLedger(dir, verifier)).ok).to.equal(true);
    });

    it('refuses a checkpoint whose signature or body was changed', async () => {
      await ledgerWithCheckpoints(7);
      const path = join(dir, 'checkpoints');
      const original = readFileSync(path, 'utf8');
      const lines = original.split('\n');
      const note = Buffer.from(lines[1] as string, 'base64').toString('utf8');
      lines[1] = Buffer.from(note.replace('\n3\n', '\n4\n'), 'utf8').toString('base64');
      writeFileSync(path, lines.join('\n'));
      const result = await verifyLedger(dir, verifier);
      expect(result.ok).to.equal(false);
      if (!result.ok)
        expect(result.reasons.join('\n')).to.match(/checkpoint line 2 is refused: BAD_SIGNATURE/);
      const other = generateKeyPairSync('ed25519');
      writeFileSync(path, original);
      await appendCheckpoint(
        dir,
        signCheckpoint(
          { origin: 'o', size: 7, rootHash: Buffer.alloc(32) },
          { keyName: KEY, privateKey: other.privateKey },
        ),
      );
      const foreign = await verifyLedger(dir, verifier);
      expect(foreign.ok).to.equal(false);
      if (!foreign.ok)
        expect(foreign.reasons.join('\n')).to.match(/checkpoint line 4 is refused: UNVERIFIED/);
    });

    it('detects a consistent rewrite (leaf and hashes recomputed) through the signed roots', async () => {
      await ledgerWithCheckpoints(7);
      // Rebuild the directory with entry 5 changed and every hash recomputed to match.
      const leaves = Array.from({ length: 7 }, (_, i) => (i === 5 ? leafOf(55) : leafOf(i)));
      const checkpoints = readFileSync(join(dir, 'checkpoints'));
      rmSync(dir, { recursive: true, force: true });
      store = await openLedgerStore(dir);
      await store.append(leaves);
      await store.close();
      store = undefined;
      writeFileSync(join(dir, 'checkpoints'), checkpoints);
      const result = await verifyLedger(dir, verifier);
      expect(result.ok).to.equal(false);
      if (!result.ok)
        expect(result.reasons.join('\n')).to.match(
          /size 7\) does not match the recomputed root: an entry in \[3, 7\) was changed/,
        );
    });

    it('names the first missing entry when a checkpoint signs more than the ledger holds', async () => {
      const tree = await ledgerWithCheckpoints(7);
      await appendCheckpoint(dir, signCheckpoint({ origin: 'o', size: 9, rootHash: tree.root() }, signer));
      const result = await verifyLedger(dir, verifier);
      expect(result).to.deep.include({ ok: false, firstBadIndex: 7 });
    });
  });
});
