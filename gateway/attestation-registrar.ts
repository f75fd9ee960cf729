// gateway/attestation-registrar: POST /v1/attestations — an attestation is registered only if it verifies
// now (signature, x5c chain to a trust anchor, validity, revocation by the registry and by the trust dir's
// CRLs); otherwise 422 EVIDENCE_INVALID with the R-EVID-ATTESTATION-* codes in details.
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { EventLog } from '../platform/event-log.js';
import { verifyAttestation } from '../certs/attestation.js';
import type { AttestationRecord } from '../registry/records.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { TrustStore } from '../transfers/trust-store.js';
import type { Principal } from './principal.js';

export interface AttestationRegistrar {
  register(jws: string, by: Principal): Promise<AttestationRecord>;
}

export function createAttestationRegistrar(deps: {
  registry: RegistryStore;
  trust: TrustStore;
  events: EventLog;
  clock: Clock;
}): AttestationRegistrar {
  return {
    async register(jws, by) {
      const now = deps.clock.now();
      const { anchors, revocationSources } = await deps.trust.snapshot();
      const verified = verifyAttestation(jws, {
        anchors,
        revocationSources,
        revokedSha256: await deps.registry.revokedCertificates(),
        now,
      });
      if (!verified.ok) {
        throw new AppError(
          'EVIDENCE_INVALID',
          'The attestation does not verify',
          verified.reasons.map((r) => ({ code: r.code, rule: 'api.md §5', message: r.message })),
        );
      }
      const { claims } = verified;
      if (by.role === 'enterprise' && claims.sub !== by.exporter) {
        throw new AppError('FORBIDDEN', 'The attestation is given to another exporter', [
          { path: '/jws', message: "its sub must equal your token's exporter" },
        ]);
      }
      const existing = await deps.registry.getAttestation(claims.jti);
      if (existing !== null && existing.jws !== jws)
        throw new AppError(
          'CONFLICT',
          `Attestation ${claims.jti} is already registered with different content`,
        );
      const record: AttestationRecord = {
        id: claims.jti,
        partnerId: claims.iss,
        exporterId: claims.sub,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        jws,
        leafSha256: verified.leafSha256,
        registeredAt: now.toISOString(),
      };
      await deps.registry.putAttestation(record);
      await deps.events.append({
        type: 'registry.attestation',
        id: record.id,
        partnerId: record.partnerId,
        exporterId: record.exporterId,
        expiresAt: record.expiresAt,
        leafSha256: record.leafSha256,
        // Codes and a number, no personal data (api.md §8): filing packs show where recipients keep data and how
        // long (archive/assemble-filing-pack.ts).
        storageCountry: claims.storageCountry,
        retentionDays: claims.retentionDays,
      });
      return record;
    },
  };
}
