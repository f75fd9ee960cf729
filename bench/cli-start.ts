// bench/cli-start: how long `xborder --help`, `xborder token mint` and `xborder status` take from exec to exit,
// against `node -e 0` in the same run (issue 15: each within 2× node's own start). Rounds interleave the
// commands so a busy machine weighs on all alike; medians are reported. Runs the built CLI (npm run build).
//   npx tsx bench/cli-start.ts [--rounds 15]      Prints; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { report, type BenchRow } from './support/bench-result.js';

const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 15;
const cli = path.resolve('dist/cli/main.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'xborder-bench-cli-'));
const env = { ...process.env, XBORDER_DATA_DIR: dataDir };

const setup = spawnSync(process.execPath, [cli, 'certs', 'init'], { env, stdio: 'ignore' });
if (setup.status !== 0) throw new Error('xborder certs init failed (run npm run build first)');

const cases: Record<string, readonly string[]> = {
  'node -e 0': ['-e', '0'],
  'xborder --help': [cli, '--help'],
  'xborder token mint': [cli, 'token', 'mint', '--role', 'reviewer', '--sub', 'bench'],
  // Port 9 (discard) on loopback refuses at once: this times start-up and one failed connection.
  'xborder status': [cli, 'status', 'X', '--url', 'http://127.0.0.1:9', '--token', 't'],
};
const times = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));

for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, args] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    times.get(name)?.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
rmSync(dataDir, { recursive: true, force: true });

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const node = median(times.get('node -e 0') ?? []);
const rows: BenchRow[] = Object.keys(cases)
  .filter((name) => name !== 'node -e 0')
  .map((name) => {
    const ms = median(times.get(name) ?? []);
    // A time, lower is better: the ratio is xborder ÷ node here, the target a ceiling.
    return {
      bench: 'cli-start',
      measure: `${name}, median ms`,
      xborder: Math.round(ms),
      baseline: Math.round(node),
      ratio: ms / node,
      target: '≤ 2 (× node)',
      holds: ms / node <= 2,
      note: `baseline: node -e 0, ${ROUNDS} interleaved rounds`,
    };
  });
report(rows);
