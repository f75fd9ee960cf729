// gateway/routes/classify-route: POST /v1/classify — the classification a manifest would get now, with the
// full trace; nothing is stored (api.md §6).
import { Router } from 'express';
import { AppError } from '../../platform/errors.js';
import { localiseReasons, reasonLanguageOf } from '../../policies/localise-reasons.js';
import { parseManifest } from '../../policies/manifest.js';
import type { ClassifyService } from '../../transfers/classify-transfer.js';
import { principalOf } from '../auth.js';
import { parseBody } from '../params.js';

export function createClassifyRoute(classifier: ClassifyService): Router {
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
    // api.md §6: reason messages follow Accept-Language (codes and citations do not change).
    res.json(localiseReasons(classification, reasonLanguageOf(req.get('accept-language'))));
  });
  return router;
}
