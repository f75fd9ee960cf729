// Redis Sentinel: with XBORDER_REDIS_SENTINELS the master is found through a real sentinel (the same
// redis-server binary in --sentinel mode), not through the URL's host.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../platform/config.js';
import { createRedis, pingRedis } from '../../../platform/redis.js';
import { freePort, redisServerEnv, startRedisServer, type TestRedis } from '../../support/redis-server.js';

describe('platform/redis with Sentinel (real redis-server --sentinel)', function () {
  this.timeout(30_000);
  let master: TestRedis;
  let sentinel: ChildProcess;
  let sentinelPort: number;
  let dir: string;

  before(async () => {
    master = await startRedisServer();
    sentinelPort = await freePort();
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-sentinel-'));
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor xbmaster 127.0.0.1 ${master.port} 1`,
        '',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore', env: redisServerEnv() });
    for (let i = 0; i < 100 && !(await pingRedis(`redis://127.0.0.1:${sentinelPort}`, 200)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    sentinel.kill('SIGTERM');
    await master.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the master the sentinel names, whatever host the URL says', async () => {
    const config = loadConfig({
      XBORDER_REDIS_URL: 'redis://unused.invalid:1/0',
      XBORDER_REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      XBORDER_REDIS_SENTINEL_MASTER: 'xbmaster',
    });
    const viaSentinel = createRedis(config.redisUrl, { sentinels: config.redisSentinels });
    const direct = createRedis(master.url);
    try {
      await viaSentinel.set('xb:sentinel-probe', 'found');
      expect(await direct.get('xb:sentinel-probe')).to.equal('found');
    } finally {
      viaSentinel.disconnect();
      direct.disconnect();
    }
  });
});
