import { expect } from 'chai';
import fc from 'fast-check';
import type { ClassificationInput, Tier } from '../../../policies/classification.js';
import { classify } from '../../../policies/classify.js';
import {
  businessTypes,
  exemptionCodes,
  legalBases,
  specialFlags,
  type Manifest,
} from '../../../policies/manifest.js';
import { baseManifest, now, policy } from './fixtures.js';

/** Strictness of a tier for the monotonicity property (volume can only move a transfer up this scale). */
const rank: Record<Tier, number> = {
  free_flow: 0,
  exempt: 1,
  standard_contract: 2,
  security_assessment: 3,
  manual_review: 4,
  prohibited: 5,
};

const categories = [
  'order_record',
  'credit_report',
  'consignee_contact',
  'payment_account',
  'passport',
  'vehicle_trajectory',
  'consumer_profile',
];

const arbitraryInput: fc.Arbitrary<ClassificationInput> = fc
  .record({
    businessType: fc.constantFrom(...businessTypes),
    dataCategories: fc.uniqueArray(fc.constantFrom(...categories), { maxLength: 3 }),
    declaredGrade: fc.constantFrom('general', 'general', 'general', 'important', 'core'),
    suspected: fc.boolean(),
    individuals: fc.oneof(
      fc.integer({ min: 0, max: 2_000_000 }),
      fc.constantFrom(0, 1, 99_999, 100_000, 999_999, 1_000_000),
    ),
    sensitiveShare: fc.double({ min: 0, max: 1, noNaN: true }),
    minors: fc.boolean(),
    origin: fc.constantFrom('domestic' as const, 'foreign_only' as const),
    legalBasis: fc.constantFrom(...legalBases),
    exemption: fc.constantFrom(null, ...exemptionCodes),
    flags: fc.uniqueArray(fc.constantFrom(...specialFlags), { maxLength: 2 }),
    contractRef: fc.boolean(),
    ciio: fc.boolean(),
    ftzArea: fc.constantFrom(null, 'nanning' as const, 'qinzhou' as const),
    restricted: fc.boolean(),
    inspection: fc.option(
      fc.record({
        containsPi: fc.boolean(),
        containsSpi: fc.boolean(),
        individualsDetected: fc.integer({ min: 0, max: 200_000 }),
        sensitiveIndividualsDetected: fc.integer({ min: 0, max: 20_000 }),
      }),
    ),
    ytd: fc.integer({ min: 0, max: 1_500_000 }),
    ytdSensitive: fc.integer({ min: 0, max: 15_000 }),
  })
  .map((r) => {
    const manifest: Manifest = {
      ...baseManifest,
      businessType: r.businessType,
      dataCategories: r.dataCategories,
      declaredGrade: r.declaredGrade,
      importantDataSuspected: r.suspected,
      personalInfo: {
        individuals: r.individuals,
        sensitiveIndividuals: Math.floor(r.individuals * r.sensitiveShare * 0.02),
        minorsUnder14: r.minors,
        origin: r.origin,
      },
      legalBasis: r.legalBasis,
      exemption: r.exemption,
      specialFlags: r.flags,
      ...(r.contractRef ? { evidence: { contractRef: 'ORD-1' } } : {}),
    };
    return {
      manifest,
      exporter: { ciio: r.ciio, ftzArea: r.ftzArea },
      partner: { restricted: r.restricted },
      inspection: r.inspection,
      volume: { individualsYtd: r.ytd, sensitiveYtd: Math.min(r.ytd, r.ytdSensitive) },
      now,
    };
  });

describe('policies/classify properties (fast-check)', () => {
  it('never lets PI (declared or found by inspection) go as free flow (regulation.md §10.2 rows 11–12 need no PI)', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const hasPi =
          i.manifest.personalInfo.individuals > 0 ||
          i.inspection?.containsPi === true ||
          i.inspection?.containsSpi === true;
        if (hasPi) expect(classify(i, policy).tier).to.not.equal('free_flow');
      }),
      { numRuns: 400 },
    );
  });

  it('always decides with one matched row, a full trace, cited rules, and no worker checks for T0/HOLD/T1', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const c = classify(i, policy);
        expect(c.trace.map((s) => s.row)).to.deep.equal(policy.rows.map((r) => r.row));
        expect(c.trace.filter((s) => s.matched).map((s) => s.row)).to.deep.equal([c.matchedRow]);
        expect(c.reasons.length).to.be.greaterThan(0);
        for (const r of c.reasons) expect(r.rule).to.not.equal('');
        if (c.tier === 'free_flow' || c.tier === 'prohibited' || c.tier === 'manual_review')
          expect(c.requiredChecks).to.deep.equal([]);
        if (c.tier === 'standard_contract' || c.tier === 'security_assessment') {
          expect(c.requiredChecks).to.deep.equal(['self_assessment', 'attestation', 'filing']);
        }
        expect(c.volume.individualsYtd).to.equal(i.volume.individualsYtd + c.thisTransfer.individuals);
      }),
      { numRuns: 400 },
    );
  });

  it('never relaxes the tier when the year-to-date volume grows (thresholds are "以上", regulation.md §1.2)', () => {
    fc.assert(
      fc.property(
        arbitraryInput,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (i, more, moreSensitive) => {
          const before = classify(i, policy);
          const after = classify(
            {
              ...i,
              volume: {
                individualsYtd: i.volume.individualsYtd + more + moreSensitive,
                sensitiveYtd: i.volume.sensitiveYtd + moreSensitive,
              },
            },
            policy,
          );
          expect(rank[after.tier]).to.be.at.least(rank[before.tier]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
