// transfers/minimisation/zip-entries: a whole ZIP archive (an XLSX) read into its entries, decompressed, within a bound on the
// bytes it may expand to (a zip bomb is refused, not read). Fails closed: an encrypted entry, a method other than
// stored or DEFLATE, a duplicate name, a truncated or corrupt archive each refuse it. Pure: bytes in, bytes out.
import { createDecompressor } from '../../inspection/inflate.js';
import { createZipReader } from '../../inspection/zip-reader.js';
import { MinimiseError } from './minimise-error.js';

const refuse = (message: string) => new MinimiseError('', message, false);

/** The entries in archive order; throws MinimiseError (payload not minimisable). */
export function readZipEntries(archive: Uint8Array, maxExpandedBytes: number): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  let expanded = 0;
  const broken: { reason?: string } = {};
  const count = (n: number) => {
    expanded += n;
    if (expanded > maxExpandedBytes)
      throw refuse(
        `the workbook expands past ${maxExpandedBytes} bytes (XBORDER_INSPECT_MAX_EXPANDED_BYTES)`,
      );
  };
  const reader = createZipReader({
    onEntry(header) {
      if (header.encrypted) throw refuse(`the workbook entry ${header.name} is encrypted`);
      if (header.method !== 0 && header.method !== 8)
        throw refuse(`the workbook entry ${header.name} uses compression method ${header.method}`);
      if (entries.has(header.name)) throw refuse(`the workbook has two entries named ${header.name}`);
      const parts: Uint8Array[] = [];
      const collect = (chunk: Uint8Array) => {
        count(chunk.length);
        parts.push(chunk);
      };
      const inflate = header.method === 8 ? createDecompressor('deflate-raw', collect) : null;
      return {
        write(raw) {
          if (inflate === null) return collect(raw);
          // One slice at a time, so a bomb is stopped within 64 KiB × 1032 of the bound.
          for (let at = 0; at < raw.length; at += 65536) {
            try {
              inflate.push(raw.subarray(at, at + 65536), false);
            } catch (err) {
              if (err instanceof MinimiseError) throw err;
              throw refuse(`the workbook entry ${header.name} is not valid DEFLATE data`);
            }
          }
        },
        end(complete) {
          if (!complete) return;
          if (inflate !== null) {
            try {
              inflate.push(new Uint8Array(0), true);
            } catch (err) {
              if (err instanceof MinimiseError) throw err;
              throw refuse(`the workbook entry ${header.name} is not valid DEFLATE data`);
            }
          }
          entries.set(header.name, Buffer.concat(parts));
        },
      };
    },
    onBroken(reason) {
      broken.reason = reason;
    },
  });
  reader.write(archive);
  reader.end();
  if (broken.reason !== undefined)
    throw refuse(`the payload is not a readable ZIP archive (${broken.reason})`);
  if (entries.size === 0) throw refuse('the payload is not a ZIP archive: an XLSX workbook is one');
  return entries;
}
