// ledger/file-reads: synchronous positioned reads shared by the store and the verifier — exact reads, and a
// buffered reader for forward scans. No writes.
import { readSync } from 'node:fs';
import { LedgerError } from './ledger-error.js';

/** Exactly `length` bytes at `position`, or LedgerError('CORRUPT') when the file is shorter. */
export function readExactly(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new LedgerError('CORRUPT', `short read at ${position} (wanted ${length} bytes)`);
    done += n;
  }
  return buf;
}

export interface ChunkReader {
  /** Bytes [position, position + count), or undefined past `size`. */
  read(position: number, count: number): Buffer | undefined;
}

/** Reads 1 MiB (or more) at a time so a forward scan costs few system calls. */
export function createChunkReader(fd: number, size: number): ChunkReader {
  let buffer: Buffer = Buffer.alloc(0);
  let bufferStart = 0;
  return {
    read(position, count) {
      if (position < 0 || count < 0 || position + count > size) return undefined;
      if (position < bufferStart || position + count > bufferStart + buffer.length) {
        buffer = readExactly(fd, position, Math.min(Math.max(1024 * 1024, count), size - position));
        bufferStart = position;
      }
      return buffer.subarray(position - bufferStart, position - bufferStart + count);
    },
  };
}
