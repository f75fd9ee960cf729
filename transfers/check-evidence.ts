// transfers/check-evidence: loads the registry records a check needs and runs the pure check. Used by the check
// jobs and again before every delivery attempt, so evidence revoked or expired in the meantime stops a
// transfer still in flight (fail closed: a record that cannot be loaded fails its check).
import type { Clock } from '../platform/clock.js';
import type { CheckName, Classification } from '../policies/classification.js';
import type { Manifest } from '../policies/manifest.js';
import type { Policy } from '../policies/policy.js';
import { verifyAttestation } from '../certs/attestation.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { parseInstant } from '../registry/records.js';
import { checkAttestation } from './checks/check-attestation.js';
import { checkFiling } from './checks/check-filing.js';
import { checkSelfAssessment, pickSelfAssessment } from './checks/check-self-assessment.js';
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
          const { recency } = policy.evidence;
          const required = new Set(classification.requiredEvidence);
          // The kinds this transfer's evidence items name (policies/evidence.yaml), the tier's own kind first:
          // a security assessment with PI needs the risk self-assessment and a PIPIA (regulation.md §10.3 T4).
          const tierKinds = policy.evidence.selfAssessmentKinds[classification.tier];
          const needed = new Set(
            classification.requiredEvidence.flatMap(
              (item) => policy.evidence.items[item]?.selfAssessmentKind ?? [],
            ),
          );
          const kinds = tierKinds.filter((k) => needed.has(k));
          if (kinds.length === 0) kinds.push(tierKinds[0] ?? 'pipia');
          // Rules reference §0.1 C6: the 3 months are measured to the filing or declaration date (filedOn) of the
          // filing the transfer relies on; a filing recorded without filedOn is measured to now, as before. An
          // exempt transfer's PIPIA has no age limit.
          const limited = recency.ageLimitTiers.includes(classification.tier);
          const filing =
            limited && ids.filingId !== undefined ? await registry.getFiling(ids.filingId) : null;
          const filedOn = filing?.filedOn === undefined ? null : parseInstant(filing.filedOn);
          const requirement = {
            kinds: kinds.map((kind) => ({
              kind,
              maxAgeDays: !limited
                ? null
                : kind === 'pipia'
                  ? recency.pipiaMaxAgeDays
                  : recency.selfAssessmentMaxAgeDays,
            })),
            noticeRequired: required.has('notice_record'),
            consentRequired: required.has('consent_record'),
            ...(filing === null || filedOn === null
              ? {}
              : {
                  measuredTo: {
                    at: filedOn,
                    what: `filing ${filing.id} (filed on ${filing.filedOn ?? '?'})`,
                  },
                }),
          };
          // The manifest names one record (api.md §6); a further kind is found among the exporter's records.
          const others = record === null ? [] : kinds.filter((k) => k !== record.kind);
          const registered =
            others.length === 0 ? [] : await registry.listSelfAssessments(manifest.exporterId);
          const verdict = checkSelfAssessment(manifest, record, requirement, now, registered);
          const evidence: Record<string, string> = id === undefined ? {} : { selfAssessmentId: id };
          for (const kind of others) {
            const max = requirement.kinds.find((k) => k.kind === kind)?.maxAgeDays ?? null;
            const used = pickSelfAssessment(
              manifest,
              registered.filter((r) => r.id !== id),
              kind,
              max,
              now,
              requirement.measuredTo,
            );
            if (used !== undefined) evidence[kind === 'pipia' ? 'pipiaId' : 'riskSelfAssessmentId'] = used.id;
          }
          return { verdict, evidence };
        }
        case 'attestation': {
          const id = ids.attestationId;
          // Independent reads, issued together: one round trip instead of three in a row.
          const [record, revokedSha256, trust] = await Promise.all([
            id === undefined ? null : registry.getAttestation(id),
            registry.revokedCertificates(),
            trustContext(),
          ]);
          const verification =
            record === null || record.exporterId !== manifest.exporterId
              ? null
              : verifyAttestation(record.jws, { ...trust, revokedSha256, now });
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
