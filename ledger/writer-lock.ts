// ledger/writer-lock: at most one writer per ledger directory on this machine. A LOCK file names the writer's pid
// and process start time; a lock whose process is gone (kill -9, crash) is stale and may be taken over. This is
// the disk-side guard under the Redis lease: a paused ex-sequencer that lost its lease still holds LOCK, so the
// new one waits for it to step down instead of interleaving writes.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from './ledger-error.js';

export interface WriterLock {
  release(): Promise<void>;
}

/** Lock files held by this process: a second store on the same directory in one process is refused too. */
const heldHere = new Set<string>();

/** Takes the directory's writer lock or throws LedgerError('LOCKED') naming the live holder. */
export async function acquireWriterLock(dir: string): Promise<WriterLock> {
  const path = join(dir, 'LOCK');
  if (heldHere.has(path))
    throw new LedgerError('LOCKED', `${dir} is already open for writing in this process`);
  const content = `${process.pid} ${readStartTime(process.pid) ?? '-'}\n`;
  // Write the whole content to a private file first and link(2) it into place: LOCK appears atomically and
  // complete, so a reader never mistakes a half-written lock for a stale one.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(temp, path);
        heldHere.add(path);
        return { release: () => release(path, content) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readFile(path, 'utf8').catch(() => undefined);
      if (holder !== undefined && isLive(holder)) {
        throw new LedgerError('LOCKED', `${dir} is being written by process ${holder.split(' ')[0] ?? '?'}`);
      }
      // Stale: its process is gone. Remove it and try again.
      await unlink(path).catch(ignoreMissing);
    }
    throw new LedgerError('LOCKED', `could not take the writer lock of ${dir}`);
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
}

async function release(path: string, content: string): Promise<void> {
  if (!heldHere.delete(path)) return;
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) await unlink(path).catch(ignoreMissing);
}

function isLive(holder: string): boolean {
  const [pidText, start] = holder.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // A reused pid: the process start time (Linux /proc/<pid>/stat field 22) tells it apart.
  const now = readStartTime(pid);
  return start === undefined || start === '-' || now === undefined || now === start;
}

function readStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
