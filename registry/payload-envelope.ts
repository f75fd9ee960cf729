// registry/payload-envelope: the XBP1 envelope every payload store writes (AES-256-GCM under a fresh data key per
// payload, the data key wrapped by the master-derived key). Crypto on buffers and on the stream it is handed: it
// opens no files and no connections.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  type CipherGCM,
  type DecipherGCM,
} from 'node:crypto';
import { Writable } from 'node:stream';

const magic = Buffer.from('XBP1');
const ivBytes = 12;
/** The GCM tag that ends the envelope (after the ciphertext). */
export const envelopeTagBytes = 16;
/** magic | wrap iv | wrap tag | wrapped data key (32) | data iv */
export const envelopeHeaderBytes = magic.length + ivBytes + envelopeTagBytes + 32 + ivBytes;

/** A new envelope: write `header`, then `cipher.update` of each chunk, then `cipher.final()` and its auth tag. */
export function createEnvelopeSealer(wrapKey: Buffer): {
  readonly header: Buffer;
  readonly cipher: CipherGCM;
} {
  const dataKey = randomBytes(32);
  const wrapIv = randomBytes(ivBytes);
  const wrap = createCipheriv('aes-256-gcm', wrapKey, wrapIv);
  const wrapped = Buffer.concat([wrap.update(dataKey), wrap.final()]);
  const dataIv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', dataKey, dataIv);
  return { header: Buffer.concat([magic, wrapIv, wrap.getAuthTag(), wrapped, dataIv]), cipher };
}

/**
 * The decipher for the ciphertext that follows `header`; the caller sets the final tag before `final()`, which
 * then throws on any altered byte. Throws when the header is not XBP1 or the data key does not unwrap.
 */
export function openEnvelopeHeader(header: Buffer, wrapKey: Buffer, sha256: string): DecipherGCM {
  if (header.length < envelopeHeaderBytes || !header.subarray(0, magic.length).equals(magic))
    throw new Error(`payload ${sha256} has an unknown format`);
  let at = magic.length;
  const take = (n: number) => header.subarray(at, (at += n));
  const wrapIv = take(ivBytes);
  const wrapTag = take(envelopeTagBytes);
  const wrapped = take(32);
  const dataIv = take(ivBytes);
  const unwrap = createDecipheriv('aes-256-gcm', wrapKey, wrapIv);
  unwrap.setAuthTag(wrapTag);
  const dataKey = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
  return createDecipheriv('aes-256-gcm', dataKey, dataIv);
}

/** The plaintext side of an upload; see `createEnvelopeWriter`. */
export interface EnvelopeWriter extends Writable {
  /** Plaintext bytes written so far. */
  readonly bytesWritten: number;
  /**
   * Ends the plaintext and answers its digest and size, and the envelope's last bytes (final block and GCM tag),
   * which the caller writes to the sink before ending it.
   */
  seal(): Promise<{ readonly sha256: string; readonly bytes: number; readonly trailer: Buffer }>;
}

/**
 * A Writable that counts and hashes the plaintext it is given and writes its envelope to `sink`: the header at
 * once, then the ciphertext, waiting on the sink's backpressure. Both payload stores write through it.
 */
export function createEnvelopeWriter(sink: Writable, wrapKey: Buffer): EnvelopeWriter {
  const { header, cipher } = createEnvelopeSealer(wrapKey);
  const hash = createHash('sha256');
  sink.write(header);
  let bytes = 0;
  const writer = new Writable({
    // 1 MiB (the default is 16 KiB): encryption of the next chunks overlaps the sink's write of the last ones.
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      if (sink.write(cipher.update(chunk))) callback();
      else sink.once('drain', () => callback());
    },
  }) as EnvelopeWriter;
  Object.defineProperty(writer, 'bytesWritten', { get: () => bytes });
  writer.seal = async () => {
    if (!writer.writableFinished)
      await new Promise<void>((resolve, reject) =>
        writer.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    return {
      sha256: hash.digest('hex'),
      bytes,
      trailer: Buffer.concat([cipher.final(), cipher.getAuthTag()]),
    };
  };
  return writer;
}
