// receiver/delivery-store: what the reference receiver keeps — each delivered payload under its transfer id,
// with the receipt it answered. The first complete delivery of a transfer id wins; a repeat with the same
// digest gets the same receipt (api.md §7 idempotence), a different digest is a conflict.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

  async function find(transferId: string): Promise<DeliveryMeta | null> {
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
      await mkdir(path.join(dir, 'tmp'), { recursive: true });
      const tmp = path.join(dir, 'tmp', `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let bytes = 0;
      body.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      try {
        await pipeline(body, createWriteStream(tmp));
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
          const handle = await open(tmp, 'r');
          await handle.sync();
          await handle.close();
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
