// cli/demo-transfers: the sample transfers `xborder demo` submits — one per supervision tier, each naming the
// demo registry records (cli/demo-records.ts) its route needs, with small synthetic payloads (example.cn
// addresses, test-range numbers: no real person's data).
import type { Tier } from '../policies/classification.js';
import { demo } from './demo-records.js';

export interface DemoTransfer {
  readonly name: string;
  readonly tier: Tier;
  /** Where it should end without anyone acting: released after its checks, held for review, or blocked. */
  readonly settlesAs: 'released' | 'held' | 'blocked';
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly payload: string;
}

const inventory = [
  'sku,description,warehouse,quantity,unit_cost_cny',
  'GX-1001,Sugar cane pulp board 1.2mm,Qinzhou Port W3,1200,14.50',
  'GX-1002,Mango puree drum 200kg,Nanning Bonded W1,40,980.00',
  '',
].join('\n');

const orders = [
  'order_id,buyer_mobile,buyer_email,city,item,amount_sgd',
  'SO-77801,13800138000,lin.wei@example.cn,Singapore,Guangxi green tea 250g,18.90',
  'SO-77802,+86 139 1234 5678,chen.h@example.cn,Singapore,Liubao tea cake,32.00',
  'SO-77803,15012345678,mo.li@example.cn,Singapore,Osmanthus wine 500ml,24.50',
  '',
].join('\n');

const base = {
  exporterId: demo.exporter,
  purpose: demo.purpose,
  partnerId: demo.partner,
  endpointId: demo.endpoint,
  destinationCountry: 'SG',
};
const suffix = demo.exporter.slice(-4);
const attestationId = `${demo.attestation}-${suffix}`;
const pipiaId = `${demo.selfAssessment}-${suffix}`;

export const demoTransfers: readonly DemoTransfer[] = [
  {
    name: 'inventory file, no personal data',
    tier: 'free_flow',
    settlesAs: 'released',
    manifest: {
      ...base,
      businessType: 'supply_chain',
      dataCategories: ['inventory'],
      declaredGrade: 'general',
      personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
    },
    payload: inventory,
  },
  {
    name: "orders needed for the buyers' own contracts (art. 5(1))",
    tier: 'exempt',
    settlesAs: 'released',
    manifest: {
      ...base,
      businessType: 'cross_border_ecommerce',
      dataCategories: ['order', 'contact', 'shipping_address'],
      declaredGrade: 'general',
      personalInfo: { individuals: 3, sensitiveIndividuals: 0, origin: 'domestic' },
      legalBasis: 'contract',
      exemption: 'EX-ART5-1',
      evidence: {
        selfAssessmentId: pipiaId,
        attestationId,
        noticeRecordRef: 'notice/2026/privacy-policy-v3',
        contractRef: 'orders/2026/batch-0117',
      },
    },
    payload: orders,
  },
  {
    name: "orders with one buyer's sensitive PI, under the filed standard contract",
    tier: 'standard_contract',
    settlesAs: 'released',
    manifest: {
      ...base,
      businessType: 'cross_border_ecommerce',
      dataCategories: ['order', 'contact', 'shipping_address'],
      declaredGrade: 'general',
      personalInfo: { individuals: 3, sensitiveIndividuals: 1, origin: 'domestic' },
      legalBasis: 'consent',
      evidence: {
        selfAssessmentId: pipiaId,
        attestationId,
        filingId: demo.filing,
        noticeRecordRef: 'notice/2026/privacy-policy-v3',
        consentRecordRef: 'consent/2026/separate-consent-v1',
      },
    },
    payload: orders,
  },
  {
    name: 'important data under a CAC security assessment',
    tier: 'security_assessment',
    settlesAs: 'released',
    manifest: {
      ...base,
      businessType: 'supply_chain',
      dataCategories: ['inventory'],
      declaredGrade: 'important',
      personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
      evidence: {
        selfAssessmentId: `${demo.riskSelfAssessment}-${suffix}`,
        attestationId,
        filingId: demo.securityAssessmentFiling,
      },
    },
    payload: inventory,
  },
  {
    name: 'data the exporter suspects is important: held for identification',
    tier: 'manual_review',
    settlesAs: 'held',
    manifest: {
      ...base,
      businessType: 'supply_chain',
      dataCategories: ['inventory'],
      declaredGrade: 'general',
      importantDataSuspected: true,
      personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
    },
    payload: inventory,
  },
  {
    name: 'core data: blocked at intake',
    tier: 'prohibited',
    settlesAs: 'blocked',
    manifest: {
      ...base,
      businessType: 'manufacturing',
      purpose: 'joint production planning',
      dataCategories: ['production_plan'],
      declaredGrade: 'core',
      personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
    },
    payload: 'week,line,plan\n2026-W03,L1,confidential\n',
  },
];
