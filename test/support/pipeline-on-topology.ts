// test/support/pipeline-on-topology: the pipeline on a Redis topology other than one server (a Cluster, a
// Sentinel-watched master), run by real processes: a burst of transfers submitted, checked, released and
// delivered, and one held transfer released by two reviewers. Shared by the cluster and sentinel e2e tests.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../platform/config.js';
import { createRedis, pingRedis } from '../../platform/redis.js';
import { createKeys } from '../../registry/keys.js';
import type { GatewayClient } from './gateway-client.js';
import { registeredGateway } from './registered-gateway.js';
import type { TestRedisTopology } from './redis-cluster.js';
import { createTestDeployment, roles, type TestDeployment } from './test-deployment.js';
import { createContractManifest, createManifest } from './transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-topology';
const endpoint = 'endpoint-sg-topology';
const purpose = 'order fulfilment and delivery';
const route = { exporter, partner, endpoint, purpose };

interface TransferBody {
  id: string;
  status: string;
  holdReasons: { code: string }[];
  approvals: string[];
  classification: { tier: string };
}

/** Transfers in the burst: the issue saw 21 of 30 fail on a cluster before every key was in KEYS. */
export const burstSize = 30;

export interface TopologyRun {
  readonly deployment: TestDeployment;
  readonly gw: GatewayClient<TransferBody>;
  /**
   * Submits `burstSize` transfers at once, half free flow (straight to release) and half on the contract route
   * (a BullMQ flow: check children, then the release parent); answers how many were released with identical
   * bytes delivered, and the statuses they ended in.
   */
  burst(): Promise<{ released: number; statuses: Record<string, number> }>;
  /** A transfer held for a missing filing, approved by two reviewers: answers its statuses along the way. */
  heldThenReleased(): Promise<string[]>;
  /**
   * Transfers in the topology's all-transfers index (under the configured prefix), and keys in the deployment's
   * own single redis-server (which the topology's variables replace: it must stay empty).
   */
  whereRecordsAre(): Promise<{ transfers: number; singleServerKeys: number }>;
  stop(): Promise<void>;
}

export async function runOnTopology(
  name: string,
  startTopology: () => Promise<TestRedisTopology>,
): Promise<TopologyRun> {
  const topology = await startTopology();
  let deployment: TestDeployment;
  try {
    deployment = await createTestDeployment({
      partner,
      dataDirPrefix: `xborder-${name}-`,
      env: { ...topology.env },
      startTimeoutMs: 60_000,
    });
  } catch (err) {
    await topology.stop();
    throw err;
  }
  const stop = async () => {
    await deployment.stop();
    await topology.stop();
  };
  try {
    await Promise.all(roles.map((role) => deployment.start(role)));
    const gw = await registeredGateway<TransferBody>(deployment, {
      ...route,
      attestationId: 'att-topology-1',
      selfAssessmentId: 'pipia-topology',
      filings: { 'SCC-TOPO-1': {} },
    });
    const receiverDir = path.join(deployment.dataDir, 'receiver', 'deliveries');
    return {
      deployment,
      gw,
      async burst() {
        const enterprise = await gw.token('enterprise', 'ent-user', exporter);
        const payloads = Array.from({ length: burstSize }, (_, i) =>
          Buffer.from(`sku,qty\nGX-${i},${i + 1}\n`),
        );
        const answers = await Promise.all(
          payloads.map((p) => gw.submit(createManifest(route), p, enterprise)),
        );
        for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
        const done = await Promise.all(answers.map((a) => gw.settle(a.body.id, enterprise)));
        const statuses: Record<string, number> = {};
        let released = 0;
        for (const [i, transfer] of done.entries()) {
          statuses[transfer.status] = (statuses[transfer.status] ?? 0) + 1;
          const delivered = readFileSync(path.join(receiverDir, `${transfer.id}.bin`));
          if (transfer.status === 'released' && delivered.equals(payloads[i] ?? Buffer.alloc(0)))
            released += 1;
        }
        return { released, statuses };
      },
      async heldThenReleased() {
        const enterprise = await gw.token('enterprise', 'ent-user', exporter);
        const manifest = createContractManifest(route, {
          selfAssessmentId: 'pipia-topology',
          attestationId: 'att-topology-1',
        });
        const answer = await gw.submit(manifest, Buffer.from('order_id,qty\nSO-1,1\n'), enterprise);
        const held = await gw.settle(answer.body.id, enterprise);
        const seen = [held.status];
        const decide = async (sub: string) => {
          const reviewer = await gw.token('reviewer', sub);
          const decided = await gw.call('POST', `/v1/transfers/${held.id}/decision`, reviewer, {
            decision: 'approve',
            comment: 'contract verified offline',
          });
          seen.push(decided.body.status);
        };
        await decide('rev-a');
        await decide('rev-b');
        seen.push((await gw.settle(held.id, enterprise)).status);
        return seen;
      },
      async whereRecordsAre() {
        const config = loadConfig({ ...deployment.env });
        const redis = createRedis(config.redisUrl, {
          sentinels: config.redisSentinels,
          cluster: config.redisClusterNodes,
        });
        const single = createRedis(deployment.redis.url);
        try {
          expect(await pingRedis(deployment.redis.url)).to.equal(true);
          return {
            transfers: await redis.zcard(createKeys(config.redisPrefix).transfersAll()),
            singleServerKeys: await single.dbsize(),
          };
        } finally {
          redis.disconnect();
          single.disconnect();
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
