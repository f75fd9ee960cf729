// Issue #13 items 3–9: the rulebook as the law stands in 2026 (rules reference §0.1). Table-driven; every case
// cites the article it checks. Fixed dates only (China time is UTC+8).
import { expect } from 'chai';
import type { Tier } from '../../../policies/classification.js';
import { classify } from '../../../policies/classify.js';
import { parseManifest } from '../../../policies/manifest.js';
import { countWorkingDays, weekdaysOnly } from '../../../policies/working-days.js';
import { filingExpiresAt, listExpiringFilings, sccFilingDelay } from '../../../transfers/filing-expiry.js';
import type { Filing, SelfAssessment } from '../../../registry/records.js';
import { checkFiling } from '../../../transfers/checks/check-filing.js';
import { checkSelfAssessment } from '../../../transfers/checks/check-self-assessment.js';
import { classification as workerClassification, manifest as workerManifest } from '../transfers/fixtures.js';
import { baseManifest, editedFiles, input, pi, policy, type InputPatch } from './fixtures.js';
import { parsePolicy } from '../../../policies/parse-policy.js';

interface Case {
  readonly title: string;
  readonly patch: InputPatch;
  readonly tier: Tier;
  readonly codes: readonly string[];
  readonly evidence?: readonly string[];
}

const foreignOnly = { individuals: 2000, sensitiveIndividuals: 0, origin: 'foreign_only' as const };
const withIds = (residentIds: number) => ({
  containsPi: true,
  containsSpi: residentIds > 0,
  individualsDetected: 2000,
  sensitiveIndividualsDetected: residentIds,
  domesticIdentifiersDetected: residentIds,
});

const cases: Case[] = [
  // Item 3 — Provisions 2024 art. 4; rules reference §0.1 C5
  {
    title:
      'Prov. 2024 art. 4 (§0.1 C5): 2,000 mainland resident IDs in data declared foreign-only → held, R-INSPECT-DOMESTIC-ID',
    patch: { manifest: { personalInfo: foreignOnly }, inspection: withIds(2000) },
    tier: 'manual_review',
    codes: ['R-INSPECT-DOMESTIC-ID', 'R-EX-ART4', 'R-INSPECT-UNDECLARED-SPI'],
    evidence: ['provenance_log'],
  },
  {
    title: 'Prov. 2024 art. 4: foreign-only data with no mainland identifiers → exempt R-EX-ART4',
    patch: {
      manifest: { personalInfo: foreignOnly },
      inspection: { ...withIds(0), domesticIdentifiersDetected: 0 },
    },
    tier: 'exempt',
    codes: ['R-EX-ART4'],
  },
  {
    title:
      'Prov. 2024 art. 4: mainland identifiers in data declared domestic are no contradiction → volume rows',
    patch: { manifest: pi(2000), inspection: { ...withIds(0), domesticIdentifiersDetected: 2000 } },
    tier: 'exempt',
    codes: ['R-EX-ART5-4'],
  },
  {
    title:
      'Prov. 2024 art. 4 + DSL art. 21: a stricter tier stays (core data with mainland IDs is still prohibited)',
    patch: {
      manifest: { personalInfo: foreignOnly, declaredGrade: 'core' },
      inspection: withIds(10),
    },
    tier: 'prohibited',
    codes: ['R-BLK-CORE', 'R-INSPECT-UNDECLARED-SPI', 'R-INSPECT-DOMESTIC-ID'],
  },
  // Item 4 — Provisions 2024 art. 5(1) open list; §0.1 C4
  {
    title:
      'Prov. 2024 art. 5(1) names exam services: 150,000 exam candidates with a contract → exempt R-EX-ART5-1',
    patch: {
      manifest: {
        businessType: 'exam_services',
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'EXAM-REG-1' },
        ...pi(150_000),
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-1'],
  },
  {
    title:
      'Prov. 2024 art. 5(1) "等" (open list, CAC Q&A 2025-10-31): service_outsourcing with a contract → held R-HOLD-ART5-1, not SCC',
    patch: {
      manifest: {
        businessType: 'service_outsourcing',
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'C-1' },
        ...pi(150_000),
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-ART5-1'],
    evidence: ['contract_record'],
  },
  {
    title:
      'Prov. 2024 art. 5(1): a claim without a contract reference is no claim → volume rows (R-SCC-PI100K)',
    patch: { manifest: { businessType: 'other', exemption: 'EX-ART5-1', ...pi(150_000) } },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
  },
  // Item 5 — Dual-Use Items Export Control Regulations (Decree 792); §0.1 C8
  {
    title: 'Export Control Law; Decree 792: export-controlled, no licence → prohibited R-BLK-EXPCTRL',
    patch: { manifest: { businessType: 'cross_border_trade', specialFlags: ['export_controlled'] } },
    tier: 'prohibited',
    codes: ['R-BLK-EXPCTRL'],
  },
  {
    title:
      'Decree 792 (§0.1 C8): a licence reference string is not evidence → held for a reviewer, never free_flow',
    patch: {
      manifest: {
        businessType: 'cross_border_trade',
        specialFlags: ['export_controlled'],
        evidence: { exportLicenceRef: 'anything' },
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-EXPCTRL'],
    evidence: ['export_licence'],
  },
  {
    title: 'Decree 792 + HGR Regulations art. 28 (NHC): both holds are cited when both apply',
    patch: {
      manifest: {
        businessType: 'academic_cooperation',
        specialFlags: ['export_controlled', 'human_genetic'],
        evidence: { exportLicenceRef: 'L-1' },
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-EXPCTRL', 'R-HOLD-HGR'],
  },
  // Item 8 — PIPL art. 28; Provisions 2024 art. 7(2); §0.1 C9
  {
    title:
      'PIPL art. 28 + Prov. 2024 art. 7(2) (§0.1 C9): 20,000 children are 20,000 sensitive → security assessment',
    patch: {
      manifest: {
        personalInfo: {
          individuals: 20_000,
          sensitiveIndividuals: 0,
          minorsUnder14: true,
          minorIndividuals: 20_000,
        },
        legalBasis: 'consent',
      },
    },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K'],
  },
  {
    title:
      'PIPL art. 28 + Prov. 2024 art. 8: 9,999 minors → SCC (R-SCC-SPI); counted on top of declared sensitive',
    patch: {
      manifest: {
        personalInfo: { individuals: 20_000, sensitiveIndividuals: 0, minorIndividuals: 9_999 },
        legalBasis: 'consent',
      },
    },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI'],
  },
  {
    title:
      'PIPL art. 28 (never under-count): 5,000 sensitive + 5,000 minors taken as distinct → 10,000 → security assessment',
    patch: {
      manifest: {
        personalInfo: { individuals: 20_000, sensitiveIndividuals: 5_000, minorIndividuals: 5_000 },
        legalBasis: 'consent',
      },
    },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K'],
  },
];

describe('the rulebook as the law stands in 2026 (issue #13, rules reference §0.1)', () => {
  describe('decisions', () => {
    for (const c of cases) {
      it(c.title, () => {
        const out = classify(input(c.patch), policy);
        expect(out.tier).to.equal(c.tier);
        expect(out.reasons.map((r) => r.code)).to.deep.equal(c.codes);
        for (const r of out.reasons) expect(r.messageZh, r.code).to.match(/[\u4e00-\u9fff]/);
        if (c.evidence !== undefined) expect(out.requiredEvidence).to.deep.equal(c.evidence);
      });
    }
  });

  describe('minors in the manifest (api.md §6; PIPL art. 28): a 400 with the JSON pointer', () => {
    const bad: [string, object, string][] = [
      [
        'PIPL art. 28: minorsUnder14 true, no count, 0 sensitive',
        { individuals: 20, sensitiveIndividuals: 0, minorsUnder14: true },
        '/personalInfo/minorIndividuals',
      ],
      [
        'PIPL art. 28: more minors than individuals',
        { individuals: 20, sensitiveIndividuals: 0, minorIndividuals: 21 },
        '/personalInfo/minorIndividuals',
      ],
      [
        'PIPL art. 28: minorsUnder14 false but minors counted',
        { individuals: 20, sensitiveIndividuals: 0, minorsUnder14: false, minorIndividuals: 3 },
        '/personalInfo/minorsUnder14',
      ],
    ];
    for (const [title, personalInfo, path] of bad)
      it(title, () => {
        const parsed = parseManifest({ ...baseManifest, legalBasis: 'consent', personalInfo });
        expect(parsed.ok).to.equal(false);
        if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).to.include(path);
      });
    it('PIPL art. 28: minorsUnder14 true with a sensitive count is accepted (the count decides)', () => {
      const parsed = parseManifest({
        ...baseManifest,
        legalBasis: 'consent',
        personalInfo: { individuals: 20, sensitiveIndividuals: 20, minorsUnder14: true },
      });
      expect(parsed.ok).to.equal(true);
    });
  });

  const filing = (over: Partial<Filing>): Filing => ({
    id: 'F-1',
    updatedAt: '2026-01-01T00:00:00Z',
    kind: 'certification',
    exporterId: '91450100MA5KDEM11G',
    partnerIds: ['partner-sg'],
    dataCategories: ['order', 'contact'],
    purposes: ['order fulfilment and delivery'],
    maxIndividuals: 1_000_000,
    maxSensitiveIndividuals: 10_000,
    validFrom: '2023-03-01',
    validUntil: '2030-01-01',
    status: 'active',
    ...over,
  });

  describe('3-year cap (Provisions 2024 art. 9; Order 20; §0.1 C7)', () => {
    const caps: [string, Filing['kind'], string][] = [
      [
        'Order 20: a certification issued 2023-03-01 ends 2026-03-01 whatever validUntil says',
        'certification',
        '2026-02-28T16:00:00.000Z',
      ],
      ['Prov. 2024 art. 9: an assessment result likewise', 'security_assessment', '2026-02-28T16:00:00.000Z'],
      [
        'Order 13: a standard contract filing keeps its validUntil',
        'standard_contract',
        '2029-12-31T16:00:00.000Z',
      ],
    ];
    for (const [title, kind, until] of caps)
      it(title, () => {
        expect(filingExpiresAt(filing({ kind }))?.toISOString()).to.equal(until);
      });

    it('Order 20: the capped certificate is in the expiring list and fails the filing check after the cap', () => {
      const list = listExpiringFilings(
        [filing({})],
        new Date('2026-01-15T02:00:00Z'),
        60,
        policy.workingDays,
      );
      expect(list.map((e) => e.expiresAt)).to.deep.equal(['2026-02-28T16:00:00.000Z']);
      const verdict = checkFiling(
        workerManifest({ evidence: { filingId: 'F-1' } }),
        workerClassification({ tier: 'standard_contract' }),
        filing({}),
        ['standard_contract', 'certification'],
        new Date('2026-03-02T02:00:00Z'),
      );
      expect(verdict.ok ? [] : verdict.reasons.map((r) => [r.code, r.rule])).to.deep.include([
        'R-EVID-FILING-EXPIRED',
        'Measures for PI Outbound Transfer Certification (CAC/SAMR Order 20)',
      ]);
    });
  });

  describe('working days from the State Council holiday calendar (policies/working-days.yaml; §0.1)', () => {
    const cal = policy.workingDays;
    const d = (s: string) => new Date(`${s}T10:00:00+08:00`);
    const spans: [string, string, string, number, number][] = [
      // [title, from, until, with calendar, weekdays only]
      ['Spring Festival 2026 (2.15–2.23 off, 2.14 and 2.28 worked)', '2026-02-13', '2026-02-28', 6, 10],
      ['National Day 2026 (10.1–10.7 off, 9.20 and 10.10 worked)', '2026-09-18', '2026-10-10', 11, 15],
      ['Labour Day 2025 (5.1–5.5 off, 4.27 worked)', '2025-04-25', '2025-05-06', 5, 7],
      ['an ordinary fortnight', '2026-03-06', '2026-03-20', 10, 10],
    ];
    for (const [title, from, until, withCal, plain] of spans)
      it(`${title}: ${withCal} working days (${plain} Monday–Friday)`, () => {
        expect(countWorkingDays(d(from), d(until), cal)).to.equal(withCal);
        expect(countWorkingDays(d(from), d(until), weekdaysOnly)).to.equal(plain);
      });

    it('refuses a weekend day listed as a holiday, naming the pointer', () => {
      const files = editedFiles([
        { file: 'working-days.yaml', from: "      - '2026-01-02'", to: "      - '2026-01-03'" },
      ]);
      expect(() => parsePolicy(files)).to.throw(
        /working-days.yaml#\/years\/2026\/holidays\/1: is a weekend day/,
      );
    });

    const delays: [string, string, string, boolean][] = [
      ['Order 13 art. 7: filed on the 10th working day → on time', '2026-03-02', '2026-03-16', false],
      ['Order 13 art. 7: filed on the 11th working day → late', '2026-03-02', '2026-03-17', true],
      [
        'Order 13 art. 7 over Spring Festival 2026: 2.13 → 3.2 is 8 working days → on time',
        '2026-02-13',
        '2026-03-02',
        false,
      ],
    ];
    for (const [title, effective, filed, late] of delays)
      it(title, () => {
        const delay = sccFilingDelay(
          filing({ kind: 'standard_contract', contractEffectiveOn: effective, filedOn: filed }),
          cal,
        );
        expect(delay?.late).to.equal(late);
      });
  });

  describe('PIPIA timing (Order 13 arts. 5, 7, 8; PIPL art. 55; §0.1 C6)', () => {
    const now = new Date('2026-06-15T04:00:00Z');
    const pipia = (completedOn: string): SelfAssessment => ({
      id: 'sa-1',
      updatedAt: '2026-01-01T00:00:00Z',
      exporterId: '91450100MA5KDEM11G',
      kind: 'pipia',
      completedOn,
      reportSha256: 'c'.repeat(64),
      scope: {
        partnerIds: ['partner-sg'],
        dataCategories: ['order', 'contact'],
        purposes: ['order fulfilment and delivery'],
        businessTypes: ['cross_border_ecommerce'],
      },
    });
    const timing: [string, string, number | null, string | null, boolean][] = [
      // [title, completedOn, maxAgeDays, filedOn, passes]
      [
        'Order 13 art. 5: a PIPIA of 2025-11-01 for an SCC filed 2025-12-15 still passes in June 2026',
        '2025-11-01',
        90,
        '2025-12-15',
        true,
      ],
      [
        'Order 13 art. 5: completed more than 3 months before filing → stale',
        '2025-08-01',
        90,
        '2025-12-15',
        false,
      ],
      [
        'Order 13 art. 5: a PIPIA completed after the filing (a newer assessment) is not stale',
        '2026-01-10',
        90,
        '2025-12-15',
        true,
      ],
      [
        'PIPL art. 55 (§0.1 C6): an exempt transfer needs a PIPIA covering it, of any age',
        '2023-01-01',
        null,
        null,
        true,
      ],
    ];
    for (const [title, completedOn, maxAgeDays, filedOn, passes] of timing)
      it(title, () => {
        const verdict = checkSelfAssessment(
          workerManifest(),
          pipia(completedOn),
          {
            kinds: [{ kind: 'pipia', maxAgeDays }],
            noticeRequired: false,
            consentRequired: false,
            ...(filedOn === null
              ? {}
              : {
                  measuredTo: {
                    at: new Date(`${filedOn}T00:00:00+08:00`),
                    what: `filing F-1 (filed on ${filedOn})`,
                  },
                }),
          },
          now,
        );
        expect(verdict.ok).to.equal(passes);
        if (!verdict.ok) expect(verdict.reasons[0]?.code).to.equal('R-EVID-SELFASSESS-STALE');
      });

    it('Order 13 art. 8: a new recipient is a trigger for a new assessment (R-EVID-SELFASSESS-SCOPE cites it)', () => {
      const verdict = checkSelfAssessment(
        workerManifest({ partnerId: 'partner-th' }),
        pipia('2023-01-01'),
        { kinds: [{ kind: 'pipia', maxAgeDays: null }], noticeRequired: false, consentRequired: false },
        now,
      );
      expect(verdict.ok ? null : verdict.reasons[0]).to.deep.include({ code: 'R-EVID-SELFASSESS-SCOPE' });
      expect(verdict.ok ? '' : verdict.reasons[0]?.rule).to.include('Order 13 art. 8');
    });

    it('the shipped evidence policy limits age only on the SCC/certification and assessment routes', () => {
      expect(policy.evidence.recency.ageLimitTiers).to.deep.equal([
        'standard_contract',
        'security_assessment',
      ]);
    });
  });
});
