// policies/index: the public face of the rulebook room — load the policy, classify, explain, and the evidence
// inputs the worker checks read. Other rooms import from here, never from the files behind it.
export type {
  CheckName,
  Classification,
  ClassificationInput,
  DataGrade,
  Facts,
  FtzArea,
  FtzMatch,
  Reason,
  Tier,
  TraceStep,
} from './classification.js';
export { checkNames, dataGrades, ftzAreas, tiers } from './classification.js';
export { classify } from './classify.js';
export { parseManifest, type BusinessType, type Manifest } from './manifest.js';
export { explain } from './explain.js';
export { ftzListsInForce, ftzListStatus, type FtzListStatus } from './match-ftz-list.js';
export { loadPolicy, readPolicyFiles } from './load-policy.js';
export { parsePolicy } from './parse-policy.js';
export { PolicyError, formatPolicyIssue, type PolicyIssue } from './policy-error.js';
export { computePolicyVersion, type PolicyFileText } from './policy-version.js';
export type {
  DecisionRow,
  EvidenceItem,
  EvidencePolicy,
  FilingKind,
  FtzList,
  FtzListEntry,
  Policy,
  SelfAssessmentKind,
  Settings,
  Thresholds,
} from './policy.js';
export {
  listFilingKinds,
  listRequiredChecks,
  listRequiredEvidence,
  listSelfAssessmentKinds,
  selectEvidence,
  type SelectedEvidence,
} from './required-evidence.js';
