// platform/local-redis with real redis-server processes: which Redis `xborder start` takes (issue 15). A foreign
// database holding keys is never written to (a redis-server of our own is started instead, and stops with stop()),
// an explicit XBORDER_REDIS_URL is obeyed, an empty database is taken and recognised as ours on the next start.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedis } from '../../../platform/local-redis.js';
import { pingRedis, redisOwnerKey } from '../../../platform/redis.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

async function keysOf(url: string): Promise<string[]> {
  const client = new Redis(url);
  try {
    return (await client.keys('*')).sort();
  } finally {
    client.disconnect();
  }
}

describe('platform/local-redis: which Redis xborder start uses', function () {
  this.timeout(60_000);
  let foreign: TestRedis;
  let dataDir: string;
  const said: string[] = [];
  const say = (line: string) => said.push(line);

  // ensureRedis starts redis-server with this process's environment, and redis-server hangs under libfaketime
  // (npm run test:dates): its children here run on the real clock, and the next tests' as before.
  const preload = process.env['LD_PRELOAD'];
  before(() => {
    delete process.env['LD_PRELOAD'];
  });
  after(() => {
    if (preload !== undefined) process.env['LD_PRELOAD'] = preload;
  });

  beforeEach(async () => {
    said.length = 0;
    foreign = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-local-redis-'));
  });
  afterEach(async () => {
    await foreign.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("leaves a default Redis whose database holds someone else's keys untouched, and starts its own instead", async () => {
    const other = new Redis(foreign.url);
    await other.set('their:key', 'theirs');
    await other.hset('their:hash', 'a', '1');
    other.disconnect();

    const redis = await ensureRedis({ url: foreign.url, explicit: false, dataDir, say });
    try {
      expect(redis.started).to.equal(true);
      expect(redis.url).to.not.equal(foreign.url);
      expect(await pingRedis(redis.url)).to.equal(true);
      expect(await keysOf(foreign.url)).to.deep.equal(['their:hash', 'their:key']);
      expect(await keysOf(redis.url)).to.deep.equal([redisOwnerKey]);
      expect(said.join('\n')).to.include(`holds 2 keys xborder did not write: leaving it alone`);
      expect(said.join('\n')).to.match(
        /Redis: redis:\/\/127\.0\.0\.1:\d+ db 0, keys under xb: and bull: — redis-server started by xborder/,
      );
      expect(said.join('\n')).to.include(path.join(dataDir, 'redis'));
    } finally {
      await redis.stop();
    }
    expect(await pingRedis(redis.url, 300)).to.equal(false);
  });

  it('uses a non-empty Redis when XBORDER_REDIS_URL names it, and does not stop it', async () => {
    const other = new Redis(foreign.url);
    await other.set('their:key', 'theirs');
    other.disconnect();
    const redis = await ensureRedis({ url: foreign.url, explicit: true, dataDir, say });
    expect(redis).to.include({ url: foreign.url, started: false });
    expect(said.join('\n')).to.include(
      `Redis: ${foreign.url} db 0, keys under xb: and bull: — already running, as XBORDER_REDIS_URL says`,
    );
    await redis.stop();
    expect(await pingRedis(foreign.url)).to.equal(true);
  });

  it('takes an empty default database, marks it, and knows it as its own on the next start', async () => {
    const first = await ensureRedis({ url: foreign.url, explicit: false, dataDir, say });
    expect(first).to.include({ url: foreign.url, started: false });
    expect(said.join('\n')).to.include('its database was empty');
    const client = new Redis(foreign.url);
    await client.set('xb:transfer:x', '1');
    client.disconnect();
    const second = await ensureRedis({ url: foreign.url, explicit: false, dataDir, say });
    expect(second).to.include({ url: foreign.url, started: false });
    expect(said.join('\n')).to.include(`created by xborder for ${dataDir}`);
    // Another data dir's start does not take it.
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-local-redis-other-'));
    const third = await ensureRedis({ url: foreign.url, explicit: false, dataDir: otherDir, say });
    try {
      expect(third.url).to.not.equal(foreign.url);
    } finally {
      await third.stop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
