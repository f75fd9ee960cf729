// Chaos: load on the gateway process. Hundreds of uploads that stall or trickle are cut off with 408 after the
// upload timeout (5 s here) without delaying anyone else, and leave no temp file; 5,000 connections at once,
// each holding an upload open, leave /healthz answering promptly and are all answered and closed. The npm script
// raises the open-file limit (ulimit -n) for the test process and the gateway it starts.
import { expect } from 'chai';
import { readdirSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { readRss } from '../../bench/support/rss-sampler.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { multipartFrame, upload } from './support/upload.js';

const uploadTimeoutMs = 5000;

/** One raw connection holding an upload open: headers, the manifest part, the payload's first bytes. */
interface HeldUpload {
  readonly socket: net.Socket;
  /** The status line's code once answered, 0 if the connection closed unanswered. */
  readonly answered: Promise<number>;
}

function holdUpload(port: number, token: string, manifest: unknown, firstBytes: number): HeldUpload {
  const frame = multipartFrame(manifest);
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  const head =
    `POST /v1/transfers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: ${frame.contentType}\r\nContent-Length: ${frame.head.length + 1_000_000 + frame.tail.length}\r\n\r\n`;
  socket.write(head);
  socket.write(frame.head);
  socket.write(Buffer.alloc(firstBytes, 0x61));
  const answered = new Promise<number>((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match !== null) resolve(Number(match[1]));
    });
    socket.on('close', () => resolve(0));
  });
  return { socket, answered };
}

async function healthLatency(url: string): Promise<number> {
  const started = Date.now();
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  expect(response.status).to.equal(200);
  return Date.now() - started;
}

function tempFiles(cluster: Cluster): string[] {
  const tmp = path.join(cluster.payloadsDir, 'tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
}

describe('chaos: load on the gateway', function () {
  this.timeout(600_000);
  let cluster: Cluster;
  let token: string;

  before(async () => {
    cluster = await startCluster({ env: { XBORDER_UPLOAD_TIMEOUT_MS: String(uploadTimeoutMs) } });
    token = await cluster.token('enterprise', 'chaos-user', cluster.exemptManifest()['exporterId'] as string);
  });
  after(() => cluster?.close());

  it('cuts off 200 stalled and 200 trickling uploads with 408 while others are served', async () => {
    const port = cluster.ports.gateway;
    const stalled = Array.from({ length: 200 }, () =>
      holdUpload(port, token, cluster.exemptManifest(), 1000),
    );
    const trickling = Array.from({ length: 200 }, () =>
      holdUpload(port, token, cluster.exemptManifest(), 10),
    );
    const trickle = setInterval(() => {
      for (const t of trickling) if (!t.socket.destroyed) t.socket.write('b'.repeat(20));
    }, 200);
    try {
      // Meanwhile a normal upload and health checks go through at once.
      const started = Date.now();
      const normal = await upload({
        url: `${cluster.gatewayUrl}/v1/transfers`,
        token,
        manifest: cluster.exemptManifest(),
        payload: Buffer.from('order_id,qty\nSO-1,1\n'),
      });
      expect(normal.status, normal.text).to.equal(202);
      expect(Date.now() - started).to.be.below(uploadTimeoutMs);
      expect(await healthLatency(cluster.gatewayUrl)).to.be.below(1000);

      const codes = await Promise.all([...stalled, ...trickling].map((u) => u.answered));
      expect(new Set(codes)).to.deep.equal(new Set([408]));
      expect(Date.now() - started).to.be.below(uploadTimeoutMs * 3);
    } finally {
      clearInterval(trickle);
      for (const u of [...stalled, ...trickling]) u.socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tempFiles(cluster)).to.deep.equal([]);
  });
});

describe('chaos: 5,000 connections on the gateway', function () {
  this.timeout(600_000);
  let cluster: Cluster;
  let token: string;

  // Long enough for the gateway to take in all 5,000 before the first of them times out.
  before(async () => {
    cluster = await startCluster({ env: { XBORDER_UPLOAD_TIMEOUT_MS: '60000' } });
    token = await cluster.token('enterprise', 'chaos-user', cluster.exemptManifest()['exporterId'] as string);
  });
  after(() => cluster?.close());

  it('answers /healthz with 5,000 connections open, promptly once they are held, then answers and closes them all', async () => {
    const gateway = cluster.process('gateway').child.pid ?? 0;
    const rssBefore = readRss(gateway);
    const held: HeldUpload[] = [];
    // Opened in waves of 100; /healthz is asked while the gateway is still taking them in.
    let duringBurst = 0;
    for (let wave = 0; wave < 50; wave += 1) {
      for (let i = 0; i < 100; i += 1)
        held.push(holdUpload(cluster.ports.gateway, token, cluster.exemptManifest(), 100));
      if (wave === 49) duringBurst = await healthLatency(cluster.gatewayUrl);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Every upload has reached its payload (a temp file each): all 5,000 are open and held by the gateway.
    const deadline = Date.now() + 60_000;
    while (tempFiles(cluster).length < held.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const open = tempFiles(cluster).length;
    const latencies: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      latencies.push(await healthLatency(cluster.gatewayUrl));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const rssHeld = readRss(gateway);
    const codes = await Promise.all(held.map((u) => u.answered));
    for (const u of held) u.socket.destroy();
    const counts = new Map<number, number>();
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
    console.log(
      `      /healthz ${duringBurst} ms during the burst, ${Math.min(...latencies)}-${Math.max(...latencies)} ms with ${open} uploads held; answers ${JSON.stringify([...counts])}; gateway RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssHeld / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(open).to.equal(held.length);
    expect(Math.max(...latencies)).to.be.below(500);
    expect(codes.filter((c) => c === 408)).to.have.length(held.length);
    expect(await healthLatency(cluster.gatewayUrl)).to.be.below(500);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tempFiles(cluster)).to.deep.equal([]);
  });
});
