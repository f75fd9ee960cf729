// bench/support/rss-sampler: samples the resident set size of other processes from /proc/<pid>/status (Linux)
// every few milliseconds and keeps the peak, so a benchmark can report memory of the processes it measures.
import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** Peak VmRSS seen per name since start (or the last reset), in bytes. */
  peaks(): Record<string, number>;
  /** Current VmRSS per name, in bytes. */
  current(): Record<string, number>;
  reset(): void;
  stop(): void;
}

/** VmRSS of a process in bytes, or 0 when it is gone or /proc is not there. */
export function readRss(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds a process has used (fields 14 and 15 of /proc/<pid>/stat, at 100 ticks/s). */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function startRssSampler(pids: Readonly<Record<string, number>>, everyMs = 50): RssSampler {
  let peaks: Record<string, number> = {};
  const sample = (): Record<string, number> => {
    const now: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) {
      now[name] = readRss(pid);
      peaks[name] = Math.max(peaks[name] ?? 0, now[name]);
    }
    return now;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peaks: () => ({ ...peaks }),
    current: sample,
    reset() {
      peaks = {};
      sample();
    },
    stop: () => clearInterval(timer),
  };
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The pid of the redis-server answering at `client` (INFO server: process_id). */
export async function redisPid(client: { info(section: string): Promise<string> }): Promise<number> {
  const match = /^process_id:(\d+)/m.exec(await client.info('server'));
  return match === null ? 0 : Number(match[1]);
}
