// gateway/routes/classify-route: POST /v1/classify — the classification a manifest would get now, with the
// full trace; nothing is stored (api.md §6). A `minimise` plan is validated too (issue #20).
import { Router } from 'express';
import { AppError } from '../../platform/errors.js';
import { localiseReasons, reasonLanguageOf } from '../../policies/localise-reasons.js';
import { parseManifest } from '../../policies/manifest.js';
import type { ClassifyService } from '../../transfers/classify-transfer.js';
import type { MinimisationPolicy } from '../../policies/minimisation-policy.js';
import type { MinimisePlan } from '../../policies/minimise-plan.js';
import { principalOf } from '../auth.js';
import { parseBody } from '../params.js';

/** Whether a plan masks or pseudonymises something: known from the plan alone, without a payload. */
function deidentifies(plan: MinimisePlan): boolean {
  const ops = [...Object.values(plan.columns ?? {}), ...Object.values(plan.categories ?? {})];
  return ops.some((op) => op?.op === 'mask' || op?.op === 'pseudonymise');
}

export function createClassifyRoute(classifier: ClassifyService, minimisation: MinimisationPolicy): Router {
  const router = Router();
  router.post('/v1/classify', async (req, res) => {
    const manifest = parseBody(req, parseManifest, 'BAD_MANIFEST');
    const principal = principalOf(res);
    if (principal.role === 'enterprise' && principal.exporter !== manifest.exporterId) {
      throw new AppError('FORBIDDEN', 'The manifest names an exporter your token does not represent', [
        { path: '/exporterId', message: "must equal your token's exporter claim" },
      ]);
    }
    // No payload, so nothing is detected: the manifest's declared counts decide.
    const classification = await classifier.classify(manifest, null, {
      transferId: null,
      detected: { individuals: 0, sensitive: 0 },
    });
    // Issue #20: a plan is validated like at intake, but without a payload nothing can be counted on what would
    // leave, so the declared counts decide; a plan that de-identifies says at once that it keeps the PI route.
    const plan = manifest.minimise;
    const answer =
      plan !== undefined && deidentifies(plan)
        ? { ...classification, reasons: [...classification.reasons, minimisation.reasons.deidentified] }
        : classification;
    // api.md §6: reason messages follow Accept-Language (codes and citations do not change).
    res.json(localiseReasons(answer, reasonLanguageOf(req.get('accept-language'))));
  });
  return router;
}
