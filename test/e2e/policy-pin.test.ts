// End to end: a workers process whose policy version differs from the one a transfer was classified under does
// not judge it under its own rulebook; the job waits (metric, log) and is released once a worker runs the
// transfer's version. /readyz of the gateway and of the workers names the version each runs.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { GatewayClient } from '../support/gateway-client.js';
import { registeredGateway } from '../support/registered-gateway.js';
import { createTestDeployment, type TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-pin';
const endpoint = 'endpoint-sg-pin';
const route = { exporter, partner, endpoint, purpose: 'order fulfilment and delivery' };

interface TransferBody {
  id: string;
  status: string;
  classification: { tier: string; policyVersion: string };
}

interface Readiness {
  status: string;
  detail: { policy: { policyVersion: string } };
}

async function readiness(url: string): Promise<Readiness> {
  return (await (await fetch(url)).json()) as Readiness;
}

async function waitFor(condition: () => Promise<boolean>, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('e2e: workers pin the policy version a transfer was classified under', function () {
  this.timeout(240_000);
  let deployment: TestDeployment;
  let gw: GatewayClient<TransferBody>;
  let otherPolicyDir: string;

  before(async () => {
    // The same rules with one more line: another version (the version hashes the files' text).
    otherPolicyDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-policy-b-'));
    cpSync(path.resolve('policies'), otherPolicyDir, {
      recursive: true,
      filter: (src) => !src.endsWith('.ts'),
    });
    appendFileSync(path.join(otherPolicyDir, 'settings.yaml'), '\n# rollout test: policy B\n');
    deployment = await createTestDeployment({ partner, dataDirPrefix: 'xborder-e2e-pin-' });
    await deployment.start('receiver');
    await deployment.start('gateway');
    await deployment.start('workers', { XBORDER_POLICY_DIR: otherPolicyDir });
    gw = await registeredGateway<TransferBody>(deployment, {
      ...route,
      attestationId: 'att-pin-1',
      selfAssessmentId: 'pipia-pin',
    });
  });

  after(async () => {
    await deployment?.stop();
    rmSync(otherPolicyDir, { recursive: true, force: true });
  });

  it('waits (retriable, counted) on a worker with another version, and releases on one with the same', async () => {
    const workersReady = `http://127.0.0.1:${deployment.ports.workers}/readyz`;
    const gatewayVersion = (await readiness(`${deployment.gatewayUrl}/readyz`)).detail.policy.policyVersion;
    const workersB = await readiness(workersReady);
    expect(workersB.status).to.equal('ready');
    expect(workersB.detail.policy.policyVersion).to.match(/^[0-9a-f]{16}$/);
    expect(workersB.detail.policy.policyVersion).to.not.equal(gatewayVersion);

    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    const answer = await gw.submit(createManifest(route), Buffer.from('sku,qty\nGX-1,10\n'), enterprise);
    expect(answer.status, deployment.output()).to.equal(202);
    expect(answer.body.classification.policyVersion).to.equal(gatewayVersion);
    const waits = async (): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${deployment.ports.workers}/metrics`)).text();
      return [...text.matchAll(/^xborder_policy_version_waits_total\{stage="[a-z]+"\} (\d+)$/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    };
    await waitFor(async () => (await waits()) >= 2, 'the job to be put back twice', deployment.output);
    // Still waiting, not failed nor judged under B.
    const waiting = await gw.call('GET', `/v1/transfers/${answer.body.id}`, enterprise);
    expect(waiting.body.status).to.equal('checking');
    expect(deployment.process('workers')?.output()).to.include('classified under another policy version');

    // The rollout reaches the workers: the same policy as the gateway.
    await deployment.process('workers')?.stop();
    await deployment.start('workers');
    expect((await readiness(workersReady)).detail.policy.policyVersion).to.equal(gatewayVersion);
    const done = await gw.settle(answer.body.id, enterprise);
    expect(done.status, deployment.output()).to.equal('released');
  });
});
