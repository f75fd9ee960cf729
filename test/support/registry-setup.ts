// test/support/registry-setup: registers, through the HTTP API as an operator would, what a test's transfers
// need before they can pass their checks — exporters, partners with one endpoint each, attestations, a PIPIA
// self-assessment and standard-contract filings. Every call must answer as the API says it does (200 for a PUT,
// 201 for a POST), or the setup fails with the gateway's answer: a test must not run on a half-made registry.
import type { GatewayClient } from './gateway-client.js';
import { chinaDate } from './china-time.js';

export interface RegistryPartner {
  readonly id: string;
  /** The partner's name; 'Partner SG' unless the test needs another. */
  readonly name?: string;
  /** The id of the partner's one endpoint; its URL is the setup's `endpointUrl`. */
  readonly endpoint: string;
}

export interface RegistrySetup {
  /** The exporter that owns the evidence: its enterprise user registers attestations and the self-assessment. */
  readonly exporter: string;
  /** Its name; `Exporter <id>` unless the test needs another. */
  readonly exporterName?: string;
  /** More exporters, registered with nothing else (to test that one exporter cannot see another's). */
  readonly otherExporters?: readonly string[];
  /** Every partner is in Singapore (a processor), as its attestation and endpoint say. */
  readonly partners: readonly RegistryPartner[];
  /** Where deliveries go: the reference receiver, or whatever the test puts in front of it. */
  readonly endpointUrl: string;
  readonly purpose: string;
  /** Signed attestation JWSs (see partner-attestation), registered in order. */
  readonly attestations?: readonly string[];
  /** Registers a PIPIA self-assessment under this id covering all the partners. */
  readonly selfAssessmentId?: string;
  /** Standard-contract filings by id, each with what differs from `standardContractFiling`. */
  readonly filings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Who does it (token subjects); they show in the ledger's events, not in any check. */
  readonly users?: { readonly admin?: string; readonly enterprise?: string; readonly reviewer?: string };
}

/**
 * A standard contract filed for `exporter` with every partner, covering order and contact data for the purpose
 * up to 500,000 individuals (above the 100,000 that put a transfer on the contract route), valid until 2028.
 */
export function standardContractFiling(setup: RegistrySetup): Record<string, unknown> {
  return {
    kind: 'standard_contract',
    exporterId: setup.exporter,
    partnerIds: setup.partners.map((p) => p.id),
    dataCategories: ['order', 'contact'],
    purposes: [setup.purpose],
    maxIndividuals: 500_000,
    maxSensitiveIndividuals: 0,
    // Relative to today, so the suite passes in any year (and under a 3-year validity cap).
    validFrom: chinaDate(-30),
    validUntil: chinaDate(700),
    status: 'active',
  };
}

export async function setUpRegistry(client: GatewayClient, setup: RegistrySetup): Promise<void> {
  const admin = await client.token('admin', setup.users?.admin ?? 'admin-1');
  const put = (url: string, bearer: string, body: unknown) =>
    client.callExpecting(200, 'PUT', url, bearer, body);

  const exporters: [id: string, name: string][] = [
    [setup.exporter, setup.exporterName ?? `Exporter ${setup.exporter}`],
    ...(setup.otherExporters ?? []).map((other): [string, string] => [other, `Exporter ${other}`]),
  ];
  for (const [id, name] of exporters)
    await put(`/v1/exporters/${id}`, admin, { name, ciio: false, ftzArea: null });
  for (const partner of setup.partners) {
    await put(`/v1/partners/${partner.id}`, admin, {
      name: partner.name ?? 'Partner SG',
      country: 'SG',
      role: 'processor',
    });
    await put(`/v1/endpoints/${partner.endpoint}`, admin, {
      partnerId: partner.id,
      url: setup.endpointUrl,
      country: 'SG',
    });
  }

  const enterprise = await client.token('enterprise', setup.users?.enterprise ?? 'ent-user', setup.exporter);
  for (const jws of setup.attestations ?? [])
    await client.callExpecting(201, 'POST', '/v1/attestations', enterprise, { jws });
  if (setup.selfAssessmentId !== undefined)
    await put(`/v1/self-assessments/${setup.selfAssessmentId}`, enterprise, {
      exporterId: setup.exporter,
      kind: 'pipia',
      completedOn: chinaDate(),
      reportSha256: 'b'.repeat(64),
      scope: {
        partnerIds: setup.partners.map((p) => p.id),
        dataCategories: ['order', 'contact', 'inventory'],
        purposes: [setup.purpose],
        businessTypes: ['cross_border_ecommerce', 'supply_chain'],
      },
    });

  const reviewer = await client.token('reviewer', setup.users?.reviewer ?? 'rev-a');
  for (const [id, filing] of Object.entries(setup.filings ?? {}))
    await put(`/v1/filings/${id}`, reviewer, { ...standardContractFiling(setup), ...filing });
}
