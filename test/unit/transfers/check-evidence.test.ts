// transfers/check-evidence with the real policy files and an in-memory registry: which self-assessment kinds a transfer
// needs, and the PIPIA looked up beside the named risk self-assessment (regulation.md §10.3 T4).
import { expect } from 'chai';
import path from 'node:path';
import { createFixedClock } from '../../../platform/clock.js';
import { loadPolicy } from '../../../policies/load-policy.js';
import type { SelfAssessment } from '../../../registry/records.js';
import { createEvidenceChecker } from '../../../transfers/check-evidence.js';
import type { TrustStore } from '../../../transfers/trust-store.js';
import { createMemoryRegistryStore } from '../../support/memory-registry-store.js';
import { classification, manifest, now } from './fixtures.js';

const exporter = '91450100MA5KDEM11G';

function selfAssessment(id: string, kind: SelfAssessment['kind'], exporterId = exporter): SelfAssessment {
  return {
    id,
    updatedAt: '2026-06-01T00:00:00Z',
    exporterId,
    kind,
    completedOn: '2026-05-20',
    reportSha256: 'c'.repeat(64),
    scope: {
      partnerIds: ['partner-sg'],
      dataCategories: ['order', 'contact'],
      purposes: ['order fulfilment and delivery'],
      businessTypes: ['cross_border_ecommerce'],
    },
  };
}

describe('transfers/check-evidence self_assessment (real policy, in-memory registry)', () => {
  const policy = loadPolicy(path.resolve('policies'));
  const noTrust: TrustStore = {
    anchors: () => Promise.resolve([]),
    revocationSources: () => Promise.resolve([]),
    snapshot: () => Promise.resolve({ anchors: [], crlCount: 0, revocationSources: [] }),
  };
  const checkerWith = (records: SelfAssessment[]) => {
    // No filing registered: the PIPIA's age is then measured to now (rules reference §0.1 C6).
    const registry = createMemoryRegistryStore({ selfAssessments: records });
    return createEvidenceChecker({ registry, policy, trust: noTrust, clock: createFixedClock(now) });
  };
  const securityAssessment = (withPi: boolean) =>
    classification({
      tier: 'security_assessment',
      requiredEvidence: [
        ...(withPi ? ['pipia', 'notice_record'] : []),
        'attestation',
        'risk_self_assessment',
        'recipient_legal_document',
        'filing:security_assessment',
      ],
    });
  const named = (id: string) =>
    manifest({ evidence: { selfAssessmentId: id, noticeRecordRef: 'notice-1', filingId: 'SA-1' } });

  it('needs the risk self-assessment and a PIPIA for a security assessment with PI, and records both ids', async () => {
    const checker = checkerWith([
      selfAssessment('risk-1', 'risk_self_assessment'),
      selfAssessment('pipia-1', 'pipia'),
      selfAssessment('pipia-other', 'pipia', '91451400MA5PDEM13W'),
    ]);
    const result = await checker.run('self_assessment', named('risk-1'), securityAssessment(true));
    expect(result.verdict).to.deep.equal({ ok: true });
    expect(result.evidence).to.deep.equal({ selfAssessmentId: 'risk-1', pipiaId: 'pipia-1' });
  });

  it('holds a security assessment with PI when the exporter has no PIPIA: R-EVID-PIPIA-MISSING', async () => {
    const checker = checkerWith([
      selfAssessment('risk-1', 'risk_self_assessment'),
      selfAssessment('pipia-other', 'pipia', '91451400MA5PDEM13W'),
    ]);
    const result = await checker.run('self_assessment', named('risk-1'), securityAssessment(true));
    expect(result.verdict.ok ? [] : result.verdict.reasons.map((r) => r.code)).to.deep.equal([
      'R-EVID-PIPIA-MISSING',
    ]);
    expect(result.evidence).to.deep.equal({ selfAssessmentId: 'risk-1' });
  });

  it('accepts the PIPIA named, finding the risk self-assessment', async () => {
    const checker = checkerWith([
      selfAssessment('risk-1', 'risk_self_assessment'),
      selfAssessment('pipia-1', 'pipia'),
    ]);
    const result = await checker.run('self_assessment', named('pipia-1'), securityAssessment(true));
    expect(result.verdict).to.deep.equal({ ok: true });
    expect(result.evidence).to.deep.equal({ selfAssessmentId: 'pipia-1', riskSelfAssessmentId: 'risk-1' });
  });

  it('needs only the risk self-assessment without PI, and a named PIPIA then does not do', async () => {
    const checker = checkerWith([
      selfAssessment('risk-1', 'risk_self_assessment'),
      selfAssessment('pipia-1', 'pipia'),
    ]);
    const noPi = securityAssessment(false);
    expect((await checker.run('self_assessment', named('risk-1'), noPi)).evidence).to.deep.equal({
      selfAssessmentId: 'risk-1',
    });
    const wrong = await checker.run('self_assessment', named('pipia-1'), noPi);
    expect(wrong.verdict.ok ? [] : wrong.verdict.reasons.map((r) => r.code)).to.deep.equal([
      'R-EVID-PIPIA-MISSING',
    ]);
  });

  it('needs only the PIPIA on the standard-contract route', async () => {
    const checker = checkerWith([selfAssessment('pipia-1', 'pipia')]);
    const result = await checker.run('self_assessment', named('pipia-1'), classification());
    expect(result.verdict).to.deep.equal({ ok: true });
    expect(result.evidence).to.deep.equal({ selfAssessmentId: 'pipia-1' });
  });
});
