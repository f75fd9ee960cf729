// registry/payload-store: content-addressed payloads under the data dir, encrypted at rest with AES-256-GCM
// (a fresh data key per payload, wrapped by the master-derived key). Writes go to a temp file and appear
// under their SHA-256 only when complete, so a crash mid-upload leaves no visible partial payload; the temp files
// such a crash leaves behind are swept at gateway start. One interface, so an object store can replace the
// directory when processes span machines.
import { randomUUID, type DecipherGCM } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createEnvelopeWriter,
  envelopeHeaderBytes as headerBytes,
  type EnvelopeWriter,
  envelopeTagBytes as tagBytes,
  openEnvelopeHeader,
} from './payload-envelope.js';

export interface StoredPayload {
  readonly sha256: string;
  readonly bytes: number;
}

/** A Writable that encrypts to a temp file; `commit` makes it visible under its digest. */
export interface PayloadWriter extends Writable {
  /** Plaintext bytes written so far. */
  readonly bytesWritten: number;
  commit(): Promise<StoredPayload>;
  abort(): Promise<void>;
}

export interface PayloadStore {
  createWriter(): Promise<PayloadWriter>;
  /** Streams the plaintext; the stream errors if the ciphertext was tampered with (GCM tag). */
  open(sha256: string): Promise<{ readonly bytes: number; readonly stream: Readable }>;
  has(sha256: string): Promise<boolean>;
  /** When the payload was last stored (a repeat upload of the same bytes refreshes it), or null if absent. */
  storedAt(sha256: string): Promise<Date | null>;
  remove(sha256: string): Promise<void>;
  /**
   * Removes temp files not written to since `before`: what uploads cut short by a crash left. An upload in
   * progress writes continuously (and a stalled one is timed out long before), so `before` a few minutes back
   * never takes a live file, even from another gateway sharing the directory. Returns how many were removed.
   */
  sweepTemp(before: Date): Promise<number>;
}

export function createPayloadStore(dir: string, wrapKey: Buffer): PayloadStore {
  const tmpDir = path.join(dir, 'tmp');
  const fileOf = (sha256: string) => path.join(dir, sha256.slice(0, 2), `${sha256}.xbp`);
  // Directories are made once per process rather than once per payload (a mkdir per upload showed in profiles).
  const made = new Map<string, Promise<unknown>>();
  const ensureDir = (target: string): Promise<unknown> => {
    let done = made.get(target);
    if (done === undefined) {
      done = mkdir(target, { recursive: true });
      made.set(target, done);
      done.catch(() => made.delete(target));
    }
    return done;
  };

  async function createWriter(): Promise<PayloadWriter> {
    await ensureDir(tmpDir);
    const tmpFile = path.join(tmpDir, `${randomUUID()}.part`);
    // 1 MiB of buffer (the default is 16 KiB): with it, encryption of the next chunks overlaps the disk write of
    // the last ones instead of waiting for each 64 KiB write to come back from the thread pool.
    const out: WriteStream = createWriteStream(tmpFile, { mode: 0o600, highWaterMark: 1 << 20 });
    // A disk error fails the writer (and so the upload); after abort() the stream's errors are expected.
    let failure: Error | null = null;
    out.on('error', (err) => {
      failure ??= err;
      if (!finished) writer.destroy(err);
    });
    let finished = false;
    const writer = createEnvelopeWriter(out, wrapKey) as EnvelopeWriter & PayloadWriter;

    writer.commit = async () => {
      if (finished) throw new Error('payload writer already finished');
      finished = true;
      const { sha256, bytes, trailer } = await writer.seal();
      if (failure !== null) throw failure;
      out.write(trailer);
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      // fsync before the payload becomes visible: a 202 promises the bytes survive a crash.
      const handle = await open(tmpFile, 'r');
      await handle.sync();
      await handle.close();
      const target = fileOf(sha256);
      await ensureDir(path.dirname(target));
      if (await exists(target)) {
        await rm(tmpFile, { force: true });
        // The bytes are shared with an earlier upload: refresh the time so retention sees a new reference.
        const now = new Date();
        await utimes(target, now, now);
      } else await rename(tmpFile, target);
      return { sha256, bytes };
    };
    writer.abort = async () => {
      finished = true;
      writer.destroy();
      // Wait for the file stream to close: an open still pending would otherwise create the file after rm.
      if (!out.closed) {
        const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
        out.destroy();
        await closed;
      }
      await rm(tmpFile, { force: true });
    };
    return writer;
  }

  async function exists(file: string): Promise<boolean> {
    try {
      await stat(file);
      return true;
    } catch {
      return false;
    }
  }

  async function openPayload(sha256: string): Promise<{ bytes: number; stream: Readable }> {
    const file = fileOf(sha256);
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(headerBytes);
      await handle.read(header, 0, headerBytes, 0);
      const tag = Buffer.alloc(tagBytes);
      await handle.read(tag, 0, tagBytes, size - tagBytes);
      const decipher = openEnvelopeHeader(header, wrapKey, sha256);
      decipher.setAuthTag(tag);
      const bytes = size - headerBytes - tagBytes;
      const source = createReadStream(file, {
        start: headerBytes,
        end: size - tagBytes - 1,
        highWaterMark: 1 << 20,
      });
      const stream = Readable.from(decrypt(source, decipher));
      return { bytes, stream };
    } finally {
      await handle.close();
    }
  }

  async function sweepTemp(before: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(tmpDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith('.part')) continue;
      const file = path.join(tmpDir, name);
      const info = await stat(file).catch(() => null);
      if (info === null || info.mtimeMs >= before.getTime()) continue;
      await rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }

  return {
    createWriter,
    sweepTemp,
    open: openPayload,
    has: (sha256) => exists(fileOf(sha256)),
    async storedAt(sha256) {
      try {
        return (await stat(fileOf(sha256))).mtime;
      } catch {
        return null;
      }
    },
    remove: (sha256) => rm(fileOf(sha256), { force: true }),
  };
}

async function* decrypt(source: Readable, decipher: DecipherGCM): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield decipher.update(chunk as Buffer);
  // Throws if the ciphertext or tag was altered: the consumer sees an error, never silently wrong bytes.
  const last = decipher.final();
  if (last.length > 0) yield last;
}

/** Writes a whole buffer through a writer: for tests and seeding. */
export async function storeBuffer(store: PayloadStore, data: Buffer): Promise<StoredPayload> {
  const writer = await store.createWriter();
  await pipeline(Readable.from([data]), writer);
  return writer.commit();
}
