// registry/classifier: gathers what a classification needs from the registry and the volume counters, then
// calls the pure evaluator. Used at intake, by POST /v1/classify, and again by the release stage (another
// transfer may have crossed a threshold meanwhile).
import type { Clock } from '../platform/clock.js';
import type { InspectionReport } from '../inspection/inspector.js';
import type { Manifest } from '../policies/manifest.js';
import type { Classification } from '../policies/classification.js';
import { classify } from '../policies/classify.js';
import type { Policy } from '../policies/policy.js';
import type { RegistryStore } from './registry-store.js';
import type { PeopleCount, VolumeStore } from './volume-store.js';

export interface ClassifyContext {
  /** The transfer whose people are in the volume store's per-transfer counters; null for a dry run. */
  readonly transferId: string | null;
  readonly detected: PeopleCount;
}

export interface ClassifyService {
  classify(
    manifest: Manifest,
    report: InspectionReport | null,
    context: ClassifyContext,
  ): Promise<Classification>;
}

export function createClassifier(deps: {
  registry: RegistryStore;
  volume: VolumeStore;
  policy: Policy;
  clock: Clock;
}): ClassifyService {
  return {
    async classify(manifest, report, context) {
      const now = deps.clock.now();
      const [exporter, partner] = await Promise.all([
        deps.registry.getExporter(manifest.exporterId),
        deps.registry.getPartner(manifest.partnerId),
      ]);
      const declared: PeopleCount = {
        individuals: manifest.personalInfo.individuals,
        sensitive: manifest.personalInfo.sensitiveIndividuals,
      };
      const projected = await deps.volume.projectTotal(
        manifest.exporterId,
        context.transferId,
        declared,
        context.detected,
        now,
      );
      // The evaluator adds this transfer to the year-to-date figure; give it the year without this transfer's
      // people so that its projection equals the de-duplicated total computed above.
      const own = {
        individuals: Math.max(declared.individuals, context.detected.individuals),
        sensitive: Math.max(declared.sensitive, context.detected.sensitive),
      };
      return classify(
        {
          manifest,
          // Unregistered exporters cannot submit (intake checks); a dry run for one is judged as the strictest case.
          exporter: { ciio: exporter?.ciio ?? true, ftzArea: exporter?.ftzArea ?? null },
          partner: { restricted: partner?.restricted ?? false },
          inspection:
            report === null
              ? null
              : {
                  containsPi: report.containsPi,
                  containsSpi: report.containsSpi,
                  individualsDetected: report.individualsDetected,
                  sensitiveIndividualsDetected: report.sensitiveIndividualsDetected,
                  // A record stored before inspection listed opaque parts has no list (read as none).
                  opaqueParts: (report as Partial<InspectionReport>).opaque?.length ?? 0,
                },
          volume: {
            individualsYtd: Math.max(0, projected.individuals - own.individuals),
            sensitiveYtd: Math.max(0, projected.sensitive - own.sensitive),
          },
          now,
        },
        deps.policy,
      );
    },
  };
}
