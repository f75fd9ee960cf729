// The pipeline on a real 3-master Redis 7 Cluster (issue #17 item 3): every process a cluster client, records
// under one hash tag ({xb}), every queue of the flow under another ({xborder}), every key a script touches in KEYS.
// Before, 21 of 30 transfers failed here ("Script attempted to access a non local key").
import { expect } from 'chai';
import { runOnTopology, burstSize, type TopologyRun } from '../support/pipeline-on-topology.js';
import { startRedisCluster } from '../support/redis-cluster.js';

describe('e2e: the pipeline on a real 3-master Redis Cluster', function () {
  this.timeout(300_000);
  let run: TopologyRun;

  before(async () => {
    run = await runOnTopology('cluster', startRedisCluster);
  });

  after(async () => {
    await run?.stop();
  });

  it(`submits, checks, releases and delivers a burst of ${burstSize} transfers, none failing`, async () => {
    const { released, statuses } = await run.burst();
    expect(statuses, run.deployment.output()).to.deep.equal({ released: burstSize });
    expect(released).to.equal(burstSize);
    expect(await run.whereRecordsAre()).to.deep.equal({ transfers: burstSize, singleServerKeys: 0 });
  });

  it('holds a transfer, and two different reviewers release it (four eyes, compare-and-set on the cluster)', async () => {
    const [held, afterOne, afterTwo, end] = await run.heldThenReleased();
    expect([held, afterOne, end]).to.deep.equal(['held', 'held', 'released']);
    // The workers may deliver before the second reviewer's answer is read back.
    expect(afterTwo).to.be.oneOf(['releasing', 'released']);
  });
});
