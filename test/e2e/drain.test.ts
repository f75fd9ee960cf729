// End to end, process behaviour on real processes: SIGTERM drains — the workers finish the delivery they are
// in the middle of, the gateway finishes an upload still streaming in but refuses new connections — and each
// exits 0; the transfer id is on the log lines of both processes.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { mintToken, type TokenRole } from '../../certs/token.js';
import { startRedisServer, freePort, type TestRedis } from '../support/redis-server.js';
import { runCli, startProcess, waitForPort, type RunningProcess } from '../support/processes.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-drain';
const endpoint = 'endpoint-sg-drain';
/** How long the proxy in front of the receiver holds the delivery: long enough to send SIGTERM meanwhile. */
const deliveryDelayMs = 1500;

/** A TCP proxy that forwards to `target` but holds the first bytes back for `delayMs` (TLS passes through). */
function startSlowProxy(
  target: number,
  delayMs: number,
): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(target, '127.0.0.1');
    client.pause();
    setTimeout(() => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    }, delayMs);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        connections: () => connections,
        close: () => server.close(),
      }),
    ),
  );
}

function exitOf(proc: RunningProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null) return resolve(proc.child.exitCode);
    proc.child.once('exit', (code) => resolve(code));
  });
}

describe('e2e: SIGTERM drains in-flight work, and logs carry the transfer id', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let dataDir: string;
  let env: Record<string, string>;
  let httpPort: number;
  let metricsPort: number;
  let gatewayUrl: string;
  const procs: RunningProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;

  const token = (role: TokenRole, sub: string, exporterId?: string) =>
    mintToken(
      { role, sub, ttlSeconds: 600, ...(exporterId === undefined ? {} : { exporter: exporterId }) },
      readFileSync(devPkiPaths(path.join(dataDir, 'pki')).issuerKey, 'utf8'),
      { issuer: 'xborder-dev', audience: 'xborder', now: new Date() },
    );

  async function call(method: string, url: string, bearer: string, body?: unknown) {
    const response = await fetch(`${gatewayUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as { id: string; status: string } };
  }

  const manifest = {
    exporterId: exporter,
    businessType: 'supply_chain',
    purpose: 'order fulfilment and delivery',
    partnerId: partner,
    endpointId: endpoint,
    destinationCountry: 'SG',
    dataCategories: ['inventory'],
    declaredGrade: 'general',
    personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
  };

  function startGateway(): Promise<RunningProcess> {
    const gateway = startProcess('gateway', ['gateway'], env);
    procs.push(gateway);
    return waitForPort(httpPort, gateway).then(() => gateway);
  }

  before(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-drain-'));
    const receiverPort = await freePort();
    [httpPort, metricsPort] = [await freePort(), await freePort()];
    env = {
      XBORDER_REDIS_URL: redis.url,
      XBORDER_DATA_DIR: dataDir,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_HTTP_PORT: String(httpPort),
      XBORDER_METRICS_PORT: String(metricsPort),
      XBORDER_RECEIVER_PORT: String(receiverPort),
      XBORDER_DELIVERY_BACKOFF_MS: '200',
      XBORDER_LOG_LEVEL: 'info',
    };
    await runCli(['certs', 'init', '--partner', partner], env);
    const receiver = startProcess('receiver', ['receiver'], env);
    procs.push(receiver);
    await waitForPort(receiverPort, receiver);
    proxy = await startSlowProxy(receiverPort, deliveryDelayMs);
    gatewayUrl = `http://127.0.0.1:${httpPort}`;
    await startGateway();

    const admin = await token('admin', 'admin-1');
    expect(
      (
        await call('PUT', `/v1/exporters/${exporter}`, admin, {
          name: 'Drain Co',
          ciio: false,
          ftzArea: null,
        })
      ).status,
    ).to.equal(200);
    expect(
      (await call('PUT', `/v1/partners/${partner}`, admin, { name: 'P', country: 'SG', role: 'processor' }))
        .status,
    ).to.equal(200);
    expect(
      (
        await call('PUT', `/v1/endpoints/${endpoint}`, admin, {
          partnerId: partner,
          url: `https://localhost:${proxy.port}`,
          country: 'SG',
        })
      ).status,
    ).to.equal(200);
  });

  after(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    proxy?.close();
    await redis?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('workers: SIGTERM during a delivery lets it finish (released), then exits 0; both logs name the transfer', async () => {
    const enterprise = await token('enterprise', 'ent-1', exporter);
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest));
    form.append('payload', new Blob(['sku,qty\nGX-1,10\n']), 'payload');
    const submitted = (await (
      await fetch(`${gatewayUrl}/v1/transfers`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${enterprise}` },
        body: form,
      })
    ).json()) as { id: string; status: string };
    expect(submitted.status).to.equal('checking');

    const workers = startProcess('workers', ['workers'], env);
    procs.push(workers);
    const deadline = Date.now() + 20_000;
    while (proxy.connections() === 0) {
      if (Date.now() > deadline) throw new Error(`no delivery started:\n${workers.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The delivery is now held by the proxy: stop the workers in the middle of it.
    const exited = exitOf(workers);
    workers.child.kill('SIGTERM');
    expect(await exited, workers.output()).to.equal(0);

    const after = await call('GET', `/v1/transfers/${submitted.id}`, enterprise);
    expect(after.body.status).to.equal('released');
    const logsNaming = (proc: RunningProcess) =>
      proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes(`"transferId":"${submitted.id}"`));
    const gatewayLines = logsNaming(procs.find((p) => p.name === 'gateway') as RunningProcess);
    const workerLines = logsNaming(workers);
    expect(gatewayLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.include('transfer submitted');
    expect(workerLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.include('delivered');
    const order = workers.output().indexOf('"msg":"draining"');
    expect(order, 'drain began before the delivery finished').to.be.greaterThan(-1);
    expect(order).to.be.lessThan(workers.output().indexOf('"msg":"delivered"'));
  });

  it('gateway: SIGTERM during a slow upload refuses new connections, answers the upload 202, then exits 0', async () => {
    const gateway = procs.find((p) => p.name === 'gateway') as RunningProcess;
    const enterprise = await token('enterprise', 'ent-1', exporter);
    const boundary = 'xborder-drain-boundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(manifest)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="p"\r\nContent-Type: text/csv\r\n\r\nsku,qty\n`;
    const rows = Array.from({ length: 10 }, (_, i) => `GX-${i},${i}\n`);
    const tail = `\r\n--${boundary}--\r\n`;
    const length = Buffer.byteLength(head) + Buffer.byteLength(rows.join('')) + Buffer.byteLength(tail);

    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${gatewayUrl}/v1/transfers`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${enterprise}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(length),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(head);
      void (async () => {
        for (const [i, row] of rows.entries()) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          req.write(row);
          if (i === 2) gateway.child.kill('SIGTERM');
          if (i === 4) {
            // Draining: the listening socket is closed, so a new connection is refused.
            const refused = await new Promise<boolean>((resolve) => {
              const socket = net.connect(httpPort, '127.0.0.1');
              socket.once('connect', () => {
                socket.destroy();
                resolve(false);
              });
              socket.once('error', () => resolve(true));
            });
            expect(refused, 'a new connection while draining').to.equal(true);
          }
        }
        req.end(tail);
      })().catch(reject);
    });
    const exited = exitOf(gateway);
    const { status, body } = await answer;
    expect(status, body).to.equal(202);
    expect((JSON.parse(body) as { status: string }).status).to.equal('checking');
    expect(await exited, gateway.output()).to.equal(0);
  });
});
