// gateway/incident-service: opens incidents (issue #19 item 4) when evidence a released transfer relied on is
// revoked — a partner certificate (POST /v1/revocations; the attestations whose leaf it is) or a filing (PUT
// with status revoked). One incident per exporter and piece of evidence, linking the transfers released under
// it, written to the ledger and raised as `evidence.revoked`. A delivery to a revoked or compromised partner is
// a data-security event the exporter reports to the provincial CAC (Provisions 2024 art. 11; rules reference
// §0.1 C12), on the clock of the 2025 incident-reporting measures. Idempotent: the incident id is derived from
// (evidence, exporter), so a client repeating the revocation re-opens nothing and re-raises the same event.
import type { Clock } from '../platform/clock.js';
import type { EventLog } from '../platform/event-log.js';
import type { Incident, IncidentStore, EvidenceKind } from '../registry/incident-store.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { TransferRecord } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import { eventIdOf } from '../registry/webhook-event.js';
import type { WebhookNotifier } from '../workers/webhook-notifier.js';

/**
 * The reporting clock. The CAC's Measures for the Reporting of Cybersecurity Incidents (2025, in force
 * 2025-11-01) set reports within 4 hours of discovery, and within 1 hour for operators of critical information
 * infrastructure — the shortest clock applies to a CIIO exporter. The hours are [U] in the rules reference
 * (confirm against the official text before go-live); the duty to report is Provisions 2024 art. 11.
 */
const reportWithinHours = { ciio: 1, other: 4 } as const;
const reportingBasis = [
  'Provisions 2024 art. 11',
  'Measures for the Reporting of Cybersecurity Incidents (CAC, 2025)',
] as const;

/** Released transfers are bounded by retention; one revocation looks at most at this many. */
const maxReleasedScanned = 50_000;
const page = 200;

export interface IncidentService {
  certificateRevoked(certificateSha256: string, revokedAt: Date): Promise<Incident[]>;
  filingRevoked(filingId: string, revokedAt: Date): Promise<Incident[]>;
}

export function createIncidentService(deps: {
  transfers: TransferStore;
  registry: RegistryStore;
  incidents: IncidentStore;
  events: EventLog;
  notifier: WebhookNotifier;
  clock: Clock;
}): IncidentService {
  async function releasedWhere(match: (t: TransferRecord) => boolean): Promise<TransferRecord[]> {
    const out: TransferRecord[] = [];
    let cursor: string | undefined;
    for (let seen = 0; seen < maxReleasedScanned; seen += page) {
      const result = await deps.transfers.list({
        status: 'released',
        limit: page,
        ...(cursor === undefined ? {} : { cursor }),
      });
      out.push(...result.items.filter(match));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    return out;
  }

  async function open(
    kind: EvidenceKind,
    ref: string,
    attestationIds: readonly string[],
    affected: readonly TransferRecord[],
    revokedAt: Date,
  ): Promise<Incident[]> {
    const byExporter = new Map<string, string[]>();
    for (const t of affected) byExporter.set(t.exporterId, [...(byExporter.get(t.exporterId) ?? []), t.id]);
    const opened: Incident[] = [];
    for (const [exporterId, transferIds] of byExporter) {
      const exporter = await deps.registry.getExporter(exporterId);
      const hours = exporter?.ciio === false ? reportWithinHours.other : reportWithinHours.ciio;
      const id = `inc_${eventIdOf('incident', kind, ref, exporterId).slice('msg_'.length)}`;
      const incident = await deps.incidents.open({
        id,
        exporterId,
        evidence: { kind, ref, attestationIds },
        transferIds: [...transferIds].sort(),
        revokedAt: revokedAt.toISOString(),
        openedAt: deps.clock.now().toISOString(),
        reportingClock: {
          startedAt: revokedAt.toISOString(),
          reportBy: new Date(revokedAt.getTime() + hours * 3_600_000).toISOString(),
          hours,
          basis: [...reportingBasis],
        },
        ledgerIndex: null,
      });
      // The ledger integrates one eventId once: a repeat (client retry) appends nothing new.
      const { index } = await deps.events.append({
        type: 'incident.opened',
        eventId: incident.id,
        incidentId: incident.id,
        exporterId,
        evidenceKind: kind,
        evidenceRef: ref,
        transferIds: [...incident.transferIds],
        reportBy: incident.reportingClock.reportBy,
      });
      await deps.incidents.setLedgerIndex(incident.id, index);
      await deps.notifier.emit({
        id: eventIdOf('evidence.revoked', incident.id),
        type: 'evidence.revoked',
        timestamp: incident.openedAt,
        exporterId,
        data: {
          incidentId: incident.id,
          exporterId,
          evidenceKind: kind,
          evidenceRef: ref,
          attestationIds: [...attestationIds],
          transferIds: [...incident.transferIds],
          transferCount: incident.transferIds.length,
          reportBy: incident.reportingClock.reportBy,
        },
      });
      opened.push({ ...incident, ledgerIndex: index });
    }
    return opened;
  }

  return {
    async certificateRevoked(sha256, revokedAt) {
      const attestations = (await deps.registry.listAttestations()).filter((a) => a.leafSha256 === sha256);
      if (attestations.length === 0) return [];
      const ids = new Set(attestations.map((a) => a.id));
      const affected = await releasedWhere((t) => {
        const used = t.checks.attestation?.evidence['attestationId'] ?? t.manifest.evidence?.attestationId;
        return used !== undefined && ids.has(used);
      });
      return open('certificate', sha256, [...ids].sort(), affected, revokedAt);
    },
    async filingRevoked(filingId, revokedAt) {
      const affected = await releasedWhere(
        (t) => (t.checks.filing?.evidence['filingId'] ?? t.manifest.evidence?.filingId) === filingId,
      );
      return open('filing', filingId, [], affected, revokedAt);
    },
  };
}
