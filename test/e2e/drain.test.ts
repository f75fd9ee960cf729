// End to end, process behaviour on real processes: SIGTERM drains — the workers finish the delivery they are
// in the middle of, the gateway finishes an upload still streaming in but refuses new connections — and each
// exits 0; the transfer id is on the log lines of both processes.
import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { startProcess, type RunningProcess } from '../support/processes.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, type TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-drain';
const endpoint = 'endpoint-sg-drain';
const purpose = 'order fulfilment and delivery';
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
  let deployment: TestDeployment;
  let gatewayUrl: string;
  /** Started by the test itself, not the deployment: the test must not wait for them to listen. */
  const procs: RunningProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;

  let gw: GatewayClient<{ id: string; status: string }>;

  const manifest = createManifest({ exporter, partner, endpoint, purpose });

  before(async () => {
    // At info the processes log each step with its transfer id, which the test reads.
    deployment = await createTestDeployment({
      partner,
      dataDirPrefix: 'xborder-drain-',
      env: { XBORDER_LOG_LEVEL: 'info' },
    });
    await deployment.start('receiver');
    proxy = await startSlowProxy(deployment.ports.receiver, deliveryDelayMs);
    gatewayUrl = deployment.gatewayUrl;
    gw = createGatewayClient({ baseUrl: gatewayUrl, dataDir: deployment.dataDir });
    await deployment.start('gateway');

    await setUpRegistry(gw, {
      exporter,
      exporterName: 'Drain Co',
      partners: [{ id: partner, name: 'P', endpoint }],
      endpointUrl: `https://localhost:${proxy.port}`,
      purpose,
    });
  });

  after(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    proxy?.close();
    await deployment?.stop('SIGKILL');
  });

  it('workers: SIGTERM during a delivery lets it finish (released), then exits 0; both logs name the transfer', async () => {
    const enterprise = await gw.token('enterprise', 'ent-1', exporter);
    const submitted = (await gw.submit(manifest, 'sku,qty\nGX-1,10\n', enterprise)).body;
    expect(submitted.status).to.equal('checking');

    const workers = startProcess('workers', ['workers'], deployment.env);
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

    const after = await gw.call('GET', `/v1/transfers/${submitted.id}`, enterprise);
    expect(after.body.status).to.equal('released');
    const logsNaming = (proc: RunningProcess) =>
      proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes(`"transferId":"${submitted.id}"`));
    const gatewayLines = logsNaming(deployment.process('gateway') as RunningProcess);
    const workerLines = logsNaming(workers);
    expect(gatewayLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.include('transfer submitted');
    expect(workerLines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.include('delivered');
    const order = workers.output().indexOf('"msg":"draining"');
    expect(order, 'drain began before the delivery finished').to.be.greaterThan(-1);
    expect(order).to.be.lessThan(workers.output().indexOf('"msg":"delivered"'));
  });

  it('gateway: SIGTERM during a slow upload refuses new connections, answers the upload 202, then exits 0', async () => {
    const gateway = deployment.process('gateway') as RunningProcess;
    const enterprise = await gw.token('enterprise', 'ent-1', exporter);
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
              const socket = net.connect(deployment.ports.gateway, '127.0.0.1');
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
