// transfers/minimisation/record-splitter: cuts a byte stream into records at line ends that are not inside an RFC 4180
// quoted field (CSV/TSV), or at every LF (JSON Lines, whose strings cannot hold a raw newline). Pure. Works on
// bytes: the delimiters are ASCII, and no byte of a multi-byte UTF-8 character is below 0x80.
import { MinimiseError } from './minimise-error.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A record longer than this is refused (a runaway quote would otherwise buffer the whole payload). */
export const maxRecordBytes = 16 * 1024 * 1024;

export interface RecordSplitter {
  /** Calls `onRecord(body, terminator)` for every record completed by this chunk. */
  write(chunk: Uint8Array, onRecord: (body: Uint8Array, terminator: Uint8Array) => void): void;
  /** The last record (without a terminator), if any; throws when a quoted field is still open. */
  end(onRecord: (body: Uint8Array, terminator: Uint8Array) => void): void;
}

const none = new Uint8Array(0);

export function createRecordSplitter(quoted: boolean): RecordSplitter {
  let pending: Uint8Array = none;
  let inQuotes = false;
  let scanned = 0;
  let recordNo = 0;
  return {
    write(chunk, onRecord) {
      const buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let start = 0;
      let i = scanned;
      for (; i < buf.length; i++) {
        const c = buf[i];
        if (quoted && c === QUOTE) {
          // `""` inside a quoted field toggles out and back in: the state stays right.
          inQuotes = !inQuotes;
          continue;
        }
        if (inQuotes || (c !== LF && c !== CR)) continue;
        if (c === CR && !quoted) continue; // JSON Lines: CR before LF is part of the terminator (below)
        let end = i + 1;
        if (c === CR) {
          if (i + 1 === buf.length) break; // CRLF or CR alone: decided by the next chunk
          if (buf[i + 1] === LF) end = i + 2;
        }
        let bodyEnd = i;
        if (!quoted && bodyEnd > start && buf[bodyEnd - 1] === CR) bodyEnd--;
        recordNo++;
        onRecord(buf.subarray(start, bodyEnd), buf.subarray(bodyEnd, end));
        start = end;
        i = end - 1;
      }
      pending = start === buf.length ? none : Uint8Array.from(buf.subarray(start));
      scanned = i - start;
      if (pending.length > maxRecordBytes)
        throw new MinimiseError('', `record ${recordNo + 1} is longer than ${maxRecordBytes} bytes`, false);
    },
    end(onRecord) {
      if (inQuotes) throw new MinimiseError('', `record ${recordNo + 1} ends inside a quoted field`, false);
      if (pending.length > 0) {
        const last = pending;
        pending = none;
        // A CR kept back at the very end is a terminator on its own.
        if (quoted && last[last.length - 1] === CR)
          onRecord(last.subarray(0, last.length - 1), last.subarray(last.length - 1));
        else onRecord(last, none);
      }
    },
  };
}
