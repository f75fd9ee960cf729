// transfers/transfer-vocabulary: the one place the rest of the gateway takes its closed sets from — tiers, statuses,
// business types, check names, the reason codes and how many approvals release a held transfer. The policy
// terms are defined in policies/ (which may import no other room, design.md "Dependency direction") and the
// statuses in registry/transfer.ts; this module hands them on and adds the terms of the review. No logic.
import { checkNames, tiers, type Tier } from '../policies/classification.js';
import { businessTypes } from '../policies/manifest.js';
import { reasonCodes } from '../policies/reason-codes.js';
import { transferStatuses } from '../registry/transfer.js';

export { checkNames, tiers, type CheckName, type Tier } from '../policies/classification.js';
export { businessTypes, type BusinessType } from '../policies/manifest.js';
export {
  evidenceReasonCodes,
  reasonCodes,
  type EvidenceReasonCode,
  type ReasonCode,
} from '../policies/reason-codes.js';
export { transferStatuses, type TransferStatus } from '../registry/transfer.js';

/** Four eyes (docs/api.md "Transfers"): releasing a held transfer overrides the rules, so it needs the approvals
 * of two different reviewers. */
export const approvalsNeeded = 2;

/** Reason messages are read by people: tiers in words, not the API's values. */
export const tierNames: Readonly<Record<Tier, { readonly en: string; readonly zh: string }>> = {
  prohibited: { en: 'prohibited', zh: '禁止出境' },
  manual_review: { en: 'manual review', zh: '人工审核' },
  security_assessment: { en: 'security assessment', zh: '安全评估' },
  standard_contract: { en: 'standard contract or certification', zh: '标准合同或认证' },
  exempt: { en: 'exempt', zh: '豁免' },
  free_flow: { en: 'free flow', zh: '自由流动' },
};

/** The closed sets as the review console reads them (GET /console/vocabulary.json). */
export const consoleVocabulary = {
  tiers,
  statuses: transferStatuses,
  businessTypes,
  checkNames,
  approvalsNeeded,
  reasonCodes,
} as const;
