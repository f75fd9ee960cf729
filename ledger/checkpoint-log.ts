// ledger/checkpoint-log: the append-only `checkpoints` file beside the store — one line per signed checkpoint,
// base64 of the note's UTF-8, appended with O_APPEND in a single write and fsynced. Any process may append (a
// write(2) with O_APPEND is atomic against other appenders on a local filesystem); a torn last line (crash during a
// write) is ignored, and the next append starts on a fresh line so it cannot glue onto the torn one.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBase64 } from './signed-note.js';

export const CHECKPOINTS_FILE = 'checkpoints';

/** Checkpoints are a few hundred bytes; the latest one is found within this many bytes from the end. */
const TAIL_BYTES = 64 * 1024;

export interface CheckpointRecord {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The note, or undefined when the line is not base64 of UTF-8 text (damaged or torn by a power loss). */
  readonly note: string | undefined;
}

export async function appendCheckpoint(dir: string, note: string): Promise<void> {
  const handle = await open(join(dir, CHECKPOINTS_FILE), 'a+');
  try {
    const { size } = await handle.stat();
    let fresh = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) fresh = '\n';
    }
    await handle.write(`${fresh}${Buffer.from(note, 'utf8').toString('base64')}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Every complete line of the file, in order (empty lines skipped). */
export function readCheckpointRecords(dir: string): CheckpointRecord[] {
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINTS_FILE), 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  lines.pop(); // the part after the last newline is empty or a torn record
  const records: CheckpointRecord[] = [];
  lines.forEach((line, i) => {
    if (line !== '') records.push({ line: i + 1, note: decodeNote(line) });
  });
  return records;
}

/** The last readable checkpoint note in the file, reading only its tail. */
export function readLatestCheckpoint(dir: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(join(dir, CHECKPOINTS_FILE), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = fstatSync(fd);
    const length = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const lines = tail.toString('latin1').split('\n');
    lines.pop();
    // The first line may be cut by the tail window; it is only used if nothing after it is readable.
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const note = decodeNote(lines[i] as string);
      if (note !== undefined && (i > 0 || length === size)) return note;
    }
    return length < size ? readCheckpointRecords(dir).findLast((r) => r.note !== undefined)?.note : undefined;
  } finally {
    closeSync(fd);
  }
}

function decodeNote(line: string): string | undefined {
  const bytes = decodeBase64(line);
  if (bytes === undefined || bytes.length === 0) return undefined;
  const note = new TextDecoder('utf-8', { fatal: true });
  try {
    return note.decode(bytes);
  } catch {
    return undefined;
  }
}
