// registry/open-payload-store: picks the payload store XBORDER_PAYLOAD_STORE names (files under the data dir, or
// an S3-compatible object store) for the composition roots. Must not hold payload logic of its own.
import path from 'node:path';
import type { Config } from '../platform/config.js';
import { createObjectStoreClient } from '../platform/object-store.js';
import { createPayloadStore, type PayloadStore } from './payload-store.js';
import { createS3PayloadStore } from './s3-payload-store.js';

export interface OpenedPayloadStore {
  readonly store: PayloadStore;
  /** `file` or `s3://bucket/prefix`, for logs and /readyz. */
  readonly location: string;
  /**
   * How old an unfinished upload must be before the sweeper takes it for a crash's leftover. A file upload
   * touches its temp file continuously, so a few minutes tell; a multipart upload carries only its start time,
   * and another gateway may still be streaming a 1 GiB payload into it, so a day (the usual S3 lifecycle rule
   * for incomplete uploads) tells.
   */
  readonly staleUploadMs: number;
  close(): void;
}

export function openPayloadStore(
  config: Pick<Config, 'dataDir' | 'payloadStore' | 'objectStore'>,
  wrapKey: Buffer,
): OpenedPayloadStore {
  const location = config.payloadStore;
  if (location.kind === 'file') {
    return {
      store: createPayloadStore(path.join(config.dataDir, 'payloads'), wrapKey),
      location: 'file',
      staleUploadMs: 10 * 60_000,
      close: () => undefined,
    };
  }
  const client = createObjectStoreClient(config.objectStore);
  const objects = client.open(location);
  return {
    store: createS3PayloadStore(objects, wrapKey),
    location: objects.location,
    staleUploadMs: 24 * 3600_000,
    close: () => client.close(),
  };
}
