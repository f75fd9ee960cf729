import { expect } from 'chai';
import { classify } from '../../../policies/classify.js';
import { recordedInput, replayDecisions, type RecordedDecision } from '../../../policies/replay.js';
import { input, pi, policy, policyWith } from './fixtures.js';

/** Decides `patch` under the shipped policy and records it as the gateway would. */
function recorded(id: string, patch: Parameters<typeof input>[0]): RecordedDecision {
  const i = input(patch);
  const c = classify(i, policy);
  return {
    id,
    decidedAt: i.now,
    input: recordedInput(i.manifest, c, i.inspection),
    tier: c.tier,
    reasons: c.reasons,
    policyVersion: c.policyVersion,
  };
}

describe('policies/replay', () => {
  it('rebuilds the input the evaluator saw: the volume before the transfer, the exporter and partner facts', () => {
    const i = input({
      manifest: pi(30_000),
      ytd: { individuals: 80_000 },
      ftzArea: 'qinzhou',
      ciio: false,
      restricted: true,
    });
    const c = classify(i, policy);
    const again = recordedInput(i.manifest, c, i.inspection);
    expect(again.volume).to.deep.equal(i.volume);
    expect(again.exporter).to.deep.equal(i.exporter);
    expect(again.partner).to.deep.equal(i.partner);
  });

  it('reports nothing under the same policy', () => {
    const decisions = [
      recorded('T1', { manifest: pi(50_000) }),
      recorded('T2', { manifest: pi(150_000) }),
      recorded('T3', {}),
    ];
    expect(replayDecisions(decisions, policy)).to.deep.equal({ replayed: 3, unchanged: 3, changes: [] });
  });

  it('names the transfers a lowered SCC threshold would move, with the draft rule that decides them', () => {
    const draft = policyWith({
      file: 'thresholds.yaml',
      from: 'standardContract: 100000',
      to: 'standardContract: 50000',
    });
    const decisions = [
      recorded('T-40K', { manifest: pi(40_000) }),
      recorded('T-60K', { manifest: pi(60_000) }),
      recorded('T-NOPI', {}),
    ];
    const report = replayDecisions(decisions, draft);
    expect(report.replayed).to.equal(3);
    expect(report.unchanged).to.equal(2);
    expect(report.changes).to.have.length(1);
    const [change] = report.changes;
    expect(change?.id).to.equal('T-60K');
    expect(change?.from.tier).to.equal('exempt');
    expect(change?.to.tier).to.equal('standard_contract');
    expect(change?.to.reasons).to.include('R-SCC-PI100K');
    expect(change?.why).to.match(/^row 21: R-SCC-PI100K \(Provisions 2024 art\. 8/);
    expect(change?.to.policyVersion).to.not.equal(change?.from.policyVersion);
  });

  it("uses the year-to-date volume the decision had, not today's", () => {
    const draft = policyWith({
      file: 'thresholds.yaml',
      from: 'standardContract: 100000',
      to: 'standardContract: 90000',
    });
    const report = replayDecisions(
      [recorded('T', { manifest: pi(10_000), ytd: { individuals: 85_000 } })],
      draft,
    );
    expect(report.changes.map((c) => c.to.tier)).to.deep.equal(['standard_contract']);
  });
});
