// gateway/routes/exporter-volume-route: GET /v1/exporters/:id/volume — an exporter's distinct individuals
// since 1 January (Asia/Shanghai) next to the policy's thresholds, so a reviewer sees how close it is to the
// next tier (Provisions 2024 arts. 5(4), 7, 8). An enterprise may read its own exporter's only (others: 404).
import { Router } from 'express';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { Thresholds } from '../../policies/policy.js';
import { isValidUscc } from '../../registry/records.js';
import { forecastVolume } from '../../registry/volume-forecast.js';
import { shanghaiYear, type VolumeStore } from '../../registry/volume-store.js';
import { principalOf } from '../auth.js';
import { paramId } from '../params.js';
import { assertOwnExporter } from '../scope.js';

export interface ExporterVolumeDeps {
  readonly volume: Pick<VolumeStore, 'yearToDate'>;
  readonly thresholds: Thresholds;
  readonly clock: Clock;
}

export function createExporterVolumeRoute(deps: ExporterVolumeDeps): Router {
  const router = Router();
  router.get('/v1/exporters/:id/volume', async (req, res) => {
    const id = paramId(req, 'id');
    if (!isValidUscc(id))
      throw new AppError('BAD_REQUEST', 'Not a valid Unified Social Credit Code', [
        { path: '/params/id', message: 'fails the GB 32100 check character' },
      ]);
    assertOwnExporter(principalOf(res), id);
    const now = deps.clock.now();
    const total = await deps.volume.yearToDate(id, now);
    res.json({
      exporterId: id,
      year: shanghaiYear(now),
      individuals: total.individuals,
      sensitiveIndividuals: total.sensitive,
      thresholds: deps.thresholds,
      // api.md §10: at this year's pace, when it would reach 100,000 / 1,000,000 individuals and 10,000 sensitive.
      forecast: forecastVolume(total, deps.thresholds, now),
    });
  });
  return router;
}
