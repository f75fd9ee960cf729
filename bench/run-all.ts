// bench/run-all: `npm run bench` — runs every benchmark in its own process, one after the other, and prints one
// table: each figure next to the baseline measured in the same run, their ratio, the target and whether it holds.
// Sizes are small by default so the whole run takes a few minutes on a 2-core machine; --full uses the sizes
// documented in docs/benchmarks.md (1 GiB payloads, 100 MB inspection, 20,000 ledger events, an archive of 1.5
// million transfers).
//
//   npm run bench [-- --full] [-- --only pipeline,intake,delivery,minimise,inspection,ledger,cli-start,report-query]
//
// Asserts nothing (timings are never part of `npm test`); exits non-zero only if a benchmark fails to run.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { formatTable, parseReport, type BenchRow } from './support/bench-result.js';

const full = process.argv.includes('--full');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;

interface Bench {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  /** Rows from the benchmark's output, for benchmarks that print their own format. */
  readonly parse?: (output: string) => BenchRow[];
}

/** The columns of a line of bench/inspection.ts's table that starts with `name`. */
function columnsOf(output: string, name: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(name)) ?? '';
  return line.slice(name.length).trim().split(/\s+/);
}

function parseInspection(output: string): BenchRow[] {
  const grep = Number(columnsOf(output, 'grep -P -c, same patterns')[1]);
  const inspector = Number(columnsOf(output, 'xborder inspector (file stream)')[1]);
  const mb = /node \S+, ([\d.]+) MB CSV/.exec(output)?.[1] ?? '?';
  const rss = /peak RSS inspecting ([\d.]+) GB: (\d+) MiB/.exec(output);
  return [
    {
      bench: 'inspection',
      measure: `MB/s, ${mb} MB CSV (60% person rows)`,
      xborder: inspector,
      baseline: grep,
      ratio: inspector / grep,
      target: '≥ 1',
      holds: inspector >= grep,
      note: 'baseline: grep -P -c with the same patterns',
    },
    {
      bench: 'inspection',
      measure: 'peak RSS MiB',
      xborder: Number(rss?.[2]),
      baseline: null,
      ratio: null,
      target: '< 150',
      holds: Number(rss?.[2]) < 150,
      note: `inspecting ${rss?.[1] ?? '?'} GB (node and tsx included)`,
    },
  ];
}

function parseLedger(output: string): BenchRow[] {
  const rate = (label: string) =>
    Number(
      (new RegExp(`${label.replace(/[()+.]/g, '\\$&')}\\s+([\\d,]+)/s`).exec(output)?.[1] ?? 'NaN').replace(
        /,/g,
        '',
      ),
    );
  const raw = rate('raw group commit (same bytes)');
  const ledger = rate('ledger.append (group commit)');
  const n = /ledger bench: (\d+) events/.exec(output)?.[1] ?? '?';
  return [
    {
      bench: 'ledger',
      measure: `appends/s, ${n} events`,
      xborder: ledger,
      baseline: raw,
      ratio: ledger / raw,
      target: '≥ 0.25',
      holds: ledger / raw >= 0.25,
      note: 'baseline: raw group commit of the same bytes',
    },
  ];
}

const benches: readonly Bench[] = [
  {
    name: 'pipeline',
    script: 'bench/pipeline.ts',
    args: full ? ['--n', '2000', '--latency-seconds', '60'] : ['--n', '400', '--latency-seconds', '15'],
  },
  { name: 'intake', script: 'bench/intake.ts', args: ['--mb', full ? '1024' : '256'] },
  { name: 'delivery', script: 'bench/delivery.ts', args: ['--mb', full ? '1024' : '256'] },
  { name: 'minimise', script: 'bench/minimise-intake.ts', args: full ? ['--full', '--runs', '1'] : [] },
  {
    name: 'inspection',
    script: 'bench/inspection.ts',
    args: full ? ['--mb', '100', '--gb', '1', '--runs', '5'] : ['--mb', '50', '--gb', '0.1', '--runs', '3'],
    parse: parseInspection,
  },
  {
    name: 'ledger',
    script: 'bench/ledger.ts',
    args: full ? [] : ['--n', '5000', '--rounds', '3'],
    parse: parseLedger,
  },
  { name: 'cli-start', script: 'bench/cli-start.ts', args: full ? ['--rounds', '31'] : ['--rounds', '11'] },
  {
    name: 'report-query',
    script: 'bench/report-query.ts',
    args: full ? [] : ['--rows', '300000', '--share', '10', '--runs', '3'],
  },
];

function run(bench: Bench): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench.script, ...bench.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${bench.script} exited ${code}:\n${err}${out}`)),
    );
  });
}

const rows: BenchRow[] = [];
const started = Date.now();
for (const bench of benches) {
  if (only !== null && !only.includes(bench.name)) continue;
  const command = `npx tsx ${bench.script} ${bench.args.join(' ')}`.trim();
  process.stderr.write(`running ${command}\n`);
  const output = await run(bench);
  rows.push(...(bench.parse ?? parseReport)(output));
}
console.log(formatTable(rows));
console.log(
  `\nnode ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}; ${((Date.now() - started) / 1000).toFixed(0)} s${full ? ' (--full)' : ''}`,
);
