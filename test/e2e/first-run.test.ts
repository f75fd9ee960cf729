// End to end, as a new user meets xborder: `xborder start` on an empty data dir (it starts its own Redis,
// makes the development PKI, seeds the demo records and says what to do next), then `xborder demo`, whose
// transfers cover every tier and show up on /metrics; SIGTERM then stops everything with exit 0.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/redis-server.js';
import { runCli, startProcess, type RunningProcess } from '../support/processes.js';

interface DemoAnswer {
  ok: boolean;
  transfers: { id: string; tier: string; status: string; ok: boolean }[];
}

async function waitForOutput(proc: RunningProcess, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${proc.name} never printed "${text}":\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('e2e: first run — xborder start, then xborder demo', function () {
  this.timeout(90_000);
  let dataDir: string;
  let env: Record<string, string>;
  let start: RunningProcess;
  let gatewayUrl: string;
  let workersUrl: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-first-run-'));
    const [httpPort, metricsPort, receiverPort, redisPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    env = {
      XBORDER_DATA_DIR: dataDir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      // Nothing answers there, so start launches its own redis-server under the data dir.
      XBORDER_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      XBORDER_HTTP_PORT: String(httpPort),
      XBORDER_METRICS_PORT: String(metricsPort),
      XBORDER_RECEIVER_PORT: String(receiverPort),
      XBORDER_LOG_LEVEL: 'info',
      // `xborder start` launches redis-server, which hangs under libfaketime (npm run test:dates): this
      // process tree runs on the real clock.
      LD_PRELOAD: '',
    };
    gatewayUrl = `http://127.0.0.1:${httpPort}`;
    workersUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    start = startProcess('start', ['start'], env);
    await waitForOutput(start, 'xborder is running.');
  });

  after(async () => {
    await start?.stop('SIGKILL');
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URLs and points at `xborder demo`', () => {
    expect(start.output()).to.include(`API:       ${gatewayUrl}/v1`);
    expect(start.output()).to.include(`${gatewayUrl}/metrics`);
    expect(start.output()).to.match(/main\.js demo\s/);
    expect(start.output()).to.include('Created the development PKI');
  });

  it('xborder demo submits one transfer per tier and each ends as expected', async () => {
    const answer = JSON.parse(await runCli(['demo', '--json'], env)) as DemoAnswer;
    expect(answer.transfers.map((t) => [t.tier, t.status])).to.deep.equal([
      ['free_flow', 'released'],
      ['exempt', 'released'],
      ['standard_contract', 'released'],
      ['security_assessment', 'released'],
      ['manual_review', 'held'],
      ['prohibited', 'blocked'],
    ]);
    expect(answer.ok).to.equal(true);
  });

  it('the demo traffic shows on the gateway and workers /metrics', async () => {
    const gateway = await (await fetch(`${gatewayUrl}/metrics`)).text();
    for (const tier of ['free_flow', 'exempt', 'standard_contract', 'security_assessment', 'manual_review'])
      expect(gateway).to.match(new RegExp(`xborder_transfers_submitted_total\\{[^}]*tier="${tier}"\\} 1`));
    expect(gateway).to.match(/^xborder_transfers_held 1$/m);
    expect(gateway).to.match(/^xborder_transfers_finished_total\{status="blocked"\} 1$/m);
    const workers = await (await fetch(workersUrl)).text();
    expect(workers).to.match(/^xborder_transfers_finished_total\{status="released"\} 4$/m);
    expect(workers).to.match(
      /xborder_delivery_attempts_total\{endpoint="demo-endpoint-sg",outcome="delivered"\} 4/,
    );
  });

  it('SIGTERM drains gateway, workers, receiver and its Redis, and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => start.child.once('exit', (code) => resolve(code)));
    start.child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(start.output()).to.include('"msg":"stopped"');
  });
});
