// gateway/routes/transfer-evidence-route: GET /v1/transfers/:id/evidence — the registry records a transfer's
// manifest names (self-assessment, attestation with its claims and certificate chain, filing), for the
// reviewer's full picture and the enterprise's "what is missing". Scoped twice: the transfer must be visible
// to the caller, and a record is shown only if it belongs to the transfer's exporter — a manifest cannot be
// used to read another exporter's evidence.
import { Router } from 'express';
import { certificateSummary, derToPem, type CertificateSummary } from '../../certs/index.js';
import type { AttestationRecord } from '../../registry/records.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import type { TransferStore } from '../../registry/transfer-store.js';
import { principalOf } from '../auth.js';
import { paramTransferId } from '../params.js';
import { visibleTransfer } from '../scope.js';

export interface AttestationView {
  readonly id: string;
  readonly partnerId: string;
  readonly exporterId: string;
  readonly expiresAt: string;
  readonly registeredAt: string;
  readonly alg: string | null;
  /** The signed claims (api.md §5), as verified at registration. */
  readonly claims: Readonly<Record<string, unknown>> | null;
  /** x5c, leaf first. */
  readonly chain: readonly CertificateSummary[];
}

/** A JWS part as JSON; the attestation was verified when it was registered, so this only reads it back. */
function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (part === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function describeAttestation(record: AttestationRecord): AttestationView {
  const [h, p] = record.jws.split('.');
  const header = decodePart(h);
  const x5c = Array.isArray(header?.['x5c']) ? (header['x5c'] as unknown[]) : [];
  const chain = x5c.flatMap((cert) => {
    if (typeof cert !== 'string') return [];
    const summary = certificateSummary(derToPem(Buffer.from(cert, 'base64')));
    return summary === undefined ? [] : [summary];
  });
  return {
    id: record.id,
    partnerId: record.partnerId,
    exporterId: record.exporterId,
    expiresAt: record.expiresAt,
    registeredAt: record.registeredAt,
    alg: typeof header?.['alg'] === 'string' ? header['alg'] : null,
    claims: decodePart(p),
    chain,
  };
}

export function createTransferEvidenceRoute(deps: {
  transfers: Pick<TransferStore, 'get' | 'getOwned'>;
  registry: Pick<RegistryStore, 'getSelfAssessment' | 'getAttestation' | 'getFiling'>;
}): Router {
  const router = Router();
  router.get('/v1/transfers/:id/evidence', async (req, res) => {
    const record = await visibleTransfer(deps.transfers, paramTransferId(req), principalOf(res));
    const named = record.manifest.evidence ?? {};
    const own = <T extends { readonly exporterId: string }>(r: T | null): T | null =>
      r !== null && r.exporterId === record.exporterId ? r : null;
    const [selfAssessment, attestation, filing] = await Promise.all([
      named.selfAssessmentId === undefined ? null : deps.registry.getSelfAssessment(named.selfAssessmentId),
      named.attestationId === undefined ? null : deps.registry.getAttestation(named.attestationId),
      named.filingId === undefined ? null : deps.registry.getFiling(named.filingId),
    ]);
    const ownAttestation = own(attestation);
    res.json({
      transferId: record.id,
      named,
      requiredEvidence: record.classification.requiredEvidence,
      selfAssessment: own(selfAssessment),
      attestation: ownAttestation === null ? null : describeAttestation(ownAttestation),
      filing: own(filing),
    });
  });
  return router;
}
