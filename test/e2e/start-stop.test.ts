// `xborder start` and `npm start` as real processes (issue 15): a start that cannot bind its port stops what it
// started (workers, receiver, its own redis-server) and exits 3 naming the variable; SIGTERM to the `npm start`
// process (npm → node, exec'd) stops the gateway, workers, receiver and the redis-server it started; so does Ctrl-C at
// the terminal, which reaches node twice (from the terminal and forwarded by npm) and must still drain.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/redis-server.js';
import { startProcess } from '../support/processes.js';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function allClosed(ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open: number[] = [];
    for (const port of ports) if (await listening(port)) open.push(port);
    if (open.length === 0 || Date.now() > deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function testEnv(): Promise<{
  env: Record<string, string>;
  ports: { http: number; metrics: number; receiver: number; redis: number };
  dataDir: string;
}> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-start-stop-'));
  const ports = {
    http: await freePort(),
    metrics: await freePort(),
    receiver: await freePort(),
    redis: await freePort(),
  };
  const env = {
    XBORDER_DATA_DIR: dataDir,
    XBORDER_POLICY_DIR: path.resolve('policies'),
    // Nothing answers there, so start launches its own redis-server under the data dir.
    XBORDER_REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
    XBORDER_HTTP_PORT: String(ports.http),
    XBORDER_METRICS_PORT: String(ports.metrics),
    XBORDER_RECEIVER_PORT: String(ports.receiver),
    // Start launches redis-server, which hangs under libfaketime (npm run test:dates): this process tree runs
    // on the real clock.
    LD_PRELOAD: '',
  };
  return { env, ports, dataDir };
}

describe('e2e: xborder start and npm start stop everything they started', function () {
  this.timeout(300_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a taken HTTP port: exit 3 naming XBORDER_HTTP_PORT, and receiver, workers and its Redis are stopped', async () => {
    const { env, ports, dataDir } = await testEnv();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.http, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    const start = startProcess('start', ['start'], env);
    cleanups.push(() => start.stop('SIGKILL'));
    const code = await new Promise<number | null>((resolve) => start.child.once('exit', (c) => resolve(c)));
    expect(code, start.output()).to.equal(3);
    expect(start.output()).to.include(`Port ${ports.http} is taken; set XBORDER_HTTP_PORT`);
    expect(start.output()).to.include('redis-server started by xborder');
    expect(await allClosed([ports.metrics, ports.receiver, ports.redis], 10_000)).to.deep.equal([]);
  });

  /** Runs the real `npm start` (it builds first) in its own process group, as a terminal or a service manager does. */
  async function npmStart() {
    const { env, ports, dataDir } = await testEnv();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const npm = spawn('npm', ['start'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    npm.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    npm.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    cleanups.push(async () => {
      // Should the test fail half-way: a signal is what is under test, so give it time, then force the group.
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGTERM');
      const force = setTimeout(() => {
        try {
          process.kill(-(npm.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
      }, 20_000);
      await exited;
      clearTimeout(force);
    });
    const deadline = Date.now() + 240_000;
    while (!output.includes('xborder is running.')) {
      if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start never became ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { npm, ports, exited, output: () => output };
  }

  it('SIGTERM to the npm start process stops gateway, workers, receiver and the Redis it started', async () => {
    const { npm, ports, exited, output } = await npmStart();
    expect(output()).to.match(/Redis: redis:\/\/127\.0\.0\.1:\d+ db 0, keys under xb: and bull:/);
    for (const port of Object.values(ports)) expect(await listening(port), `port ${port}`).to.equal(true);
    npm.kill('SIGTERM');
    await exited;
    expect(await allClosed(Object.values(ports), 20_000), output()).to.deep.equal([]);
    expect(output()).to.include('"msg":"stopped"');
  });

  it('Ctrl-C at the terminal (SIGINT to the whole group, which npm forwards once more) drains, then stops all', async () => {
    const { npm, ports, exited, output } = await npmStart();
    process.kill(-(npm.pid ?? 0), 'SIGINT');
    await exited;
    expect(await allClosed(Object.values(ports), 20_000), output()).to.deep.equal([]);
    // Drained, not cut short by the forwarded copy of the same signal.
    expect(output()).to.include('"msg":"stopped"');
  });
});
