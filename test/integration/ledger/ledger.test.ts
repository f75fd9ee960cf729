import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyCheckpoint } from '../../../ledger/checkpoint.js';
import { decodeLeaf } from '../../../ledger/leaf-encoding.js';
import { createLedger, type Ledger } from '../../../ledger/ledger.js';
import { openLedgerStore } from '../../../ledger/ledger-store.js';
import { verifyReceipt, type LedgerReceipt } from '../../../ledger/receipt.js';
import { verifyLedger } from '../../../ledger/verify-ledger.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KEY = 'xborder.test/ledger';
const verifier = { keyName: KEY, publicKey, origin: KEY };
const event = (n: number, eventId?: string) => ({
  type: 'test.event',
  at: '2025-06-01T00:00:00.000Z',
  n,
  ...(eventId === undefined ? {} : { eventId }),
});

describe('ledger/ledger (single process)', () => {
  let dir: string;
  let ledger: Ledger | undefined;
  let clock: number;
  const open = async (entries = 1000, seconds = 3600): Promise<Ledger> =>
    (ledger = await createLedger({
      dir,
      signer: { keyName: KEY, privateKey },
      origin: KEY,
      checkpointEvery: { entries, seconds },
      now: () => new Date(clock),
    }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xborder-ledger-svc-'));
    clock = Date.parse('2025-06-01T00:00:00Z');
  });
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends events as canonical JSON leaves with their index and leaf hash', async () => {
    const l = await open();
    const a = await l.append(event(1, 'ev-1'));
    const [b, c] = await l.appendMany([event(2), event(3)]);
    expect([a.index, b?.index, c?.index]).to.deep.equal([0, 1, 2]);
    expect(a.eventId).to.equal('ev-1');
    expect(b?.eventId).to.match(/^[0-9a-f-]{36}$/);
    expect((await l.entry(0)).toString()).to.equal(
      '{"at":"2025-06-01T00:00:00.000Z","eventId":"ev-1","n":1,"type":"test.event"}',
    );
    expect(decodeLeaf(await l.entry(2))?.['n']).to.equal(3);
    expect(l.size()).to.equal(3);
  });

  it('answers a retried event id with the first index, not a new entry', async () => {
    const l = await open();
    const first = await l.append(event(1, 'same'));
    await l.append(event(2));
    const again = await l.append(event(1, 'same'));
    expect(first.duplicate).to.equal(false);
    expect(again).to.deep.equal({ ...first, duplicate: true });
    const both = await Promise.all([l.append(event(9, 'twin')), l.append(event(9, 'twin'))]);
    expect(both[0].index).to.equal(both[1].index);
    expect(l.size()).to.equal(3);
  });

  it('refuses events that are not JSON data', async () => {
    const l = await open();
    await l.append({ type: 'x', at: 'not a time' }).then(
      () => expect.fail('accepted'),
      (err: unknown) => expect((err as { code: string }).code).to.equal('BAD_EVENT'),
    );
  });

  it('issues receipts that verify offline with only the public key', async () => {
    const l = await open();
    await l.appendMany(Array.from({ length: 13 }, (_, i) => event(i)));
    const receipt = await l.receipt(6);
    expect(receipt.proof.size).to.equal(13);
    const verified = verifyReceipt(JSON.parse(JSON.stringify(receipt)) as LedgerReceipt, verifier);
    expect(verified.ok).to.equal(true);
    // The checkpoint it signed for the receipt is kept and reused.
    expect(await l.latestCheckpoint()).to.equal(receipt.checkpoint);
    expect(await l.checkpoint()).to.equal(receipt.checkpoint);
    expect(await l.checkpoints()).to.have.length(1);
  });

  it('serves inclusion and consistency proofs with base64 hashes', async () => {
    const l = await open();
    await l.appendMany(Array.from({ length: 10 }, (_, i) => event(i)));
    const proof = await l.proof(3, 7);
    expect(proof).to.include({ index: 3, size: 7 });
    expect(proof.hashes).to.have.length(3);
    expect((await l.consistency(3, 10)).hashes.length).to.be.greaterThan(0);
    await l.proof(10).then(
      () => expect.fail('a proof beyond the tree'),
      (err: unknown) => expect(err).to.have.property('code', 'OUT_OF_RANGE'),
    );
  });

  it('checkpoints automatically every N entries', async () => {
    const l = await open(5, 3600);
    for (let i = 0; i < 12; i += 1) await l.append(event(i));
    await l.checkpointIfDue();
    const sizes = (await l.checkpoints()).map((note) => {
      const v = verifyCheckpoint(note, verifier);
      return v.ok ? v.checkpoint.size : -1;
    });
    // Each automatic checkpoint comes once 5 entries have passed since the last; it is written in the
    // background, so on a loaded machine it may already cover the next entry too (5 then 11, say).
    expect(sizes).to.have.length(2);
    const [first = -1, second = -1] = sizes;
    expect(first).to.be.within(5, 7);
    expect(second - first).to.be.at.least(5);
    expect(second).to.be.at.most(12);
  });

  it('checkpoints automatically after T seconds when entries are waiting', async () => {
    const l = await open(1000, 30);
    await l.append(event(1));
    expect(await l.checkpointIfDue()).to.equal(undefined);
    clock += 31_000;
    const note = await l.checkpointIfDue();
    expect(note).to.be.a('string');
    expect(await l.checkpointIfDue()).to.equal(undefined);
  });

  it('survives kill -9 of a process appending in a loop: every acknowledged entry is there and verifies', async function () {
    this.timeout(60_000);
    const fixture = fileURLToPath(new URL('./fixtures/append-loop.ts', import.meta.url));
    const env = {
      ...process.env,
      LEDGER_TEST_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    const acked: [number, string][] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [, index, eventId] = line.split(' ');
          acked.push([Number(index), eventId as string]);
        }
        if (acked.length >= 600) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const store = await openLedgerStore(dir);
    try {
      for (const [index, eventId] of acked)
        expect(decodeLeaf(store.getLeaf(index))?.['eventId'], `entry ${index}`).to.equal(eventId);
      expect(store.size()).to.be.at.least(Math.max(...acked.map(([i]) => i)) + 1);
    } finally {
      await store.close();
    }
    const verdict = await verifyLedger(dir, { keyName: 'crash.test', publicKey });
    expect(verdict.ok, JSON.stringify(verdict)).to.equal(true);
    if (verdict.ok) expect(verdict.checkpoints).to.be.greaterThan(0);
  });
});
