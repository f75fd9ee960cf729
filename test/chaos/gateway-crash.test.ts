// Chaos: kill -9 the gateway in the middle of an upload sent with an Idempotency-Key. Nothing partial is visible
// (no transfer, no payload under its digest; the temp file is swept when the gateway starts once it is stale),
// and the client's retry with the same key succeeds as soon as the dead request's claim lapses (one lease,
// announced by Retry-After) — then the transfer goes all the way to `released`, once.
import { expect } from 'chai';
import http from 'node:http';
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { startCluster, type Cluster } from './support/cluster.js';
import { orderRows } from './support/payload-file.js';
import { multipartFrame, upload } from './support/upload.js';

const payloadBytes = 8 * 1024 * 1024;
const key = 'chaos-gateway-crash-1';

function files(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(suffix));
}

describe('chaos: the gateway killed in the middle of an upload', function () {
  this.timeout(300_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster();
  });
  after(() => cluster?.close());

  it('leaves nothing visible, and a retry with the same Idempotency-Key succeeds once', async () => {
    const token = await cluster.token(
      'enterprise',
      'chaos-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const payload = orderRows(payloadBytes);
    const frame = multipartFrame(cluster.exemptManifest());
    const req = http.request(`${cluster.gatewayUrl}/v1/transfers`, {
      method: 'POST',
      agent: false,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': frame.contentType,
        'Content-Length': String(frame.head.length + payload.length + frame.tail.length),
        'Idempotency-Key': key,
      },
    });
    const cut = new Promise<void>((resolve) => {
      req.on('error', () => resolve());
      req.on('response', () => resolve());
    });
    req.write(frame.head);
    req.write(payload.subarray(0, 2 * 1024 * 1024));

    // The upload is streaming into a temp file when the gateway dies.
    const tmp = path.join(cluster.payloadsDir, 'tmp');
    const deadline = Date.now() + 20_000;
    while (files(cluster.payloadsDir, '.part').length === 0) {
      if (Date.now() > deadline) throw new Error(`no temp file appeared\n${cluster.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await cluster.kill9('gateway');
    await cut;
    expect(files(cluster.payloadsDir, '.xbp')).to.deep.equal([]);
    const [part] = readdirSync(tmp);
    expect(part).to.match(/\.part$/);

    // Pretend the gateway stays down for a while: its restart sweeps temp files that old.
    const eleven = new Date(Date.now() - 11 * 60_000);
    utimesSync(path.join(tmp, part ?? ''), eleven, eleven);
    await cluster.start('gateway');
    expect(readdirSync(tmp)).to.deep.equal([]);
    expect(await cluster.listIds()).to.deep.equal([]);

    // The client retries at once, honouring Retry-After while the dead request's claim lapses.
    const started = Date.now();
    const statuses: number[] = [];
    let accepted: { id: string } | null = null;
    for (let attempt = 0; attempt < 10 && accepted === null; attempt += 1) {
      const answer = await upload({
        url: `${cluster.gatewayUrl}/v1/transfers`,
        token,
        manifest: cluster.exemptManifest(),
        payload,
        headers: { 'Idempotency-Key': key },
      });
      statuses.push(answer.status);
      if (answer.status === 202) accepted = JSON.parse(answer.text) as { id: string };
      else {
        expect(answer.status, answer.text).to.equal(409);
        const wait = Number(answer.headers['retry-after']);
        expect(wait).to.be.within(1, 15);
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      }
    }
    expect(accepted, `answers: ${statuses.join(', ')}`).to.not.equal(null);
    expect(Date.now() - started).to.be.below(30_000);

    // The same key now answers the same transfer, and there is exactly one.
    const again = await upload({
      url: `${cluster.gatewayUrl}/v1/transfers`,
      token,
      manifest: cluster.exemptManifest(),
      payload,
      headers: { 'Idempotency-Key': key },
    });
    expect(again.status).to.equal(202);
    expect((JSON.parse(again.text) as { id: string }).id).to.equal(accepted?.id);
    const done = await cluster.settle(accepted?.id ?? '', undefined, 60_000);
    expect(done.status).to.equal('released');
    expect(await cluster.listIds()).to.deep.equal([accepted?.id]);
    expect(files(cluster.payloadsDir, '.xbp')).to.have.length(1);
  });
});
