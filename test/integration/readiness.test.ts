// /readyz is honest and /metrics survives Redis going away: a gateway started from its composition root on a
// private Redis answers ready, then not_ready naming redis once Redis stops (while /metrics still answers, with
// xborder_redis_up 0), and not_ready naming the ledger when its directory disappears.
import { expect } from 'chai';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDevPki } from '../../certs/dev-pki.js';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway.js';
import { loadConfig } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { startRedisServer, type TestRedis } from '../support/redis-server.js';

async function readiness(
  url: string,
): Promise<{ status: number; body: { status: string; failing: string[] } }> {
  const response = await fetch(`${url}/readyz`);
  // `detail` (what the process runs with) is checked on its own below.
  const { status, failing } = (await response.json()) as { status: string; failing: string[] };
  return { status: response.status, body: { status, failing } };
}

describe('gateway readiness and the scrape without Redis', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let dataDir: string;
  let gateway: RunningGateway;

  before(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-ready-'));
    await createDevPki(path.join(dataDir, 'pki'));
    const config = loadConfig({
      XBORDER_REDIS_URL: redis.url,
      XBORDER_DATA_DIR: dataDir,
      XBORDER_HTTP_PORT: '0',
      XBORDER_POLICY_DIR: path.resolve('policies'),
    });
    gateway = await startGateway(config, {
      clock: systemClock,
      logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
    });
  });

  after(async () => {
    await gateway?.close();
    await redis?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready with Redis up and the ledger writable', async () => {
    expect(await readiness(gateway.url)).to.deep.equal({
      status: 200,
      body: { status: 'ready', failing: [] },
    });
  });

  it('says which FTZ negative list is in force: none, the shipped list being example data (rules reference §0.1)', async () => {
    const body = (await (await fetch(`${gateway.url}/readyz`)).json()) as {
      detail: {
        policy: {
          allowExampleFtzLists: boolean;
          ftzLists: { area: string; inForce: boolean; detail: string }[];
        };
      };
    };
    expect(body.detail.policy.allowExampleFtzLists).to.equal(false);
    expect(body.detail.policy.ftzLists.map((l) => [l.area, l.inForce])).to.deep.equal([
      ['nanning', false],
      ['qinzhou', false],
      ['chongzuo', false],
    ]);
    expect(body.detail.policy.ftzLists[0]?.detail).to.include('EXAMPLE data');
  });

  it('names the ledger when its directory is gone', async () => {
    const ledger = path.join(dataDir, 'ledger');
    renameSync(ledger, `${ledger}.away`);
    try {
      expect(await readiness(gateway.url)).to.deep.equal({
        status: 503,
        body: { status: 'not_ready', failing: ['ledger'] },
      });
    } finally {
      renameSync(`${ledger}.away`, ledger);
    }
    expect((await readiness(gateway.url)).status).to.equal(200);
  });

  it('names redis within about a second once Redis stops, and /metrics still answers with xborder_redis_up 0', async () => {
    await redis.stop();
    const started = Date.now();
    const answer = await readiness(gateway.url);
    expect(Date.now() - started).to.be.below(3000);
    expect(answer).to.deep.equal({ status: 503, body: { status: 'not_ready', failing: ['redis'] } });
    const metrics = await fetch(`${gateway.url}/metrics`);
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.match(/^xborder_redis_up 0$/m);
  });
});
