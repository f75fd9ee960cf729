// receiver/delivery-store: what the reference receiver keeps — each delivered payload under its transfer id,
// with the receipt it answered. The first complete delivery of a transfer id wins; a repeat with the same
// digest gets the same receipt (api.md §7 idempotence), a different digest is a conflict.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface DeliveryMeta {
  readonly transferId: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly receipt: string;
  readonly receivedAt: string;
}

export interface Received {
  readonly sha256: string;
  readonly bytes: number;
  /** Call to keep the bytes; call `discard` instead when they do not match what was announced. */
  keep(meta: DeliveryMeta): Promise<DeliveryMeta>;
  discard(): Promise<void>;
}

export interface DeliveryStore {
  find(transferId: string): Promise<DeliveryMeta | null>;
  /** Streams a body to a temp file, hashing it. */
  receive(body: Readable): Promise<Received>;
  payloadPath(transferId: string): string;
}

export function createDeliveryStore(dir: string): DeliveryStore {
  const metaPath = (id: string) => path.join(dir, `${id}.json`);
  const payloadPath = (id: string) => path.join(dir, `${id}.bin`);

  let tmpDir: Promise<unknown> | null = null;

  async function find(transferId: string): Promise<DeliveryMeta | null> {
    // Most deliveries are new: a stat answers that without a failed open and its error object.
    if (!existsSync(metaPath(transferId))) return null;
    try {
      return JSON.parse(await readFile(metaPath(transferId), 'utf8')) as DeliveryMeta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  return {
    find,
    payloadPath,
    async receive(body) {
      // Made once per process, not once per delivery (profiles showed mkdir and open among the receiver's costs).
      tmpDir ??= mkdir(path.join(dir, 'tmp'), { recursive: true }).catch((err: unknown) => {
        tmpDir = null;
        throw err;
      });
      await tmpDir;
      const tmp = path.join(dir, 'tmp', `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let bytes = 0;
      body.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      try {
        // flush: fsync before the file is closed, so keep() need not open it again to make it durable.
        await pipeline(body, createWriteStream(tmp, { flush: true }));
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      const sha256 = hash.digest('hex');
      return {
        sha256,
        bytes,
        discard: () => rm(tmp, { force: true }),
        async keep(meta) {
          await rename(tmp, payloadPath(meta.transferId));
          try {
            // 'wx': of two concurrent deliveries of one transfer, the first to record its receipt wins.
            await writeFile(metaPath(meta.transferId), JSON.stringify(meta), { flag: 'wx' });
            return meta;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
            return (await find(meta.transferId)) ?? meta;
          }
        },
      };
    },
  };
}
