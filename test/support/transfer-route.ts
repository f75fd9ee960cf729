// test/support/transfer-route: the registry ids a test's transfers travel by, and the plainest manifest on that
// route — supply-chain inventory without personal data, which the rules release as free flow. Tests spread
// their own overrides over it, so each case shows only what it changes.

export interface TransferRoute {
  /** The exporter's USCC (GB 32100, with a valid check character: the gateway refuses others). */
  readonly exporter: string;
  readonly partner: string;
  readonly endpoint: string;
  readonly purpose: string;
}

/** A free-flow manifest (api.md §6) on `route`, with `overrides` spread over it. */
export function createManifest(
  route: TransferRoute,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    exporterId: route.exporter,
    businessType: 'supply_chain',
    purpose: route.purpose,
    partnerId: route.partner,
    endpointId: route.endpoint,
    destinationCountry: 'SG',
    dataCategories: ['inventory'],
    declaredGrade: 'general',
    personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
    ...overrides,
  };
}

/**
 * A standard-contract manifest on `route`: 120,000 individuals of order and contact data (past the 100,000 of
 * R-SCC-PI100K), domestic, on a contract basis, naming `evidence` (notice record notice-v3 unless it says).
 */
export function createContractManifest(
  route: TransferRoute,
  evidence: Record<string, string>,
): Record<string, unknown> {
  return createManifest(route, {
    businessType: 'cross_border_ecommerce',
    dataCategories: ['order', 'contact'],
    personalInfo: { individuals: 120_000, sensitiveIndividuals: 0, origin: 'domestic' },
    legalBasis: 'contract',
    evidence: { noticeRecordRef: 'notice-v3', ...evidence },
  });
}

/**
 * An exempt manifest on `route`: 10 individuals' order data that a contract with them needs sent (EX-ART5-1,
 * contract necessity, art. 5(1)), naming `evidence` (notice record notice-v3, contract orders-1 unless it says).
 */
export function createExemptManifest(
  route: TransferRoute,
  evidence: Record<string, string>,
): Record<string, unknown> {
  return createManifest(route, {
    businessType: 'cross_border_ecommerce',
    dataCategories: ['order'],
    personalInfo: { individuals: 10, sensitiveIndividuals: 0 },
    legalBasis: 'contract',
    exemption: 'EX-ART5-1',
    evidence: { noticeRecordRef: 'notice-v3', contractRef: 'orders-1', ...evidence },
  });
}
