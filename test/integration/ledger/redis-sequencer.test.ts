import { expect } from 'chai';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { decodeLeaf, encodeLeaf } from '../../../ledger/leaf-encoding.js';
import { createLedger, type Ledger } from '../../../ledger/ledger.js';
import { openLedgerStore } from '../../../ledger/ledger-store.js';
import { createRedisSequencer, type RedisSequencerOptions } from '../../../ledger/redis-sequencer.js';
import { verifyLedger } from '../../../ledger/verify-ledger.js';

const REDIS_URL = process.env['XBORDER_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const fixture = fileURLToPath(new URL('./fixtures/redis-appender.ts', import.meta.url));

async function eventIdsOnDisk(dir: string): Promise<string[]> {
  const store = await openLedgerStore(dir, { readOnly: true });
  try {
    return Array.from({ length: store.size() }, (_, i) => String(decodeLeaf(store.getLeaf(i))?.['eventId']));
  } finally {
    await store.close();
  }
}

interface Appender {
  readonly child: ChildProcessByStdio<null, Readable, null>;
  readonly acks: [number, string][];
  readonly leader: Promise<void>;
  readonly done: Promise<void>;
}

function spawnAppender(dir: string, prefix: string, name: string, count: number, leaseMs: number): Appender {
  const env = {
    ...process.env,
    REDIS_URL,
    LEDGER_TEST_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, dir, prefix, name, String(count), String(leaseMs)],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  const acks: [number, string][] = [];
  let onLeader: () => void = () => undefined;
  let onDone: () => void = () => undefined;
  const leader = new Promise<void>((resolve) => (onLeader = resolve));
  const done = new Promise<void>((resolve, reject) => {
    onDone = resolve;
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? undefined
        : code === 0
          ? resolve()
          : reject(new Error(`${name} exited with ${code}`)),
    );
  });
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [word, index, eventId] = line.split(' ');
      if (word === 'ack') acks.push([Number(index), eventId as string]);
      else if (word === 'leader') onLeader();
      else if (word === 'done') onDone();
    }
  });
  return { child, acks, leader, done };
}

describe('ledger/redis-sequencer (real Redis, one sequencer among many)', function () {
  this.timeout(60_000);
  let dir: string;
  let prefix: string;
  let redis: Redis;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xborder-ledger-seq-'));
    prefix = `xborder-test:{ledger-${randomBytes(6).toString('hex')}}`;
    redis = createRedis(REDIS_URL);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openInstance(
    name: string,
    options: Partial<Pick<RedisSequencerOptions, 'retentionMs' | 'onceRetentionMs'>> = {},
  ): Promise<Ledger> {
    const connection = createRedis(REDIS_URL, { connectionName: name });
    const ledger = await createLedger({
      dir,
      signer: { keyName: 'multi.test', privateKey },
      origin: 'multi.test',
      checkpointEvery: { entries: 100, seconds: 1 },
      now: () => new Date(),
      sequencer: createRedisSequencer({
        dir,
        redis: connection,
        prefix,
        leaseMs: 2000,
        pollMs: 100,
        ...options,
      }),
    });
    cleanups.push(async () => {
      await ledger.close();
      connection.disconnect();
    });
    return ledger;
  }

  it('three instances on separate connections appending concurrently get indexes 0..n-1, no gaps, no duplicates', async () => {
    const ledgers = await Promise.all(['a', 'b', 'c'].map((name) => openInstance(name)));
    const results = await Promise.all(
      ledgers.flatMap((ledger, k) =>
        Array.from({ length: 100 }, (_, i) =>
          ledger.append({ type: 't', at: new Date().toISOString(), eventId: `${k}-${i}` }),
        ),
      ),
    );
    expect(results.map((r) => r.index).sort((x, y) => x - y)).to.deep.equal(
      Array.from({ length: 300 }, (_, i) => i),
    );
    const ids = await eventIdsOnDisk(dir);
    expect(new Set(ids).size).to.equal(300);
    for (const r of results) expect(ids[r.index]).to.equal(r.eventId);
    await (ledgers[1] as Ledger).checkpoint();
    expect(await verifyLedger(dir, { keyName: 'multi.test', publicKey })).to.deep.include({
      ok: true,
      size: 300,
    });
  });

  it('integrates an event once even when it was fsynced but not acknowledged before a crash', async () => {
    // The crashed sequencer's work: e-0 and e-1 are on disk, Redis never heard of them.
    const store = await openLedgerStore(dir);
    const leaf = (eventId: string): Buffer => encodeLeaf({ type: 't', at: '2025-06-01T00:00:00Z', eventId });
    await store.append([leaf('e-0'), leaf('e-1')]);
    await store.close();
    // Producers had queued e-1 (an id the ledger made up: `once`) and e-2 before the crash.
    await redis.xadd(`${prefix}:pending`, '*', 'id', 'e-1', 'leaf', leaf('e-1'), 'once', '1');
    await redis.xadd(`${prefix}:pending`, '*', 'id', 'e-2', 'leaf', leaf('e-2'));

    const ledger = await openInstance('after-crash', { retentionMs: 600_000, onceRetentionMs: 60_000 });
    // e-0 retried by its producer, e-2 retried too: both answered without new entries for e-0 / e-1.
    const [r0, r2] = await Promise.all([
      ledger.append({ type: 't', at: '2025-06-01T00:00:00Z', eventId: 'e-0' }),
      ledger.append({ type: 't', at: '2025-06-01T00:00:00Z', eventId: 'e-2' }),
    ]);
    expect(r0.index).to.equal(0);
    expect(r2.index).to.equal(2);
    expect(await eventIdsOnDisk(dir)).to.deep.equal(['e-0', 'e-1', 'e-2']);
    expect(await redis.hget(`${prefix}:state`, 'size')).to.equal('3');
    expect(await redis.get(`${prefix}:done:e-1`)).to.equal('1');
    // Reconciled ids are kept for the retry window even when made up: their stream entries were still ahead of
    // the cursor, for whichever holder reads them next, however much later.
    expect(await redis.pttl(`${prefix}:done:e-1`)).to.be.above(60_000);
  });

  it("keeps a done key only while its id may come again: a made-up id past the wait, a caller's id for the retry window", async () => {
    const ledger = await openInstance('windows', { retentionMs: 600_000, onceRetentionMs: 1000 });
    const at = '2025-06-01T00:00:00Z';
    const made = await ledger.appendMany(Array.from({ length: 300 }, () => ({ type: 't', at })));
    const chosen = await ledger.append({ type: 't', at, eventId: 'transfer-1:released' });
    expect(made.map((r) => r.index)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
    expect(chosen).to.deep.include({ index: 300, duplicate: false });
    // −2: already gone (a slow machine); never −1, a key kept for good.
    const madeTtl = await redis.pttl(`${prefix}:done:${(made[0] as { eventId: string }).eventId}`);
    expect(madeTtl).to.be.at.most(1000).and.not.equal(-1);
    expect(await redis.pttl(`${prefix}:done:transfer-1:released`)).to.be.above(1000);

    // The made-up ids' keys go; what stays is one key per id a caller may still retry, however many were written.
    let doneKeys = await redis.keys(`${prefix}:done:*`);
    for (let waited = 0; doneKeys.length > 1 && waited < 300; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      doneKeys = await redis.keys(`${prefix}:done:*`);
    }
    expect(doneKeys).to.deep.equal([`${prefix}:done:transfer-1:released`]);
    expect(await redis.xlen(`${prefix}:pending`), 'the stream keeps at most the cursor entry').to.be.at.most(
      1,
    );

    // A retry of the caller's id after that is still recognised: no second entry.
    const retried = await ledger.append({ type: 't', at, eventId: 'transfer-1:released' });
    expect(retried).to.deep.include({ index: 300, duplicate: true });
    expect(ledger.size()).to.equal(301);
    expect(await eventIdsOnDisk(dir)).to.have.length(301);
  });

  it('three processes appending concurrently get indexes 0..n-1 with no gaps and no duplicates', async () => {
    const appenders = ['p', 'q', 'r'].map((name) => spawnAppender(dir, prefix, name, 200, 2000));
    cleanups.push(() => Promise.resolve(appenders.forEach((a) => a.child.kill('SIGKILL'))));
    await Promise.all(appenders.map((a) => a.done));
    const acks = appenders.flatMap((a) => a.acks);
    expect(acks.map(([i]) => i).sort((x, y) => x - y)).to.deep.equal(
      Array.from({ length: 600 }, (_, i) => i),
    );
    const ids = await eventIdsOnDisk(dir);
    expect(ids).to.have.length(600);
    for (const [index, eventId] of acks) expect(ids[index]).to.equal(eventId);
    expect(await verifyLedger(dir, { keyName: 'multi.test', publicKey })).to.deep.include({
      ok: true,
      size: 600,
    });
  });

  it('survives kill -9 of the sequencer process: another takes over after the lease, nothing lost or doubled', async () => {
    const appenders = ['x', 'y', 'z'].map((name) => spawnAppender(dir, prefix, name, 300, 1000));
    cleanups.push(() => Promise.resolve(appenders.forEach((a) => a.child.kill('SIGKILL'))));
    const first = await Promise.race(appenders.map((a) => a.leader.then(() => a)));
    while (appenders.reduce((n, a) => n + a.acks.length, 0) < 100)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    const survivors = appenders.filter((a) => a !== first);
    await Promise.all(survivors.map((a) => a.done));

    const ids = await eventIdsOnDisk(dir);
    expect(new Set(ids).size, 'no event twice').to.equal(ids.length);
    for (const a of appenders)
      for (const [index, eventId] of a.acks) expect(ids[index], `acked ${eventId}`).to.equal(eventId);
    for (const a of survivors) expect(a.acks).to.have.length(300);
    expect(await verifyLedger(dir, { keyName: 'multi.test', publicKey })).to.deep.include({
      ok: true,
      size: ids.length,
    });
  });
});
