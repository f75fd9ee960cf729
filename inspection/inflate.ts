// inspection/inflate: synchronous streaming DEFLATE (RFC 1951) and gzip (RFC 1952, multi-member) decompression
// for the container readers. Wraps fflate, the one file that imports it: its push() is synchronous, so the
// inspector's write() stays synchronous, and the output of one push is bounded by the slice pushed (a DEFLATE
// stream expands at most 1032 : 1), which is what lets the caller stop a bomb between two slices. Also writes a
// ZIP archive (the XLSX minimiser re-zips what it rewrote), so fflate stays behind this one file.
import { Gunzip, Inflate, zipSync, type Zippable } from 'fflate';

export type CompressedFormat = 'gzip' | 'deflate-raw';

export interface Decompressor {
  /** Throws on corrupt or truncated input (the caller makes the part opaque). */
  push(chunk: Uint8Array, final: boolean): void;
}

export function createDecompressor(
  format: CompressedFormat,
  onData: (chunk: Uint8Array) => void,
): Decompressor {
  const deliver = (chunk: Uint8Array): void => {
    if (chunk.length > 0) onData(chunk);
  };
  const engine = format === 'gzip' ? new Gunzip(deliver) : new Inflate(deliver);
  return { push: (chunk, final) => engine.push(chunk, final) };
}

/** A ZIP archive (DEFLATE, level 6) of these entries, in this order. Names are the archive's paths. */
export function createZipArchive(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const files: Zippable = {};
  for (const [name, data] of entries) files[name] = [data, { level: 6 }];
  return zipSync(files);
}
