// The ledger as C2SP tiles in a real S3 (Swift with s3api) with the Redis sequencer lease, both started here.
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { parseCheckpoint } from '../../../ledger/checkpoint.js';
import { decodeLeaf } from '../../../ledger/leaf-encoding.js';
import { verifyInclusion } from '../../../ledger/merkle-verify.js';
import { hashLeaf } from '../../../ledger/merkle-hash.js';
import { createObjectTileStorage } from '../../../ledger/object-tile-storage.js';
import { ledgerKeyName, ledgerOrigin } from '../../../ledger/open-event-log.js';
import { createSequencerLease } from '../../../ledger/sequencer-lease.js';
import { createTileReader } from '../../../ledger/tile-reader.js';
import { openTileWriter, stagingKey } from '../../../ledger/tile-writer.js';
import type { TileStorage } from '../../../ledger/tile-storage.js';
import { verifyTileLedger } from '../../../ledger/verify-tile-ledger.js';
import { createObjectStoreClient, type ObjectStoreClient } from '../../../platform/object-store.js';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

const fixture = fileURLToPath(new URL('./fixtures/tile-appender.ts', import.meta.url));
const cliMain = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url));
const bucket = 'ledger-tiles';

const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 120_000,
): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

interface Host {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  readonly lines: string[];
  readonly acks: [number, string][];
  exited: boolean;
}

describe('ledger on C2SP tiles in S3 (real Swift) with the Redis sequencer lease', function () {
  this.timeout(600_000);
  let redisServer: TestRedis;
  let s3: TestS3Server;
  let client: ObjectStoreClient;
  let redis: Redis;
  let work: string;
  let keyFile: string;
  let certFile: string;
  const hosts: Host[] = [];

  before(async () => {
    [redisServer, s3] = await Promise.all([startRedisServer(), startS3Server()]);
    await s3.createBucket(bucket);
    client = createObjectStoreClient({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    redis = createRedis(redisServer.url);
    work = mkdtempSync(join(tmpdir(), 'xborder-tiles-'));
    keyFile = join(work, 'signing.key');
    certFile = join(work, 'signing.crt');
    // The gateway signing identity: an Ed25519 key and a self-signed certificate carrying its public key.
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyFile]);
    execFileSync('openssl', [
      'req',
      '-x509',
      '-key',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=ledger test',
      '-days',
      '2',
    ]);
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) {
      if (!host.exited) host.child.kill('SIGKILL');
    }
    await Promise.resolve();
  });
  after(async () => {
    redis?.disconnect();
    client?.close();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  const storageAt = (prefix: string): TileStorage => createObjectTileStorage(client.open({ bucket, prefix }));
  const verifier = (): {
    keyName: string;
    publicKey: ReturnType<typeof createPublicKey>;
    origin: string;
  } => ({
    keyName: ledgerKeyName,
    publicKey: createPublicKey(createPrivateKey(readFileSync(keyFile))),
    origin: ledgerOrigin,
  });

  function spawnHost(prefix: string, name: string, count: number, leaseMs: number): Host {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fixture,
        prefix,
        name,
        String(count),
        String(leaseMs),
        join(work, `cache-${name}`),
        bucket,
      ],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: {
          ...process.env,
          REDIS_URL: redisServer.url,
          S3_ENDPOINT: s3.endpoint,
          S3_ACCESS_KEY: s3.accessKeyId,
          S3_SECRET_KEY: s3.secretAccessKey,
          LEDGER_TEST_KEY: readFileSync(keyFile, 'utf8'),
        },
      },
    );
    const host: Host = { child, lines: [], acks: [], exited: false };
    child.on('exit', () => (host.exited = true));
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        host.lines.push(line);
        const [word, index, eventId] = line.split(' ');
        if (word === 'ack') host.acks.push([Number(index), eventId as string]);
      }
    });
    hosts.push(host);
    return host;
  }

  const leaseEpoch = async (redisPrefix: string): Promise<number> =>
    Number(((await redis.get(`${redisPrefix}:lease`)) ?? '0:').split(':')[0]);

  it('gives every term a higher epoch; a lapsed holder can neither renew nor write over the new term', async () => {
    const key = `xborder-test:{lease-${randomBytes(4).toString('hex')}}:lease`;
    const a = createSequencerLease({ redis, key, token: 'a', ttlMs: 400, safetyMs: 80 });
    const b = createSequencerLease({ redis, key, token: 'b', ttlMs: 30_000, safetyMs: 1000 });
    const first = await a.tryAcquire();
    expect(first).to.equal(1);
    expect(await b.tryAcquire()).to.equal(undefined);
    expect(await a.renew()).to.equal(true);

    // A is paused past its lease (it renews no more) but its store does not know yet: the fence says held.
    const storage = storageAt(`lease-${randomBytes(4).toString('hex')}/`);
    const signer = { keyName: ledgerKeyName, privateKey: createPrivateKey(readFileSync(keyFile)) };
    const open = (epoch: number, holding: () => boolean) =>
      openTileWriter({
        storage,
        fence: { epoch, holding },
        origin: ledgerOrigin,
        signer,
        checkpointEvery: { entries: 1000, seconds: 3600 },
        now: () => new Date(),
      });
    const stale = await open(first as number, () => true);
    await stale.append([Buffer.from('{"n":0}')]);
    await waitFor(async () => (await b.tryAcquire()) !== undefined, 'the lease to lapse', 10_000);
    const second = b.epoch() as number;
    expect(second).to.be.greaterThan(first as number);
    expect(a.holding()).to.equal(false);
    expect(await a.renew()).to.equal(false);
    expect(await a.confirm()).to.equal(false);
    await a.release();
    expect(await b.confirm()).to.equal(true);

    // The new term adopts what the old one staged durably, then moves on; the stale holder stages again.
    const current = await open(second, () => b.holding());
    expect(current.size()).to.equal(1);
    await current.published?.(1);
    await current.append([Buffer.from('{"n":1}')]);
    await current.published?.(2);
    await stale.append([Buffer.from('{"stale":true}')]);
    expect(await storage.get(stagingKey(1, first as number))).to.not.equal(undefined);
    await current.checkpoint();
    // A writer of the stale epoch cannot open any more, and the next term ignores the stale entry.
    await open(first as number, () => true).then(
      () => expect.fail('a stale term opened the log'),
      (err: unknown) => expect(err).to.have.property('code', 'FENCED'),
    );
    await b.release();
    const next = await open(second + 1, () => true);
    expect(next.size()).to.equal(2);
    const reader = createTileReader({ storage, origin: ledgerOrigin });
    await reader.refresh();
    expect((await reader.getLeaf(1)).toString()).to.equal('{"n":1}');
    await Promise.all([stale.close(), current.close(), next.close()]);
  });

  it('kill -9 of the sequencing host mid-burst: another takes over with a higher epoch, nothing acknowledged is lost, the log verifies', async () => {
    const redisPrefix = `xborder-test:{tiles-${randomBytes(4).toString('hex')}}`;
    const a = spawnHost(redisPrefix, 'a', 400, 1500);
    await waitFor(() => a.lines.includes('leader'), 'host a to sequence');
    const b = spawnHost(redisPrefix, 'b', 400, 1500);
    await waitFor(() => a.acks.length >= 60 && b.acks.length >= 5, 'both hosts to have appended');
    const before = await leaseEpoch(redisPrefix);
    a.child.kill('SIGKILL');
    await waitFor(() => a.exited, 'host a to die');
    const ackedByA = [...a.acks];
    await waitFor(() => b.lines.includes('done') && b.exited, 'host b to finish', 300_000);
    expect(b.lines).to.include('leader');
    expect(b.acks).to.have.length(400);

    // b stepped down cleanly: its last checkpoint covers everything acknowledged.
    const storage = storageAt('ledger/');
    const reader = createTileReader({ storage, origin: ledgerOrigin });
    const size = await reader.refresh();
    const ids: string[] = [];
    for (let i = 0; i < size; i += 1) ids.push(String(decodeLeaf(await reader.getLeaf(i))?.['eventId']));
    expect(new Set(ids).size, 'no event twice').to.equal(ids.length);
    for (const [index, eventId] of [...ackedByA, ...b.acks]) expect(ids[index], eventId).to.equal(eventId);
    expect((await reader.checkpoints()).length).to.be.greaterThan(1);
    // The takeover was a new term.
    expect(before).to.be.greaterThan(0);
    expect(Number(await redis.get(`${redisPrefix}:lease:epoch`))).to.be.greaterThan(before);

    expect(await verifyTileLedger(storage, verifier())).to.deep.include({ ok: true, size });
    // `xborder ledger verify` against the object store, as an operator runs it.
    const out = execFileSync(process.execPath, ['--import', 'tsx', cliMain, 'ledger', 'verify'], {
      env: {
        ...process.env,
        XBORDER_DATA_DIR: join(work, 'cli-data'),
        XBORDER_LEDGER_STORE: `s3://${bucket}/ledger`,
        XBORDER_S3_ENDPOINT: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        XBORDER_MASTER_KEY: randomBytes(32).toString('base64'),
        XBORDER_SIGNING_KEY: keyFile,
        XBORDER_SIGNING_CERT: certFile,
      },
    }).toString();
    expect(out).to.match(/^OK: /);
    expect(out).to.include(`"size":${size}`);

    // Two more hosts, each with its own data dir (tile cache), serve the same proofs for the latest checkpoint.
    const note = (await reader.latestCheckpoint()) as string;
    const parsed = parseCheckpoint(note);
    if (!parsed.ok) throw new Error('the latest checkpoint does not parse');
    const servers = [
      spawnHost(redisPrefix, 'reader-1', 0, 1500),
      spawnHost(redisPrefix, 'reader-2', 0, 1500),
    ];
    await waitFor(() => servers.every((s) => s.lines.includes('ready')), 'the reading hosts');
    const ask = async (host: Host, index: number): Promise<string> => {
      const seen = host.lines.length;
      host.child.stdin.write(`proof ${index} ${size}\n`);
      await waitFor(() => host.lines.length > seen, 'a proof');
      return (host.lines[seen] as string).replace(/^proof /, '');
    };
    for (const index of [0, 1, 255, 256, size - 1]) {
      const [one, two] = [await ask(servers[0] as Host, index), await ask(servers[1] as Host, index)];
      expect(one).to.equal(two);
      const proof = JSON.parse(one) as { hashes: string[] };
      const leafHash = hashLeaf(await reader.getLeaf(index));
      const check = verifyInclusion(
        leafHash,
        index,
        size,
        proof.hashes.map((h) => Buffer.from(h, 'base64')),
        parsed.checkpoint.rootHash,
      );
      expect(check.ok, `proof of ${index}`).to.equal(true);
    }
    for (const server of servers) server.child.stdin.end();
  });
});
