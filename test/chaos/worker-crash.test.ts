// Chaos: kill -9 the workers process in the middle of a delivery. The receiver is paused (SIGSTOP) while the
// body is half sent, so the kill lands mid-body for sure; BullMQ finds the job stalled once its lock lapses and
// a new workers process delivers again. The partner ends with exactly one stored delivery and one receipt, and
// the transfer ends `released`.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from './support/cluster.js';
import { writeOrderFile } from './support/payload-file.js';
import { upload } from './support/upload.js';

const payloadBytes = 96 * 1024 * 1024;

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('chaos: a workers process killed in the middle of a delivery', function () {
  this.timeout(300_000);
  let cluster: Cluster;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-chaos-payload-'));
    cluster = await startCluster({ env: { XBORDER_MAX_PAYLOAD_BYTES: String(payloadBytes * 2) } });
  });
  after(async () => {
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Submits a fresh order file (distinct bytes per call); answers its transfer id and the payload's digest. */
  async function submit(offset: number): Promise<{ id: string; sha256: string }> {
    const file = path.join(dir, `orders-${offset}.csv`);
    writeOrderFile(file, payloadBytes, offset);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const token = await cluster.token(
      'enterprise',
      'chaos-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const answer = await upload({
      url: `${cluster.gatewayUrl}/v1/transfers`,
      token,
      manifest: cluster.exemptManifest(),
      payload: { file, bytes: payloadBytes },
    });
    expect(answer.status, answer.text).to.equal(202);
    return { id: (JSON.parse(answer.text) as { id: string }).id, sha256 };
  }

  it('delivers exactly once and ends released', async () => {
    const { id, sha256 } = await submit(0);

    // Mid-body: the receiver has part of the payload in its temp file; freeze it there.
    const receiverTmp = path.join(cluster.deliveriesDir, 'tmp');
    const partial = () =>
      existsSync(receiverTmp) &&
      readdirSync(receiverTmp).some((f) => statSync(path.join(receiverTmp, f)).size > 4 * 1024 * 1024);
    await until('the delivery to start', partial, 60_000);
    const receiver = cluster.process('receiver').child;
    receiver.kill('SIGSTOP');
    await cluster.kill9('workers');
    receiver.kill('SIGCONT');
    expect(readdirSync(cluster.deliveriesDir).filter((f) => f.endsWith('.json'))).to.deep.equal([]);

    await cluster.start('workers');
    // BullMQ's lock (30 s) must lapse before the stalled job is taken again.
    const done = await cluster.settle(id, ['released', 'delivery_failed', 'held'], 180_000);
    expect(done.status).to.equal('released');

    const stored = readdirSync(cluster.deliveriesDir).filter((f) => f !== 'tmp');
    expect(stored.sort()).to.deep.equal([`${id}.bin`, `${id}.json`]);
    expect(readdirSync(receiverTmp)).to.deep.equal([]);
    const meta = JSON.parse(readFileSync(path.join(cluster.deliveriesDir, `${id}.json`), 'utf8')) as {
      receipt: string;
      sha256: string;
    };
    expect(meta.sha256).to.equal(sha256);
    expect(meta.receipt).to.equal(done.receipt?.jws);
    expect(done.deliveryAttempts.filter((a) => a.outcome === 'delivered')).to.have.length(1);
  });

  it('delivers exactly once when the worker dies after the partner stored the payload but before the receipt was recorded', async () => {
    const { id, sha256 } = await submit(1_000_000);
    // The whole body has reached the receiver: freeze the worker before it can read the answer, then kill it.
    const receiverTmp = path.join(cluster.deliveriesDir, 'tmp');
    const whole = () =>
      existsSync(receiverTmp) &&
      readdirSync(receiverTmp).some((f) => statSync(path.join(receiverTmp, f)).size === payloadBytes);
    await until('the whole body to arrive', whole, 120_000);
    cluster.process('workers').child.kill('SIGSTOP');
    await until(
      'the receiver to store it',
      () => existsSync(path.join(cluster.deliveriesDir, `${id}.json`)),
      30_000,
    );
    await cluster.kill9('workers');
    // The partner holds the payload and has issued its receipt; xborder has not recorded it.
    expect((await cluster.transfer(id))?.status).to.equal('releasing');
    await cluster.start('workers');
    const done = await cluster.settle(id, ['released', 'delivery_failed', 'held'], 180_000);
    expect(done.status).to.equal('released');
    const stored = readdirSync(cluster.deliveriesDir).filter((f) => f.startsWith(id));
    expect(stored.sort()).to.deep.equal([`${id}.bin`, `${id}.json`]);
    const meta = JSON.parse(readFileSync(path.join(cluster.deliveriesDir, `${id}.json`), 'utf8')) as {
      receipt: string;
      sha256: string;
    };
    expect(meta.sha256).to.equal(sha256);
    // The redelivery was answered with the receipt the partner had already issued.
    expect(done.receipt?.jws).to.equal(meta.receipt);
    expect(done.deliveryAttempts.filter((a) => a.outcome === 'delivered')).to.have.length(1);
  });
});
