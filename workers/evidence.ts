// workers/evidence: loads the registry records a check needs and runs the pure check. Used by the check
// jobs and again before every delivery attempt, so evidence revoked or expired in the meantime stops a
// transfer still in flight (fail closed: a record that cannot be loaded fails its check).
import type { Clock } from '../platform/clock.js';
import type { CheckName, Classification } from '../policies/classification.js';
import type { Manifest } from '../policies/manifest.js';
import type { Policy } from '../policies/policy.js';
import { verifyAttestation } from '../certs/attestation.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { checkAttestation } from './checks/check-attestation.js';
import { checkFiling } from './checks/check-filing.js';
import { checkSelfAssessment } from './checks/check-self-assessment.js';
import type { CheckVerdict } from './checks/check-outcome.js';
import type { TrustStore } from './trust-store.js';

export interface EvidenceResult {
  readonly verdict: CheckVerdict;
  /** Ids of the records looked at, for the transfer record and the ledger. */
  readonly evidence: Readonly<Record<string, string>>;
}

export interface EvidenceChecker {
  run(check: CheckName, manifest: Manifest, classification: Classification): Promise<EvidenceResult>;
}

export function createEvidenceChecker(deps: {
  registry: RegistryStore;
  policy: Policy;
  trust: TrustStore;
  clock: Clock;
}): EvidenceChecker {
  const { registry, policy, clock } = deps;
  /** Anchors and the trust dir's CRLs (RFC 5280 §5), from one reading of the dir. */
  async function trustContext() {
    const { anchors, revocationSources } = await deps.trust.snapshot();
    return { anchors, revocationSources };
  }
  return {
    async run(check, manifest, classification) {
      const now = clock.now();
      const ids = manifest.evidence ?? {};
      switch (check) {
        case 'self_assessment': {
          const id = ids.selfAssessmentId;
          const record = id === undefined ? null : await registry.getSelfAssessment(id);
          // The manifest names one self-assessment: it must be the tier's unconditional kind (the risk
          // self-assessment for a security assessment, else the PIPIA; policies/evidence.yaml).
          const kind = policy.evidence.selfAssessmentKinds[classification.tier][0] ?? 'pipia';
          const { recency } = policy.evidence;
          const required = new Set(classification.requiredEvidence);
          const verdict = checkSelfAssessment(
            manifest,
            record,
            {
              kind,
              maxAgeDays: kind === 'pipia' ? recency.pipiaMaxAgeDays : recency.selfAssessmentMaxAgeDays,
              noticeRequired: required.has('notice_record'),
              consentRequired: required.has('consent_record'),
            },
            now,
          );
          return { verdict, evidence: id === undefined ? {} : { selfAssessmentId: id } };
        }
        case 'attestation': {
          const id = ids.attestationId;
          const record = id === undefined ? null : await registry.getAttestation(id);
          const verification =
            record === null || record.exporterId !== manifest.exporterId
              ? null
              : verifyAttestation(record.jws, {
                  ...(await trustContext()),
                  revokedSha256: await registry.revokedCertificates(),
                  now,
                });
          return {
            verdict: checkAttestation(manifest, classification, verification),
            evidence: id === undefined ? {} : { attestationId: id },
          };
        }
        case 'filing': {
          const id = ids.filingId;
          const filing = id === undefined ? null : await registry.getFiling(id);
          return {
            verdict: checkFiling(
              manifest,
              classification,
              filing,
              policy.evidence.filingKinds[classification.tier],
              now,
            ),
            evidence: id === undefined ? {} : { filingId: id },
          };
        }
      }
    },
  };
}
