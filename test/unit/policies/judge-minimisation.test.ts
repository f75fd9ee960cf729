import { expect } from 'chai';
import { judgeMinimisation, manifestAfterMinimisation } from '../../../policies/judge-minimisation.js';
import { parseManifest, type Manifest } from '../../../policies/manifest.js';
import { policy as shippedPolicy } from './fixtures.js';

const policy = shippedPolicy.minimisation;
const k = (value: number | null, quasiIdentifiers: string[] = ['birth_date'], bounded = false) => ({
  k: value,
  bounded,
  quasiIdentifiers,
});
const codes = (j: { reasons: readonly { code: string }[] }) => j.reasons.map((r) => r.code);

const manifest = (): Manifest => {
  const parsed = parseManifest({
    exporterId: '91450100MA5KDEM11G',
    businessType: 'cross_border_ecommerce',
    purpose: 'orders',
    partnerId: 'p',
    endpointId: 'e',
    destinationCountry: 'SG',
    dataCategories: ['order'],
    declaredGrade: 'general',
    personalInfo: { individuals: 50, sensitiveIndividuals: 40, minorIndividuals: 3, origin: 'domestic' },
    legalBasis: 'contract',
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

describe('policies/judge-minimisation (issue #20)', () => {
  it('reads its minimum and quasi-identifier names from minimisation.yaml', () => {
    expect(policy.kMinimum).to.equal(5);
    expect(policy.isQuasiIdentifier('birth_date')).to.equal(true);
    expect(policy.isQuasiIdentifier('customerName')).to.equal(true);
    expect(policy.isQuasiIdentifier('出生日期')).to.equal(true);
    expect(policy.isQuasiIdentifier('package')).to.equal(false); // not "age"
    expect(policy.isQuasiIdentifier('description')).to.equal(false); // not "ip"
    expect(policy.isQuasiIdentifier('order_id')).to.equal(false);
  });

  it('drop/generalise with k at or above the minimum, or no quasi-identifier left: counted on what leaves', () => {
    expect(judgeMinimisation({ deidentified: false, kAnonymity: k(5) }, policy).counts).to.equal('detected');
    const none = judgeMinimisation({ deidentified: false, kAnonymity: k(null, []) }, policy);
    expect(none.counts).to.equal('detected');
    expect(codes(none)).to.deep.equal(['R-MIN-APPLIED']);
  });

  it('generalising until k reaches the minimum is what changes the judgement', () => {
    const exact = judgeMinimisation({ deidentified: false, kAnonymity: k(1) }, policy);
    const byYear = judgeMinimisation({ deidentified: false, kAnonymity: k(6) }, policy);
    expect(exact.counts).to.equal('declared');
    expect(codes(exact)).to.deep.equal(['R-MIN-K-BELOW-MINIMUM']);
    expect(byYear.counts).to.equal('detected');
    const unknown = judgeMinimisation({ deidentified: false, kAnonymity: k(null, ['birth'], true) }, policy);
    expect(unknown.counts).to.equal('declared'); // past the counter's bound: fail closed
  });

  it('masked or pseudonymised data keeps the declared counts, with a reason in both languages', () => {
    const j = judgeMinimisation({ deidentified: true, kAnonymity: k(100) }, policy);
    expect(j.counts).to.equal('declared');
    expect(codes(j)).to.deep.equal(['R-MIN-PSEUDONYMISED-STILL-PI']);
    expect(j.reasons[0]?.rule).to.include('PIPL');
    expect(j.reasons[0]?.messageZh).to.match(/去标识化/);
  });

  it('the manifest classified: declared counts raised to what the original showed, or the counts found', () => {
    const m = manifest();
    const declared = manifestAfterMinimisation(
      m,
      judgeMinimisation({ deidentified: true, kAnonymity: k(null, []) }, policy),
      { individuals: 80, sensitive: 10 },
      { individuals: 0, sensitive: 0 },
    );
    expect(declared.personalInfo).to.deep.include({ individuals: 80, sensitiveIndividuals: 40 });
    const detected = manifestAfterMinimisation(
      m,
      judgeMinimisation({ deidentified: false, kAnonymity: k(null, []) }, policy),
      { individuals: 80, sensitive: 10 },
      { individuals: 0, sensitive: 0 },
    );
    expect(detected.personalInfo).to.deep.equal({
      individuals: 0,
      sensitiveIndividuals: 0,
      origin: 'domestic',
    });
    const someLeft = manifestAfterMinimisation(
      m,
      judgeMinimisation({ deidentified: false, kAnonymity: k(null, []) }, policy),
      { individuals: 80, sensitive: 10 },
      { individuals: 20, sensitive: 0 },
    );
    // Declared under-14s may be among those left: their PI is sensitive (PIPL art. 28).
    expect(someLeft.personalInfo).to.deep.equal({
      individuals: 20,
      sensitiveIndividuals: 3,
      origin: 'domestic',
      minorsUnder14: true,
      minorIndividuals: 3,
    });
  });
});
