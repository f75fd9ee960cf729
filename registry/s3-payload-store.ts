// registry/s3-payload-store: the payload store in an S3-compatible object store (XBORDER_PAYLOAD_STORE=s3://…),
// for processes on hosts that share no disk. Same XBP1 envelope as the file store: only ciphertext leaves the
// process. Must not rely on conditional writes (If-None-Match): not every S3 server has them.
//
// Layout under the prefix:
//   blobs/<uuid>       one envelope per upload, streamed as a multipart upload
//   digests/<sha256>   the digest index: {"blob","bytes","storedAt"}; a payload exists once this is written
//   pending/<uuid>     a marker from the start of an upload until its digest index is written ({"sha256"?})
// Commit = the multipart upload completed, then the index updated. A crash before completion leaves an
// incomplete multipart upload, after it an orphan blob; `sweepTemp` aborts the first and deletes the second,
// both found through markers and upload listings older than its threshold.
import { randomUUID, type DecipherGCM } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { ObjectStore } from '../platform/object-store.js';
import {
  createEnvelopeWriter,
  envelopeHeaderBytes,
  envelopeTagBytes,
  openEnvelopeHeader,
  type EnvelopeWriter,
} from './payload-envelope.js';
import type { PayloadStore, PayloadWriter, StoredPayload } from './payload-store.js';

interface DigestIndex {
  readonly blob: string;
  readonly bytes: number;
  readonly storedAt: string;
}

interface PendingMarker {
  readonly sha256?: string;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

function parseJson(body: Uint8Array | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function parseIndex(body: Uint8Array | undefined, sha256: string): DigestIndex | undefined {
  const value = parseJson(body);
  if (value === undefined) return undefined;
  const v = value as Partial<Record<keyof DigestIndex, unknown>>;
  if (
    typeof v.blob !== 'string' ||
    !/^blobs\/[0-9a-f-]{36}$/.test(v.blob) ||
    typeof v.bytes !== 'number' ||
    typeof v.storedAt !== 'string' ||
    Number.isNaN(Date.parse(v.storedAt))
  ) {
    throw new Error(`digest index of payload ${sha256} is malformed`);
  }
  return { blob: v.blob, bytes: v.bytes, storedAt: v.storedAt };
}

const json = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value)));

export interface S3PayloadStoreOptions {
  /** Part size of the multipart uploads (default and minimum 5 MiB). */
  readonly partSize?: number;
  readonly now?: () => Date;
}

export function createS3PayloadStore(
  store: ObjectStore,
  wrapKey: Buffer,
  options: S3PayloadStoreOptions = {},
): PayloadStore {
  const now = options.now ?? (() => new Date());
  const indexKey = (sha256: string) => `digests/${sha256}`;
  const readIndex = async (sha256: string) => parseIndex(await store.getObject(indexKey(sha256)), sha256);

  /**
   * Points the digest index at a blob, or, when the digest is already stored, keeps the stored blob (readers
   * may be streaming it) and drops ours. Two uploads of the same bytes racing both write the index; each then
   * reads it back and the one that lost deletes its own blob, so one blob per digest remains.
   */
  async function publish(sha256: string, blob: string, bytes: number): Promise<void> {
    const existing = await readIndex(sha256);
    const kept = existing !== undefined && (await store.headObject(existing.blob)) !== undefined;
    const target = kept ? existing.blob : blob;
    // A repeat upload refreshes storedAt, so retention counts from the latest reference (as the file store does).
    await store.putObject(indexKey(sha256), json({ blob: target, bytes, storedAt: now().toISOString() }));
    if (target !== blob) {
      await store.deleteObject(blob);
      return;
    }
    const after = await readIndex(sha256);
    if (after !== undefined && after.blob !== blob) await store.deleteObject(blob);
  }

  async function createWriter(): Promise<PayloadWriter> {
    const id = randomUUID();
    const blob = `blobs/${id}`;
    const marker = `pending/${id}`;
    await store.putObject(marker, json({}));
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    const writer = createEnvelopeWriter(body, wrapKey) as EnvelopeWriter & PayloadWriter;
    const controller = new AbortController();
    let failure: Error | null = null;
    const uploaded = store
      .uploadStream(blob, body, {
        signal: controller.signal,
        ...(options.partSize === undefined ? {} : { partSize: options.partSize }),
      })
      .catch((err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
        if (!finished) writer.destroy(failure);
        throw failure;
      });
    // Observed in commit/abort; an upload that fails between them must not become an unhandled rejection.
    uploaded.catch(() => undefined);
    let finished = false;

    writer.commit = async (): Promise<StoredPayload> => {
      if (finished) throw new Error('payload writer already finished');
      finished = true;
      const { sha256, bytes, trailer } = await writer.seal();
      if (failure !== null) throw failure;
      body.end(trailer);
      // The upload is complete (durable in the store) before the digest exists: a 202 promises the bytes.
      await uploaded;
      await store.putObject(marker, json({ sha256 }));
      await publish(sha256, blob, bytes);
      await store.deleteObject(marker);
      return { sha256, bytes };
    };
    writer.abort = async () => {
      finished = true;
      writer.destroy();
      controller.abort();
      body.destroy();
      await uploaded.catch(() => undefined);
      await store.deleteObject(blob);
      await store.deleteObject(marker);
    };
    return writer;
  }

  async function openPayload(sha256: string): Promise<{ bytes: number; stream: Readable }> {
    const index = sha256Pattern.test(sha256) ? await readIndex(sha256) : undefined;
    const source = index === undefined ? undefined : await store.readObject(index.blob);
    if (index === undefined || source === undefined) {
      throw Object.assign(new Error(`payload ${sha256} is not in the store`), { code: 'ENOENT' });
    }
    return { bytes: index.bytes, stream: Readable.from(decryptEnvelope(source, wrapKey, sha256)) };
  }

  /** Aborts uploads and removes blobs that crashed writers left, if they started before `before`. */
  async function sweepTemp(before: Date): Promise<number> {
    let removed = 0;
    for await (const upload of store.listIncompleteUploads('blobs/')) {
      if (upload.initiated >= before) continue;
      await store.abortUpload(upload);
      removed += 1;
    }
    for await (const marker of store.listKeys('pending/')) {
      const started = (await store.headObject(marker))?.lastModified;
      if (started === undefined || started >= before) continue;
      const id = marker.slice('pending/'.length);
      const pending = parseJson(await store.getObject(marker)) as PendingMarker | undefined;
      const blob = `blobs/${id}`;
      const sha256 = pending?.sha256;
      // Completed and indexed: only the marker's deletion was lost. Otherwise the blob is nobody's.
      const indexed =
        typeof sha256 === 'string' && sha256Pattern.test(sha256) && (await readIndex(sha256))?.blob === blob;
      if (!indexed && (await store.headObject(blob)) !== undefined) {
        await store.deleteObject(blob);
        removed += 1;
      }
      await store.deleteObject(marker);
    }
    return removed;
  }

  return {
    createWriter,
    open: openPayload,
    sweepTemp,
    async has(sha256) {
      return sha256Pattern.test(sha256) && (await readIndex(sha256)) !== undefined;
    },
    async storedAt(sha256) {
      const index = sha256Pattern.test(sha256) ? await readIndex(sha256) : undefined;
      return index === undefined ? null : new Date(index.storedAt);
    },
    async remove(sha256) {
      if (!sha256Pattern.test(sha256)) return;
      const index = await readIndex(sha256);
      if (index === undefined) return;
      // The index first: a reader then finds no payload rather than an index that points at nothing.
      await store.deleteObject(indexKey(sha256));
      await store.deleteObject(index.blob);
    },
  };
}

/** Splits the stored envelope into header, ciphertext and final tag while streaming, and decrypts. */
async function* decryptEnvelope(source: Readable, wrapKey: Buffer, sha256: string): AsyncGenerator<Buffer> {
  let header = Buffer.alloc(0);
  let decipher: DecipherGCM | null = null;
  // The last 16 bytes seen so far may be the tag: held back until more ciphertext or the end arrives.
  let tail = Buffer.alloc(0);
  for await (const piece of source) {
    let chunk = piece as Buffer;
    if (decipher === null) {
      header = Buffer.concat([header, chunk]);
      if (header.length < envelopeHeaderBytes) continue;
      decipher = openEnvelopeHeader(header.subarray(0, envelopeHeaderBytes), wrapKey, sha256);
      chunk = header.subarray(envelopeHeaderBytes);
    }
    const data = Buffer.concat([tail, chunk]);
    const cut = Math.max(0, data.length - envelopeTagBytes);
    tail = data.subarray(cut);
    if (cut > 0) yield decipher.update(data.subarray(0, cut));
  }
  if (decipher === null || tail.length < envelopeTagBytes) throw new Error(`payload ${sha256} is truncated`);
  decipher.setAuthTag(tail);
  // Throws if any byte was altered: the consumer sees an error, never silently wrong bytes.
  const last = decipher.final();
  if (last.length > 0) yield last;
}
