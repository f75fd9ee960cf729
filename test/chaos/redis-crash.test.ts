// Chaos: Redis with AOF and `appendfsync always` is killed (-9) right after a burst of accepted submissions,
// while workers are busy with them, and restarted on the same directory. Every transfer that was answered 202
// is still there and completes; the gateway and workers reconnect by themselves. Submissions cut off by the
// crash were never acknowledged; if one left a record behind, the pipeline reconciler finishes it too, so no
// transfer is left waiting in `checking` or `releasing`.
import { expect } from 'chai';
import { startCluster, type Cluster } from './support/cluster.js';
import { orderRows } from './support/payload-file.js';
import { upload } from './support/upload.js';

const burst = 60;

describe('chaos: Redis killed after a burst of accepted transfers (AOF, appendfsync always)', function () {
  this.timeout(600_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ appendonly: true });
  });
  after(() => cluster?.close());

  it('keeps every acknowledged transfer and completes it after the restart', async () => {
    const token = await cluster.token(
      'enterprise',
      'chaos-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const submit = (i: number) =>
      upload({
        url: `${cluster.gatewayUrl}/v1/transfers`,
        token,
        manifest: cluster.exemptManifest(),
        payload: orderRows(1024, i * 100),
        timeoutMs: 30_000,
      });
    const acknowledged: string[] = [];
    let refused = 0;
    let crashed = false;
    const inFlight = Array.from({ length: burst }, async (_, i) => {
      // Half the burst is accepted before the crash, the other half races it.
      if (i >= burst / 2) await new Promise((resolve) => setTimeout(resolve, 5 * (i - burst / 2)));
      try {
        const answer = await submit(i);
        if (answer.status === 202) acknowledged.push((JSON.parse(answer.text) as { id: string }).id);
        else refused += 1;
      } catch {
        refused += 1;
      }
      if (acknowledged.length === burst / 2 && !crashed) {
        crashed = true;
        cluster.redis.kill9();
      }
    });
    await Promise.all(inFlight);
    expect(crashed, 'Redis was killed during the burst').to.equal(true);
    expect(acknowledged.length).to.be.at.least(burst / 2);

    await new Promise((resolve) => setTimeout(resolve, 2000));
    await cluster.redis.restart();

    for (const id of acknowledged) {
      const done = await cluster.settle(id, ['released', 'held', 'delivery_failed'], 240_000);
      expect(done.status, `${id}: ${JSON.stringify(done.holdReasons)}`).to.equal('released');
    }

    // Nothing the crash interrupted stays half-way: the reconciler takes records without jobs forward.
    const deadline = Date.now() + 240_000;
    const stillPending = async () => {
      const records = await Promise.all((await cluster.listIds()).map((id) => cluster.transfer(id)));
      return records
        .filter((r) => r !== null && ['checking', 'releasing'].includes(r.status))
        .map((r) => r?.id);
    };
    let pending = await stillPending();
    while (pending.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      pending = await stillPending();
    }
    expect(pending, `still pending (refused during the crash: ${refused})`).to.deep.equal([]);
    const after = await cluster.listIds();
    expect(after).to.include.members(acknowledged);
    console.log(
      `      ${acknowledged.length} acknowledged, ${refused} cut off by the crash, ${after.length - acknowledged.length} unacknowledged records completed`,
    );
  });
});
