// The pipeline with Redis found through a real Sentinel (XBORDER_REDIS_SENTINELS + XBORDER_REDIS_SENTINEL_MASTER):
// the URL names no reachable host, so every connection of every process goes where the sentinel says.
import { expect } from 'chai';
import { runOnTopology, burstSize, type TopologyRun } from '../support/pipeline-on-topology.js';
import { startRedisSentinel } from '../support/redis-cluster.js';

describe('e2e: the pipeline on a master found through Redis Sentinel', function () {
  this.timeout(300_000);
  let run: TopologyRun;

  before(async () => {
    run = await runOnTopology('sentinel', () => startRedisSentinel());
  });

  after(async () => {
    await run?.stop();
  });

  it(`submits, checks, releases and delivers a burst of ${burstSize} transfers`, async () => {
    const { released, statuses } = await run.burst();
    expect(statuses, run.deployment.output()).to.deep.equal({ released: burstSize });
    expect(released).to.equal(burstSize);
    expect(await run.whereRecordsAre()).to.deep.equal({ transfers: burstSize, singleServerKeys: 0 });
  });

  it('holds a transfer, and two different reviewers release it', async () => {
    const [held, afterOne, afterTwo, end] = await run.heldThenReleased();
    expect([held, afterOne, end]).to.deep.equal(['held', 'held', 'released']);
    // The workers may deliver before the second reviewer's answer is read back.
    expect(afterTwo).to.be.oneOf(['releasing', 'released']);
  });
});
