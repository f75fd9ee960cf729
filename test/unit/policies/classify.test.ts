import { expect } from 'chai';
import type { CheckName, DataGrade, Tier } from '../../../policies/classification.js';
import { classify } from '../../../policies/classify.js';
import type { Policy } from '../../../policies/policy.js';
import {
  examplesAllowed,
  input,
  pi,
  policy,
  policyWith,
  policyWithExamples,
  type InputPatch,
} from './fixtures.js';

interface Case {
  readonly title: string;
  readonly patch: InputPatch;
  readonly policy?: Policy;
  readonly tier: Tier;
  /** Every reason code, in order: the tier reason(s) first, then annotations. */
  readonly codes: readonly string[];
  readonly row: number;
  readonly grade?: DataGrade;
  readonly evidence?: readonly string[];
  readonly checks?: readonly CheckName[];
}

const none: readonly CheckName[] = [];
const allChecks: readonly CheckName[] = ['self_assessment', 'attestation', 'filing'];
const nanning = { ftzArea: 'nanning' } as const;

const decisionRows: Case[] = [
  {
    title: 'row 1 R-BLK-SECRET (State Secrets Law): state secrets → prohibited, no worker check',
    patch: { manifest: { specialFlags: ['state_secret'] } },
    tier: 'prohibited',
    codes: ['R-BLK-SECRET'],
    row: 1,
    evidence: [],
    checks: none,
  },
  {
    title:
      'row 2 R-BLK-FOREIGNREQ (DSL 36; PIPL 41): a foreign authority request blocks even with licence and sector approval',
    patch: {
      manifest: {
        specialFlags: ['foreign_authority_request'],
        evidence: { exportLicenceRef: 'L-1', sectorApprovalRef: 'A-1' },
      },
    },
    tier: 'prohibited',
    codes: ['R-BLK-FOREIGNREQ'],
    row: 2,
    evidence: ['foreign_request_approval'],
    checks: none,
  },
  {
    title: 'row 3 R-BLK-LIST (PIPL 42): a restricted recipient → prohibited',
    patch: { restricted: true, manifest: pi(10) },
    tier: 'prohibited',
    codes: ['R-BLK-LIST'],
    row: 3,
  },
  {
    title: 'row 4 R-BLK-CORE (DSL 21; GB/T 43697): core data → prohibited',
    patch: { manifest: { declaredGrade: 'core' } },
    tier: 'prohibited',
    codes: ['R-BLK-CORE'],
    row: 4,
    grade: 'core',
    evidence: ['core_data_approval'],
  },
  {
    title:
      'row 5 R-BLK-EXPCTRL (Export Control Law; DSL 25): export-controlled data without a licence → prohibited',
    patch: { manifest: { businessType: 'cross_border_trade', specialFlags: ['export_controlled'] } },
    tier: 'prohibited',
    codes: ['R-BLK-EXPCTRL'],
    row: 5,
    evidence: ['export_licence'],
    checks: none,
  },
  {
    title: 'row 6 R-HOLD-HGR (HGR Regulations art. 28): human genetic data without approval → manual_review',
    patch: { manifest: { businessType: 'academic_cooperation', specialFlags: ['human_genetic'] } },
    tier: 'manual_review',
    codes: ['R-HOLD-HGR'],
    row: 6,
    evidence: ['hgr_approval'],
    checks: none,
  },
  {
    title: 'row 6 R-HOLD-GEO (Surveying and Mapping Law): geographic data without approval → manual_review',
    patch: { manifest: { specialFlags: ['geographic'] } },
    tier: 'manual_review',
    codes: ['R-HOLD-GEO'],
    row: 6,
  },
  {
    title: 'row 6 R-HOLD-FIN + R-HOLD-HGR (PBOC; HGR): each sectoral flag present is cited',
    patch: {
      manifest: {
        businessType: 'cross_border_payment',
        specialFlags: ['financial', 'human_genetic'],
        ...pi(10),
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-HGR', 'R-HOLD-FIN'],
    row: 6,
    evidence: ['hgr_approval', 'financial_regulator_signoff'],
    checks: none,
  },
  {
    title:
      'row 7 R-HOLD-IMPID (Prov. 2): self-suspected important data → manual_review, grade important_suspected',
    patch: { manifest: { importantDataSuspected: true } },
    tier: 'manual_review',
    codes: ['R-HOLD-IMPID'],
    row: 7,
    grade: 'important_suspected',
    checks: none,
  },
  {
    title: 'row 8 R-SA-IMP (Prov. 7(2); NDSMR 37): notified important data → security_assessment',
    patch: { manifest: { declaredGrade: 'important' } },
    tier: 'security_assessment',
    codes: ['R-SA-IMP'],
    row: 8,
    grade: 'important_notified',
    evidence: [
      'attestation',
      'risk_self_assessment',
      'recipient_legal_document',
      'filing:security_assessment',
    ],
    checks: allChecks,
  },
  {
    title: 'row 8 R-SA-IMP (Prov. 7(2); Automotive Provisions): the auto_important flag is important data',
    patch: { manifest: { businessType: 'manufacturing', specialFlags: ['automotive_important'] } },
    tier: 'security_assessment',
    codes: ['R-SA-IMP'],
    row: 8,
    grade: 'important_notified',
  },
  {
    title: 'row 9 R-FTZ-SA (Prov. 6): FTZ list SA entry hit at its volume → security_assessment',
    patch: {
      ...nanning,
      manifest: { businessType: 'cross_border_payment', dataCategories: ['payment_account'], ...pi(1000) },
      ytd: { individuals: 999_000 },
    },
    tier: 'security_assessment',
    codes: ['R-FTZ-SA'],
    row: 9,
    checks: allChecks,
  },
  {
    title: 'row 10 R-FTZ-SCC (Prov. 6): FTZ list SCC/CERT entry hit → standard_contract with filing',
    patch: {
      ...nanning,
      manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
    },
    tier: 'standard_contract',
    codes: ['R-FTZ-SCC'],
    row: 10,
    evidence: [
      'pipia',
      'notice_record',
      'attestation',
      'filing:standard_contract|certification',
      'ftz_registration',
      'ftz_list_version',
    ],
    checks: allChecks,
  },
  {
    title: 'row 11 R-EX-ART3 (Prov. 3): trade data with no PI → free_flow (logged), no worker check',
    patch: { manifest: { businessType: 'cross_border_trade', dataCategories: ['bill_of_lading'] } },
    tier: 'free_flow',
    codes: ['R-EX-ART3'],
    row: 11,
    evidence: ['classification_record', 'business_reference'],
    checks: none,
  },
  {
    title:
      'row 12 R-FREE-GENERAL (no mechanism for general non-PI data): outsourcing data without PI → free_flow',
    patch: { manifest: { businessType: 'service_outsourcing' } },
    tier: 'free_flow',
    codes: ['R-FREE-GENERAL'],
    row: 12,
    checks: none,
  },
  {
    title: 'row 13 R-EX-ART4 (Prov. 4): foreign-only PI sent back out → exempt with provenance log',
    patch: {
      manifest: {
        ...pi(200_000),
        personalInfo: { individuals: 200_000, sensitiveIndividuals: 0, origin: 'foreign_only' },
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART4'],
    row: 13,
    evidence: ['pipia', 'notice_record', 'attestation', 'provenance_log'],
    checks: ['self_assessment', 'attestation'],
  },
  {
    title:
      'row 14 R-EX-ART5-1 (Prov. 5(1)): e-commerce contract necessity with contractRef → exempt above 100,000',
    patch: { manifest: { exemption: 'EX-ART5-1', evidence: { contractRef: 'ORD-1' }, ...pi(500_000, 2000) } },
    tier: 'exempt',
    codes: ['R-EX-ART5-1'],
    row: 14,
    evidence: ['pipia', 'notice_record', 'attestation', 'contract_record'],
    checks: ['self_assessment', 'attestation'],
  },
  {
    title:
      'row 14.1 R-HOLD-ART5-1 (Prov. 5(1) open list; §0.1 C4): an art. 5(1) claim with a contract in an unusual business type → held for a reviewer',
    patch: {
      manifest: {
        businessType: 'other',
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'C-9' },
        ...pi(150_000),
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-ART5-1'],
    row: 14.1,
    evidence: ['contract_record'],
    checks: none,
  },
  {
    title: 'row 15 R-EX-ART5-2 (Prov. 5(2)): employee PI for cross-border HR → exempt',
    patch: {
      manifest: { businessType: 'hr_management', exemption: 'EX-ART5-2', legalBasis: 'hr', ...pi(300) },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-2'],
    row: 15,
    evidence: ['pipia', 'notice_record', 'attestation', 'hr_records'],
  },
  {
    title: 'row 16 R-EX-ART5-3 (Prov. 5(3)): emergency → exempt even with sensitive PI',
    patch: {
      manifest: { businessType: 'other', exemption: 'EX-ART5-3', legalBasis: 'emergency', ...pi(3, 3) },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-3'],
    row: 16,
    evidence: ['pipia', 'notice_record', 'attestation', 'incident_record'],
  },
  {
    title: 'row 17 R-EX-NDSMR35-6 (NDSMR 35(6)): statutory duty → exempt',
    patch: {
      manifest: {
        businessType: 'other',
        exemption: 'EX-NDSMR35-6',
        legalBasis: 'statutory_duty',
        ...pi(150_000),
      },
    },
    tier: 'exempt',
    codes: ['R-EX-NDSMR35-6'],
    row: 17,
    evidence: ['pipia', 'notice_record', 'attestation', 'statutory_duty_record'],
  },
  {
    title: 'row 18 R-EX-ART6 (Prov. 6): FTZ exporter, data off the list in force → exempt even at 2,000,000',
    patch: {
      ...nanning,
      manifest: { dataCategories: ['order_record'], ...pi(1000) },
      ytd: { individuals: 1_999_000 },
    },
    tier: 'exempt',
    codes: ['R-EX-ART6'],
    row: 18,
    evidence: ['pipia', 'notice_record', 'attestation', 'ftz_registration', 'ftz_list_version'],
    checks: ['self_assessment', 'attestation'],
  },
  {
    title:
      'row 19 R-SA-CIIO (Prov. 7(1); PIPL 40; CSL 37): a CIIO exporting 10 individuals → security_assessment',
    patch: { ciio: true, manifest: pi(10) },
    tier: 'security_assessment',
    codes: ['R-SA-CIIO'],
    row: 19,
    evidence: [
      'pipia',
      'notice_record',
      'attestation',
      'risk_self_assessment',
      'recipient_legal_document',
      'filing:security_assessment',
    ],
    checks: allChecks,
  },
  {
    title: 'row 20 R-SA-PI1M (Prov. 7(2)): 1,000,000 non-sensitive → security_assessment',
    patch: { manifest: pi(1_000_000) },
    tier: 'security_assessment',
    codes: ['R-SA-PI1M'],
    row: 20,
    checks: allChecks,
  },
  {
    title: 'row 20 R-SA-SPI10K (Prov. 7(2)): 10,000 sensitive → security_assessment',
    patch: { manifest: pi(10_000, 10_000) },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K'],
    row: 20,
  },
  {
    title: 'row 20 R-SA-PI1M + R-SA-SPI10K (Prov. 7(2)): both thresholds reached → both cited',
    patch: { manifest: pi(1_000_000, 10_000) },
    tier: 'security_assessment',
    codes: ['R-SA-PI1M', 'R-SA-SPI10K'],
    row: 20,
  },
  {
    title: 'row 21 R-SCC-PI100K (Prov. 8): 100,000 non-sensitive → standard_contract',
    patch: { manifest: pi(100_000) },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
    evidence: ['pipia', 'notice_record', 'attestation', 'filing:standard_contract|certification'],
    checks: allChecks,
  },
  {
    title: 'row 21 R-SCC-SPI (Prov. 8): a single individual with sensitive PI → standard_contract',
    patch: { manifest: pi(1, 1) },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI'],
    row: 21,
  },
  {
    title: 'row 22 R-EX-ART5-4 (Prov. 5(4)): 99,999 non-sensitive, none sensitive → exempt',
    patch: { manifest: pi(99_999) },
    tier: 'exempt',
    codes: ['R-EX-ART5-4'],
    row: 22,
    evidence: ['pipia', 'notice_record', 'attestation', 'ytd_counter_snapshot'],
    checks: ['self_assessment', 'attestation'],
  },
  {
    title:
      'row 23 R-HOLD-UNCLASSIFIED (fail closed): a corrupt yearly counter (NaN) meets no threshold row → manual_review',
    patch: { manifest: pi(10), ytd: { individuals: Number.NaN } },
    tier: 'manual_review',
    codes: ['R-HOLD-UNCLASSIFIED'],
    row: 23,
    checks: none,
  },
];

const boundaries: Case[] = [
  {
    title: 'boundary 99,999 non-sensitive (Prov. 5(4) "不满" excludes 100,000) → exempt R-EX-ART5-4',
    patch: { manifest: pi(99_999) },
    tier: 'exempt',
    codes: ['R-EX-ART5-4'],
    row: 22,
  },
  {
    title: 'boundary 100,000 non-sensitive (Prov. 8 "以上" includes it) → standard_contract R-SCC-PI100K',
    patch: { manifest: pi(100_000) },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
  {
    title: 'boundary 999,999 non-sensitive (Prov. 8) → standard_contract R-SCC-PI100K',
    patch: { manifest: pi(999_999) },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
  {
    title: 'boundary 1,000,000 non-sensitive (Prov. 7(2)) → security_assessment R-SA-PI1M',
    patch: { manifest: pi(1_000_000) },
    tier: 'security_assessment',
    codes: ['R-SA-PI1M'],
    row: 20,
  },
  {
    title: 'boundary 9,999 sensitive (Prov. 8) → standard_contract R-SCC-SPI',
    patch: { manifest: pi(9_999, 9_999) },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI'],
    row: 21,
  },
  {
    title: 'boundary 10,000 sensitive (Prov. 7(2)) → security_assessment R-SA-SPI10K',
    patch: { manifest: pi(10_000, 10_000) },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K'],
    row: 20,
  },
  {
    title: 'projection (regulation.md §1.2 pre-check): 99,000 ytd + 1,000 now = 100,000 → standard_contract',
    patch: { manifest: pi(1000), ytd: { individuals: 99_000 } },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
  {
    title: 'projection (regulation.md §1.2): 99,000 ytd + 999 now = 99,999 → exempt R-EX-ART5-4',
    patch: { manifest: pi(999), ytd: { individuals: 99_000 } },
    tier: 'exempt',
    codes: ['R-EX-ART5-4'],
    row: 22,
  },
  {
    title:
      'projection (Prov. 5(4) "none of it sensitive"): 5 sensitive ytd makes a non-sensitive transfer standard_contract',
    patch: { manifest: pi(10), ytd: { individuals: 5, sensitive: 5 } },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI'],
    row: 21,
  },
  {
    title:
      'projection (Prov. 7(2)): 9,990 sensitive ytd + 10 sensitive now → security_assessment R-SA-SPI10K',
    patch: { manifest: pi(10, 10), ytd: { individuals: 9_990, sensitive: 9_990 } },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K'],
    row: 20,
  },
];

const special: Case[] = [
  {
    title: 'CIIO (Prov. 7(1)): cannot use art. 5(4) even for 1 individual → security_assessment R-SA-CIIO',
    patch: { ciio: true, manifest: pi(1) },
    tier: 'security_assessment',
    codes: ['R-SA-CIIO'],
    row: 19,
  },
  {
    title:
      'CIIO (§10.2 note: Prov. 7 defers to arts. 3–6): a CIIO may still use art. 5(1) → exempt R-EX-ART5-1',
    patch: {
      ciio: true,
      manifest: { exemption: 'EX-ART5-1', evidence: { contractRef: 'ORD-9' }, ...pi(10) },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-1'],
    row: 14,
  },
  {
    title:
      'CIIO (§10.2 row 10 "not CIIO"): an FTZ SCC/CERT hit does not apply to a CIIO → security_assessment R-SA-CIIO',
    patch: {
      ciio: true,
      ...nanning,
      manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
    },
    tier: 'security_assessment',
    codes: ['R-SA-CIIO'],
    row: 19,
  },
  {
    title:
      'important data claiming EX-ART5-1 (Prov. 5 closing para.): no exemption → security_assessment R-SA-IMP',
    patch: {
      manifest: {
        declaredGrade: 'important',
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'ORD-2' },
        ...pi(10),
      },
    },
    tier: 'security_assessment',
    codes: ['R-SA-IMP'],
    row: 8,
  },
  {
    title:
      'important data from an FTZ exporter off the list (§10.2 note on art. 6) → security_assessment R-SA-IMP, not R-EX-ART6',
    patch: { ...nanning, manifest: { declaredGrade: 'important' } },
    tier: 'security_assessment',
    codes: ['R-SA-IMP'],
    row: 8,
  },
  {
    title:
      'row 14 R-EX-ART5-1 needs contractRef (Prov. 5(1)): without it 500,000 → standard_contract R-SCC-PI100K',
    patch: { manifest: { exemption: 'EX-ART5-1', ...pi(500_000) } },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
  {
    title:
      'row 14.1 R-HOLD-ART5-1 (Prov. 5(1) open list, §0.1 C4): supply_chain outside the usual scenarios → held for a reviewer, not the volume rows',
    patch: {
      manifest: {
        businessType: 'supply_chain',
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'PO-1' },
        ...pi(500_000),
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-ART5-1'],
    row: 14.1,
  },
  {
    title:
      'row 6 R-HOLD-EXPCTRL (Decree 792; §0.1 C8): with exportLicenceRef the block lifts but a reviewer checks the licence; never free flow',
    patch: {
      manifest: {
        businessType: 'cross_border_trade',
        specialFlags: ['export_controlled'],
        evidence: { exportLicenceRef: 'MOFCOM-1' },
      },
    },
    tier: 'manual_review',
    codes: ['R-HOLD-EXPCTRL'],
    row: 6,
    evidence: ['export_licence'],
    checks: none,
  },
  {
    title: 'row 6 R-HOLD-FIN: with sectorApprovalRef the hold lifts and the next rows decide (R-EX-ART5-1)',
    patch: {
      manifest: {
        businessType: 'cross_border_payment',
        specialFlags: ['financial'],
        exemption: 'EX-ART5-1',
        evidence: { sectorApprovalRef: 'PBOC-1', contractRef: 'PAY-1' },
        ...pi(10),
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-1'],
    row: 14,
  },
  {
    title:
      'FTZ list hit on a field the list declares important (Prov. 2 publication) → grade important_notified, R-SA-IMP',
    patch: {
      ...nanning,
      manifest: { businessType: 'cross_border_logistics', dataCategories: ['vehicle_trajectory'] },
    },
    tier: 'security_assessment',
    codes: ['R-SA-IMP'],
    row: 8,
    grade: 'important_notified',
  },
  {
    title:
      'FTZ list miss below the entry threshold (Prov. 6): consignee_contact at 199,999 → exempt R-EX-ART6',
    patch: {
      ...nanning,
      manifest: {
        businessType: 'cross_border_logistics',
        dataCategories: ['consignee_contact'],
        ...pi(199_999),
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART6'],
    row: 18,
  },
  {
    title:
      'FTZ list hit at the entry threshold (Prov. 6, "以上"): consignee_contact at 200,000 → standard_contract R-FTZ-SCC',
    patch: {
      ...nanning,
      manifest: {
        businessType: 'cross_border_logistics',
        dataCategories: ['consignee_contact'],
        ...pi(200_000),
      },
    },
    tier: 'standard_contract',
    codes: ['R-FTZ-SCC'],
    row: 10,
  },
  {
    title:
      'row 10 escalation [U] (listOverridesNationalThreshold: false): SCC/CERT hit at 1,000,000 → security_assessment, R-SA-PI1M then R-FTZ-SCC',
    patch: {
      ...nanning,
      manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
      ytd: { individuals: 999_990 },
    },
    tier: 'security_assessment',
    codes: ['R-SA-PI1M', 'R-FTZ-SCC'],
    row: 10,
    evidence: [
      'pipia',
      'notice_record',
      'attestation',
      'risk_self_assessment',
      'recipient_legal_document',
      'filing:security_assessment',
      'ftz_registration',
      'ftz_list_version',
    ],
  },
  {
    title:
      'row 10 [U] listOverridesNationalThreshold: true: the SCC/CERT hit stays standard_contract at 1,000,000',
    patch: {
      ...nanning,
      manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
      ytd: { individuals: 999_990 },
    },
    policy: policyWithExamples({
      file: 'settings.yaml',
      from: 'listOverridesNationalThreshold: false',
      to: 'listOverridesNationalThreshold: true',
    }),
    tier: 'standard_contract',
    codes: ['R-FTZ-SCC'],
    row: 10,
  },
  {
    title:
      '[U] nationalExemptionsFirst: false puts rows 9–10 before 13–17: an FTZ SCC/CERT hit beats an art. 5(1) claim → R-FTZ-SCC',
    policy: policyWithExamples({
      file: 'settings.yaml',
      from: 'nationalExemptionsFirst: true',
      to: 'nationalExemptionsFirst: false',
    }),
    patch: {
      ...nanning,
      manifest: {
        businessType: 'cross_border_finance',
        dataCategories: ['credit_report'],
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'ACC-1' },
        ...pi(10),
      },
    },
    tier: 'standard_contract',
    codes: ['R-FTZ-SCC'],
    row: 10,
  },
  {
    title:
      'rules reference §0.1 "FTZ precedence" (default nationalExemptionsFirst: true): rows 13–17 before rows 9–10 → R-EX-ART5-1',
    patch: {
      ...nanning,
      manifest: {
        businessType: 'cross_border_finance',
        dataCategories: ['credit_report'],
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'ACC-1' },
        ...pi(10),
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-1'],
    row: 14,
  },
  {
    title:
      'FTZ list not yet in force (effective_from after now): national rules decide → R-SCC-PI100K, no list recorded',
    patch: { ...nanning, now: new Date('2025-08-07T12:00:00Z'), manifest: pi(100_000) },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
];

const inspection: Case[] = [
  {
    title:
      'undeclared PI (api.md §6 R-INSPECT-UNDECLARED-PI): declared 0, 2,000 detected → PI rows (R-EX-ART5-4), never free flow',
    patch: {
      inspection: {
        containsPi: true,
        containsSpi: false,
        individualsDetected: 2000,
        sensitiveIndividualsDetected: 0,
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-4', 'R-INSPECT-UNDECLARED-PI'],
    row: 22,
    // No legal basis was declared: consent is required (fail closed).
    evidence: ['pipia', 'notice_record', 'consent_record', 'attestation', 'ytd_counter_snapshot'],
  },
  {
    title:
      'undeclared SPI (R-INSPECT-UNDECLARED-SPI): a file full of resident IDs declared as no PI → security_assessment on detected counts',
    patch: {
      inspection: {
        containsPi: true,
        containsSpi: true,
        individualsDetected: 120_000,
        sensitiveIndividualsDetected: 120_000,
      },
    },
    tier: 'security_assessment',
    codes: ['R-SA-SPI10K', 'R-INSPECT-UNDECLARED-PI', 'R-INSPECT-UNDECLARED-SPI'],
    row: 20,
  },
  {
    title:
      'undeclared SPI (Prov. 8): declared 50 non-sensitive, inspection finds sensitive PI with no count → standard_contract R-SCC-SPI',
    patch: {
      manifest: pi(50),
      inspection: {
        containsPi: true,
        containsSpi: true,
        individualsDetected: 50,
        sensitiveIndividualsDetected: 0,
      },
    },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI', 'R-INSPECT-UNDECLARED-SPI'],
    row: 21,
  },
  {
    title:
      'inspection finds PI but counts nobody: at least one individual (never under-count) → not free flow',
    patch: {
      manifest: { businessType: 'cross_border_trade' },
      inspection: {
        containsPi: true,
        containsSpi: false,
        individualsDetected: 0,
        sensitiveIndividualsDetected: 0,
      },
    },
    tier: 'exempt',
    codes: ['R-EX-ART5-4', 'R-INSPECT-UNDECLARED-PI'],
    row: 22,
  },
  {
    title:
      'inspection finds fewer than declared: the declaration stands, no inspection reason (max(declared, detected))',
    patch: {
      manifest: pi(150_000),
      inspection: {
        containsPi: true,
        containsSpi: false,
        individualsDetected: 20,
        sensitiveIndividualsDetected: 0,
      },
    },
    tier: 'standard_contract',
    codes: ['R-SCC-PI100K'],
    row: 21,
  },
  {
    title:
      'minors under 14 (PIPL 28: all their PI is sensitive; §0.1 C9): 20 minors, declared 0 sensitive → 20 sensitive, R-SCC-SPI',
    patch: {
      manifest: {
        personalInfo: { individuals: 20, sensitiveIndividuals: 0, minorsUnder14: true, minorIndividuals: 20 },
        legalBasis: 'consent',
      },
    },
    tier: 'standard_contract',
    codes: ['R-SCC-SPI'],
    row: 21,
    evidence: [
      'pipia',
      'notice_record',
      'consent_record',
      'guardian_consent_record',
      'attestation',
      'filing:standard_contract|certification',
    ],
  },
];

describe('policies/classify', () => {
  for (const group of [
    { name: 'decision table (regulation.md §10.2), one case per row', cases: decisionRows },
    { name: 'thresholds and projection (regulation.md §1.2)', cases: boundaries },
    { name: 'CIIO, important data, FTZ lists and [U] settings', cases: special },
    { name: 'content inspection (api.md §6)', cases: inspection },
  ]) {
    describe(group.name, () => {
      for (const c of group.cases) {
        it(c.title, () => {
          // An FTZ case runs with the example list allowed, so that the list is in force and the FTZ rows' mechanics
          // are what is tested; the shipped policy grants nothing on example data (ftz-precedence.test.ts).
          const out = classify(
            input(c.patch),
            c.policy ?? (c.patch.ftzArea === undefined ? policy : examplesAllowed),
          );
          expect(out.tier).to.equal(c.tier);
          expect(out.reasons.map((r) => r.code)).to.deep.equal(c.codes);
          expect(out.matchedRow).to.equal(c.row);
          for (const r of out.reasons)
            expect(r.rule, `${r.code} cites its rule`).to.be.a('string').and.not.equal('');
          if (c.grade !== undefined) expect(out.grade).to.equal(c.grade);
          if (c.evidence !== undefined) expect(out.requiredEvidence).to.deep.equal(c.evidence);
          if (c.checks !== undefined) expect(out.requiredChecks).to.deep.equal(c.checks);
        });
      }
    });
  }

  it('covers every row of the shipped decision table with a case', () => {
    const covered = new Set(decisionRows.map((c) => c.row));
    expect(policy.rows.map((r) => r.row).filter((r) => !covered.has(r))).to.deep.equal([]);
    expect(policy.rows).to.have.length(24); // the 23 rows of §10.2 and row 14.1 (§0.1 C4)
  });

  describe('the answer beside the tier', () => {
    it('reports this transfer as max(declared, detected) and the PROJECTED yearly totals (regulation.md §1.2)', () => {
      const out = classify(
        input({
          manifest: pi(300, 10),
          inspection: {
            containsPi: true,
            containsSpi: true,
            individualsDetected: 500,
            sensitiveIndividualsDetected: 4,
          },
          ytd: { individuals: 40_000, sensitive: 100 },
        }),
        policy,
      );
      expect(out.thisTransfer).to.deep.equal({ individuals: 500, sensitiveIndividuals: 10 });
      expect(out.volume).to.deep.equal({ individualsYtd: 40_500, sensitiveYtd: 110 });
    });

    it('records the FTZ area, list id and version in every decision of an FTZ exporter (Prov. 6; §7)', () => {
      const policy = examplesAllowed;
      const hit = classify(
        input({
          ...nanning,
          manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
        }),
        policy,
      );
      expect(hit.ftz).to.deep.equal({
        area: 'nanning',
        listId: 'gx-ftz-data-export-negative-list',
        listVersion: '2025-example.1',
        match: 'SCC_CERT',
        notInForce: null,
      });
      const blocked = classify(
        input({ ftzArea: 'chongzuo', manifest: { specialFlags: ['state_secret'] } }),
        policy,
      );
      expect(blocked.ftz).to.deep.equal({
        area: 'chongzuo',
        listId: 'gx-ftz-data-export-negative-list',
        listVersion: '2025-example.1',
        match: 'none',
        notInForce: null,
      });
      const outside = classify(input({ manifest: pi(10) }), policy);
      expect(outside.ftz).to.deep.equal({
        area: null,
        listId: null,
        listVersion: null,
        match: null,
        notInForce: null,
      });
      const early = classify(
        input({ ftzArea: 'qinzhou', now: new Date('2025-08-07T15:59:59Z'), manifest: pi(10) }),
        policy,
      );
      expect(early.ftz).to.include({ area: 'qinzhou', listId: null, listVersion: null, match: null });
      expect(early.ftz.notInForce).to.match(/has no version in force yet/);
      // effective_from is 00:00 China time (UTC+8): 2025-08-07T16:00Z is the first in-force instant.
      const first = classify(
        input({ ftzArea: 'qinzhou', now: new Date('2025-08-07T16:00:00Z'), manifest: pi(10) }),
        policy,
      );
      expect(first.ftz.listVersion).to.equal('2025-example.1');
    });

    it('traces every row in evaluation order: failed rows name the failed condition, later rows are skipped', () => {
      const out = classify(input({ manifest: pi(1_000_000) }), policy);
      expect(out.trace.map((s) => s.row)).to.deep.equal(policy.rows.map((r) => r.row));
      expect(out.trace[0]).to.deep.equal({
        row: 1,
        code: 'R-BLK-SECRET',
        matched: false,
        failed: 'flags has state_secret',
      });
      const matched = out.trace.filter((s) => s.matched);
      expect(matched).to.deep.equal([{ row: 20, code: 'R-SA-PI1M/R-SA-SPI10K', matched: true }]);
      const row19 = out.trace.find((s) => s.row === 19);
      expect(row19?.failed).to.equal('ciio = true');
      const row22 = out.trace.find((s) => s.row === 22);
      expect(row22).to.include({ matched: false, skipped: true });
      expect(row22).to.not.have.property('failed');
      const row21 = out.trace.find((s) => s.row === 21);
      expect(row21?.skipped).to.equal(true);
    });

    it('names the threshold reference in a failed count condition', () => {
      const out = classify(input({ manifest: pi(10) }), policy);
      expect(out.trace.find((s) => s.row === 20)?.failed).to.equal(
        'none of: projectedIndividuals ≥ 1,000,000 (thresholds.nonSensitive.securityAssessment) | projectedSensitive ≥ 10,000 (thresholds.sensitive.securityAssessment)',
      );
    });

    it('carries the policy version and the derived facts', () => {
      const out = classify(input({ manifest: { specialFlags: ['human_genetic', 'geographic'] } }), policy);
      expect(out.policyVersion)
        .to.equal(policy.policyVersion)
        .and.match(/^[0-9a-f]{16}$/);
      expect(out.facts.flags).to.deep.equal(['hgr', 'geo']);
      expect(out.businessType).to.equal('cross_border_ecommerce');
    });

    it('requires consent only for basis = consent by default ([K/U] §10.3 note), for all bases when configured', () => {
      const contract = classify(input({ manifest: { ...pi(10), legalBasis: 'contract' } }), policy);
      expect(contract.requiredEvidence).to.not.include('consent_record');
      const consent = classify(input({ manifest: { ...pi(10), legalBasis: 'consent' } }), policy);
      expect(consent.requiredEvidence).to.include('consent_record');
      const strict = policyWith({
        file: 'settings.yaml',
        from: 'requiredForBases: [consent]',
        to: 'requiredForBases: [consent, contract]',
      });
      expect(
        classify(input({ manifest: { ...pi(10), legalBasis: 'contract' } }), strict).requiredEvidence,
      ).to.include('consent_record');
      const sensitive = policyWith({
        file: 'settings.yaml',
        from: 'alwaysForSensitive: false',
        to: 'alwaysForSensitive: true',
      });
      expect(
        classify(input({ manifest: { ...pi(10, 1), legalBasis: 'contract' } }), sensitive).requiredEvidence,
      ).to.include('consent_record');
      expect(
        classify(input({ manifest: { ...pi(10, 1), legalBasis: 'contract' } }), policy).requiredEvidence,
      ).to.not.include('consent_record');
    });

    it('counts exempt-route PI toward the yearly totals by default, not when the [U] setting says so (§1.2)', () => {
      const art51 = input({
        manifest: { exemption: 'EX-ART5-1', evidence: { contractRef: 'ORD-1' }, ...pi(10) },
      });
      expect(classify(art51, policy).countsTowardTotals).to.equal(true);
      const lenient = policyWith({
        file: 'settings.yaml',
        from: 'countExemptRoutePi: true',
        to: 'countExemptRoutePi: false',
      });
      const out = classify(art51, lenient);
      expect(out.countsTowardTotals).to.equal(false);
      expect(out.volume).to.deep.equal({ individualsYtd: 10, sensitiveYtd: 0 });
      // art. 5(4) is itself a volume rule: its transfers always count.
      expect(classify(input({ manifest: pi(10) }), lenient).countsTowardTotals).to.equal(true);
      // No PI, nothing to count.
      expect(
        classify(input({ manifest: { businessType: 'cross_border_trade' } }), policy).countsTowardTotals,
      ).to.equal(false);
    });

    it('is pure: the same input gives the same answer and the input is not changed', () => {
      const i = input({ manifest: pi(100_000) });
      const copy = JSON.stringify(i);
      expect(classify(i, policy)).to.deep.equal(classify(i, policy));
      expect(JSON.stringify(i)).to.equal(copy);
    });
  });
});
