// policies/fact-catalogue: the closed set of facts a policy condition may name, with each fact's kind and domain
// (regulation.md §10.1 inputs I1–I10). The condition compiler checks every condition against it. Data only.
import { businessTypes, exemptionCodes, legalBases, type Evidence } from './manifest.js';
import { dataGrades, type Facts } from './classification.js';

/** Special flags in the regulation's vocabulary (§10.1 I9). */
export const regulationFlags = [
  'state_secret',
  'export_controlled',
  'hgr',
  'geo',
  'auto_important',
  'financial',
  'foreign_authority_request',
  'recipient_restricted',
] as const;
export type RegulationFlag = (typeof regulationFlags)[number];

/** Manifest evidence fields (api.md §6), the domain of the `evidence` fact. */
export const evidenceFields = [
  'selfAssessmentId',
  'attestationId',
  'filingId',
  'noticeRecordRef',
  'consentRecordRef',
  'contractRef',
  'exportLicenceRef',
  'sectorApprovalRef',
] as const satisfies readonly (keyof Evidence)[];

export type FactKind =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'set'; readonly values: readonly string[] };

const bool = { kind: 'bool' } as const;
const int = { kind: 'int' } as const;

export const factCatalogue: { readonly [K in keyof Facts]: FactKind } = {
  ciio: bool,
  grade: { kind: 'enum', values: dataGrades },
  containsPi: bool,
  containsSpi: bool,
  minorsUnder14: bool,
  individuals: int,
  sensitiveIndividuals: int,
  projectedIndividuals: int,
  projectedSensitive: int,
  businessType: { kind: 'enum', values: businessTypes },
  origin: { kind: 'enum', values: ['domestic', 'foreign_only'] },
  exemption: { kind: 'enum', values: [...exemptionCodes, 'none'] },
  // 'undeclared': the manifest names no legal basis although PI was found (possible only with undeclared PI).
  legalBasis: { kind: 'enum', values: [...legalBases, 'undeclared'] },
  flags: { kind: 'set', values: regulationFlags },
  evidence: { kind: 'set', values: evidenceFields },
  ftzRegistered: bool,
  ftzListInForce: bool,
  ftzMatch: { kind: 'enum', values: ['none', 'SA', 'SCC_CERT', 'not_applicable'] },
  undeclaredPi: bool,
  undeclaredSpi: bool,
  domesticIdentifiers: bool,
  opaqueContent: bool,
};

export type FactName = keyof Facts;

export function isFactName(name: string): name is FactName {
  return Object.hasOwn(factCatalogue, name);
}
