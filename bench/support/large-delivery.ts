// bench/support/large-delivery: one large exempt transfer submitted from a file and followed to its receipt, with
// gateway and workers RSS sampled throughout (intake included). The delivery's time is the transfer's own record:
// from its release (status `releasing`) to its receipt (`released`). Used by bench/delivery and bench/object-store.
import type { Cluster } from '../../test/chaos/support/cluster.js';
import { upload } from '../../test/chaos/support/upload.js';
import { startRssSampler } from './rss-sampler.js';

export interface Delivered {
  readonly seconds: number;
  /** Peak VmRSS in bytes by role: `gateway`, `workers`. */
  readonly peaks: Record<string, number>;
}

/** Submits `file` (`size` bytes) as an exempt transfer and waits up to `timeoutMs` for its receipt. */
export async function deliverLargeFile(
  cluster: Cluster,
  file: string,
  size: number,
  timeoutMs: number,
): Promise<Delivered> {
  const rss = startRssSampler(
    {
      gateway: cluster.process('gateway').child.pid ?? 0,
      workers: cluster.process('workers').child.pid ?? 0,
    },
    20,
  );
  try {
    const manifest = cluster.exemptManifest();
    const token = await cluster.token('enterprise', 'bench-user', manifest['exporterId'] as string);
    const answer = await upload({
      url: `${cluster.gatewayUrl}/v1/transfers`,
      token,
      manifest,
      payload: { file, bytes: size },
    });
    if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${answer.text}`);
    const id = (JSON.parse(answer.text) as { id: string }).id;
    const done = await cluster.settle(id, ['released', 'held', 'delivery_failed'], timeoutMs);
    if (done.status !== 'released' || done.release === null)
      throw new Error(`transfer ${id} ended ${done.status}: ${JSON.stringify(done.holdReasons)}`);
    return {
      seconds: (Date.parse(done.statusSince) - Date.parse(done.release.at)) / 1000,
      peaks: rss.peaks(),
    };
  } finally {
    rss.stop();
  }
}
