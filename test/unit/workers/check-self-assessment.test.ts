import { expect } from 'chai';
import {
  checkSelfAssessment,
  type SelfAssessmentRequirement,
} from '../../../workers/checks/check-self-assessment.js';
import type { SelfAssessment } from '../../../registry/records.js';
import { manifest, now } from './fixtures.js';

const pipia: SelfAssessmentRequirement = {
  kind: 'pipia',
  maxAgeDays: 90,
  noticeRequired: true,
  consentRequired: false,
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

describe('workers/checks/check-self-assessment', () => {
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
    const risk = { ...pipia, kind: 'risk_self_assessment' as const };
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
});
