// policies/replay: impact analysis of a draft policy — re-classify the recorded inputs of past decisions
// (manifest, inspection counts, the exporter's yearly volume before the transfer, the exporter's facts as
// they were) under another policy, and say which would change tier and why. Pure; never sees payloads.
import { classify } from './classify.js';
import type { Classification, ClassificationInput, Reason, Tier } from './classification.js';
import type { Policy } from './policy.js';

/** A past decision as recorded with its transfer: the inputs the evaluator saw and what it decided. */
export interface RecordedDecision {
  readonly id: string;
  readonly decidedAt: Date;
  readonly input: Omit<ClassificationInput, 'now'>;
  readonly tier: Tier;
  readonly reasons: readonly Reason[];
  readonly policyVersion: string;
}

export interface ReplayChange {
  readonly id: string;
  readonly from: { readonly tier: Tier; readonly reasons: readonly string[]; readonly policyVersion: string };
  readonly to: { readonly tier: Tier; readonly reasons: readonly string[]; readonly policyVersion: string };
  /** The draft's deciding row and its reasons, with citations, in words. */
  readonly why: string;
}

export interface ReplayReport {
  readonly replayed: number;
  readonly unchanged: number;
  readonly changes: readonly ReplayChange[];
}

/**
 * Rebuilds the evaluator's input from a recorded classification: the volume before the transfer is the
 * projected total minus this transfer's own people, and the exporter's and partner's facts are the ones the
 * decision recorded (CIIO flag, FTZ area, restricted recipient) — not today's registry.
 */
export function recordedInput(
  manifest: ClassificationInput['manifest'],
  classification: Classification,
  inspection: ClassificationInput['inspection'],
): Omit<ClassificationInput, 'now'> {
  const { volume, thisTransfer, facts } = classification;
  const area = classification.ftz.area;
  return {
    manifest,
    exporter: {
      ciio: facts.ciio,
      ftzArea: area === 'nanning' || area === 'qinzhou' || area === 'chongzuo' ? area : null,
    },
    partner: { restricted: facts.flags.includes('recipient_restricted') },
    inspection,
    volume: {
      individualsYtd: Math.max(0, volume.individualsYtd - thisTransfer.individuals),
      sensitiveYtd: Math.max(0, volume.sensitiveYtd - thisTransfer.sensitiveIndividuals),
    },
  };
}

/** Classifies every recorded decision under `draft`, as of the moment it was decided. */
export function replayDecisions(decisions: readonly RecordedDecision[], draft: Policy): ReplayReport {
  const changes: ReplayChange[] = [];
  for (const decision of decisions) {
    const again = classify({ ...decision.input, now: decision.decidedAt }, draft);
    if (again.tier === decision.tier) continue;
    changes.push({
      id: decision.id,
      from: {
        tier: decision.tier,
        reasons: decision.reasons.map((r) => r.code),
        policyVersion: decision.policyVersion,
      },
      to: { tier: again.tier, reasons: again.reasons.map((r) => r.code), policyVersion: again.policyVersion },
      why: `row ${again.matchedRow}: ${again.reasons.map((r) => `${r.code} (${r.rule})`).join('; ')}`,
    });
  }
  return { replayed: decisions.length, unchanged: decisions.length - changes.length, changes };
}
