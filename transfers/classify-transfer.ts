// transfers/classify-transfer: gathers what a classification needs from the registry and the volume counters, then
// calls the pure evaluator. Used at intake, by POST /v1/classify, and again by the release stage (another
// transfer may have crossed a threshold meanwhile).
import type { Clock } from '../platform/clock.js';
import type { InspectionReport } from '../inspection/inspector.js';
import { DEFAULT_EXACT_LIMIT } from '../inspection/person-counter.js';
import type { Manifest } from '../policies/manifest.js';
import type { Classification } from '../policies/classification.js';
import { classify } from '../policies/classify.js';
import type { Policy } from '../policies/policy.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { PeopleCount, VolumeStore } from '../registry/volume-store.js';

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
      // Rules reference §0.1: counts are exact at the thresholds. The volume store counts this transfer's people
      // exactly (the SET of its person keys), where the inspector estimates past its own exact limit; it never
      // counts fewer than the inspector's report says either way.
      const exact = projected.detected;
      // Up to its own exact limit the inspector's count is exact too, so the larger of the two is kept there.
      const exactOfReport = (n: number) => Math.min(n, DEFAULT_EXACT_LIMIT);
      const seen = {
        individuals:
          exact === null
            ? context.detected.individuals
            : Math.max(exact.individuals, exactOfReport(context.detected.individuals)),
        sensitive:
          exact === null
            ? context.detected.sensitive
            : Math.max(exact.sensitive, exactOfReport(context.detected.sensitive)),
      };
      // The evaluator adds this transfer to the year-to-date figure; give it the year without this transfer's
      // people so that its projection equals the de-duplicated total computed above.
      const own = {
        individuals: Math.max(declared.individuals, seen.individuals),
        sensitive: Math.max(declared.sensitive, seen.sensitive),
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
                  individualsDetected: exact === null ? report.individualsDetected : seen.individuals,
                  sensitiveIndividualsDetected:
                    exact === null ? report.sensitiveIndividualsDetected : seen.sensitive,
                  // Provisions 2024 art. 4 (rules reference §0.1 C5): mainland resident IDs and mobile numbers.
                  domesticIdentifiersDetected:
                    (report.findings.resident_id?.count ?? 0) + (report.findings.mobile?.count ?? 0),
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
