import { expect } from 'chai';
import { createLogger } from '../../../platform/logger.js';
import { createMetrics } from '../../../platform/metrics.js';
import type { TransferRecord } from '../../../registry/transfer.js';
import { RetryLaterError } from '../../../workers/pipeline.js';
import { checkPolicyPin, enforcePolicyPin } from '../../../workers/policy-pin.js';

const record = (policyVersion: string) =>
  ({ id: 'T1', classification: { policyVersion } }) as unknown as TransferRecord;

describe('workers/policy-pin', () => {
  it('lets a worker act only under the version the transfer was classified under', () => {
    expect(checkPolicyPin('aaaa', 'aaaa')).to.deep.equal({ ok: true });
    expect(checkPolicyPin('bbbb', 'aaaa')).to.deep.equal({
      ok: false,
      loaded: 'bbbb',
      classifiedUnder: 'aaaa',
    });
  });

  it('puts the job back (retriable, not unrecoverable), counts it and says why', async () => {
    const lines: string[] = [];
    const metrics = createMetrics({ defaultMetrics: false });
    const deps = {
      policyVersion: 'bbbb',
      policyPinRetryMs: 1234,
      metrics,
      logger: createLogger({ level: 'warn', name: 'test', write: (line: string) => lines.push(line) }),
    };
    expect(() => enforcePolicyPin(deps, record('bbbb'), 'release')).to.not.throw();
    let thrown: unknown;
    try {
      enforcePolicyPin(deps, record('aaaa'), 'release');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(RetryLaterError);
    expect((thrown as RetryLaterError).delayMs).to.equal(1234);
    expect(await metrics.registry.getSingleMetricAsString('xborder_policy_version_waits_total')).to.include(
      'xborder_policy_version_waits_total{stage="release"} 1',
    );
    expect(lines.join('')).to.include('"transferPolicyVersion":"aaaa"');
  });
});
