import { expect } from 'chai';
import {
  checkSelfAssessment,
  pickSelfAssessment,
  type SelfAssessmentRequirement,
} from '../../../transfers/checks/check-self-assessment.js';
import type { SelfAssessment } from '../../../registry/records.js';
import { manifest, now } from './fixtures.js';

const pipia: SelfAssessmentRequirement = {
  kinds: [{ kind: 'pipia', maxAgeDays: 90 }],
  noticeRequired: true,
  consentRequired: false,
};
/** A security assessment with PI: the risk self-assessment and a PIPIA (regulation.md §10.3 T4). */
const riskAndPipia: SelfAssessmentRequirement = {
  ...pipia,
  kinds: [
    { kind: 'risk_self_assessment', maxAgeDays: 90 },
    { kind: 'pipia', maxAgeDays: 90 },
  ],
};

function record(overrides: Partial<SelfAssessment> = {}): SelfAssessment {
  return {
    id: 'sa-1',
    updatedAt: '2026-06-01T00:00:00Z',
    exporterId: '91450100MA5KDEM11G',
    kind: 'pipia',
    completedOn: '2026-05-01',
    reportSha256: 'c'.repeat(64),
    scope: {
      partnerIds: ['partner-sg'],
      dataCategories: ['order', 'contact'],
      purposes: ['order fulfilment and delivery'],
      businessTypes: ['cross_border_ecommerce'],
    },
    ...overrides,
  };
}

const codes = (v: ReturnType<typeof checkSelfAssessment>) => (v.ok ? [] : v.reasons.map((r) => r.code));

describe('transfers/checks/check-self-assessment', () => {
  it('passes a recent PIPIA whose scope covers the transfer, with a notice record', () => {
    expect(checkSelfAssessment(manifest(), record(), pipia, now)).to.deep.equal({ ok: true });
  });

  it("fails R-EVID-PIPIA-MISSING when none is named, none is registered, or it is another exporter's", () => {
    expect(codes(checkSelfAssessment(manifest({ evidence: {} }), null, pipia, now))).to.deep.equal([
      'R-EVID-PIPIA-MISSING',
    ]);
    expect(codes(checkSelfAssessment(manifest(), null, pipia, now))).to.deep.equal(['R-EVID-PIPIA-MISSING']);
    expect(
      codes(checkSelfAssessment(manifest(), record({ exporterId: '91451400MA5PDEM13W' }), pipia, now)),
    ).to.deep.equal(['R-EVID-PIPIA-MISSING']);
  });

  it('fails R-EVID-PIPIA-MISSING when the kind does not fit the tier (a PIPIA where a risk self-assessment is needed)', () => {
    const risk: SelfAssessmentRequirement = {
      ...pipia,
      kinds: [{ kind: 'risk_self_assessment', maxAgeDays: 90 }],
    };
    expect(codes(checkSelfAssessment(manifest(), record(), risk, now))).to.deep.equal([
      'R-EVID-PIPIA-MISSING',
    ]);
  });

  it('fails R-EVID-SELFASSESS-STALE past the recency limit (3 months [K/U]) and for a date in the future', () => {
    expect(
      codes(checkSelfAssessment(manifest(), record({ completedOn: '2026-03-01' }), pipia, now)),
    ).to.deep.equal(['R-EVID-SELFASSESS-STALE']);
    expect(
      codes(checkSelfAssessment(manifest(), record({ completedOn: '2026-03-18' }), pipia, now)),
    ).to.deep.equal([]);
    expect(
      codes(checkSelfAssessment(manifest(), record({ completedOn: '2026-09-01' }), pipia, now)),
    ).to.deep.equal(['R-EVID-SELFASSESS-STALE']);
  });

  const gaps: [string, Partial<SelfAssessment['scope']>][] = [
    ['another partner', { partnerIds: ['partner-my'] }],
    ['a category outside the scope', { dataCategories: ['order'] }],
    ['another purpose', { purposes: ['analytics'] }],
    ['another business type', { businessTypes: ['supply_chain'] }],
  ];
  for (const [what, scope] of gaps) {
    it(`fails R-EVID-SELFASSESS-SCOPE for ${what}`, () => {
      const sa = record();
      expect(
        codes(checkSelfAssessment(manifest(), { ...sa, scope: { ...sa.scope, ...scope } }, pipia, now)),
      ).to.deep.equal(['R-EVID-SELFASSESS-SCOPE']);
    });
  }

  it('fails R-EVID-NOTICE-MISSING without a notice record (PIPL art. 39), and R-EVID-CONSENT-MISSING when consent is required', () => {
    const m = manifest({ evidence: { selfAssessmentId: 'sa-1' } });
    expect(codes(checkSelfAssessment(m, record(), { ...pipia, consentRequired: true }, now))).to.deep.equal([
      'R-EVID-NOTICE-MISSING',
      'R-EVID-CONSENT-MISSING',
    ]);
  });
  describe('a security assessment with PI: risk self-assessment and PIPIA', () => {
    const risk = record({ id: 'risk-1', kind: 'risk_self_assessment' });
    const m = manifest({ evidence: { selfAssessmentId: 'risk-1', noticeRecordRef: 'notice-1' } });

    it('passes with the named risk self-assessment and a covering PIPIA of the exporter found in the registry', () => {
      expect(
        checkSelfAssessment(m, risk, riskAndPipia, now, [risk, record({ id: 'pipia-1' })]),
      ).to.deep.equal({
        ok: true,
      });
    });

    it('passes the other way round: the named PIPIA and a registered risk self-assessment', () => {
      const named = manifest({ evidence: { selfAssessmentId: 'sa-1', noticeRecordRef: 'notice-1' } });
      expect(checkSelfAssessment(named, record(), riskAndPipia, now, [record(), risk])).to.deep.equal({
        ok: true,
      });
    });

    it('fails R-EVID-PIPIA-MISSING when the exporter has no PIPIA beside the risk self-assessment', () => {
      const otherExporters = record({ id: 'pipia-x', exporterId: '91451400MA5PDEM13W' });
      const verdict = checkSelfAssessment(m, risk, riskAndPipia, now, [risk, otherExporters]);
      expect(codes(verdict)).to.deep.equal(['R-EVID-PIPIA-MISSING']);
      expect(verdict.ok ? '' : verdict.reasons[0]?.message).to.contain('needs a PIPIA');
      expect(verdict.ok ? '' : verdict.reasons[0]?.rule).to.contain('Order 11 art. 5');
    });

    it('takes the newest PIPIA that covers the transfer, and reports the newest one’s gaps when none does', () => {
      const outOfScope = record({
        id: 'pipia-new',
        completedOn: '2026-06-10',
        scope: { ...record().scope, partnerIds: ['partner-my'] },
      });
      const covering = record({ id: 'pipia-old', completedOn: '2026-05-01' });
      expect(pickSelfAssessment(m, [outOfScope, covering], 'pipia', 90, now)?.id).to.equal('pipia-old');
      expect(checkSelfAssessment(m, risk, riskAndPipia, now, [outOfScope, covering]).ok).to.equal(true);
      expect(pickSelfAssessment(m, [outOfScope], 'pipia', 90, now)?.id).to.equal('pipia-new');
      expect(codes(checkSelfAssessment(m, risk, riskAndPipia, now, [outOfScope]))).to.deep.equal([
        'R-EVID-SELFASSESS-SCOPE',
      ]);
      const stale = record({ id: 'pipia-stale', completedOn: '2026-01-05' });
      expect(codes(checkSelfAssessment(m, risk, riskAndPipia, now, [stale]))).to.deep.equal([
        'R-EVID-SELFASSESS-STALE',
      ]);
    });

    it('still refuses a named record of neither kind', () => {
      const neither: SelfAssessmentRequirement = {
        ...pipia,
        kinds: [{ kind: 'risk_self_assessment', maxAgeDays: 90 }],
      };
      expect(codes(checkSelfAssessment(manifest(), record(), neither, now, [risk]))).to.deep.equal([
        'R-EVID-PIPIA-MISSING',
      ]);
    });
  });
});
