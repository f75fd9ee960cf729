// bench/support/bench-result: the one row format every benchmark reports (a figure next to the baseline measured
// in the same run, their ratio, the target and whether it holds), the table they print, and the JSON line the
// runner (bench/run-all.ts) reads from each benchmark's output.
export interface BenchRow {
  readonly bench: string;
  /** What is measured, with its unit: "transfers/s", "MB/s", "p99 ms". */
  readonly measure: string;
  readonly xborder: number;
  /** The baseline's figure in the same unit, or null where the target is absolute (a latency, a memory cap). */
  readonly baseline: number | null;
  /** xborder ÷ baseline for rates (higher is better); null without a baseline. */
  readonly ratio: number | null;
  readonly target: string;
  /** Whether the target holds; null for figures reported without a target. */
  readonly holds: boolean | null;
  readonly note?: string;
}

const jsonMarker = 'BENCH-RESULT ';

/** A rate row: ratio = xborder / baseline, holding when the ratio reaches `minRatio`. */
export function rateRow(
  bench: string,
  measure: string,
  xborder: number,
  baseline: number,
  minRatio: number | null,
  note?: string,
): BenchRow {
  const ratio = xborder / baseline;
  return {
    bench,
    measure,
    xborder,
    baseline,
    ratio,
    target: minRatio === null ? '' : `≥ ${minRatio}`,
    holds: minRatio === null ? null : ratio >= minRatio,
    ...(note === undefined ? {} : { note }),
  };
}

/** An absolute row: holding when xborder stays below `max` (latency, memory). */
export function limitRow(
  bench: string,
  measure: string,
  xborder: number,
  max: number | null,
  note?: string,
): BenchRow {
  return {
    bench,
    measure,
    xborder,
    baseline: null,
    ratio: null,
    target: max === null ? '' : `< ${max}`,
    holds: max === null ? null : xborder < max,
    ...(note === undefined ? {} : { note }),
  };
}

const format = (n: number | null): string =>
  n === null
    ? ''
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en-US')
      : n.toFixed(Math.abs(n) >= 10 ? 1 : 2);

/** A Markdown table, so the output can go straight into docs/benchmarks.md. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['bench', 'measure', 'xborder', 'baseline', 'ratio', 'target', 'holds', 'note'];
  const cells = rows.map((r) => [
    r.bench,
    r.measure,
    format(r.xborder),
    format(r.baseline),
    r.ratio === null ? '' : r.ratio.toFixed(2),
    r.target,
    r.holds === null ? '' : r.holds ? 'yes' : '**no**',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Prints the table, and the machine-readable line the runner collects. */
export function report(rows: readonly BenchRow[]): void {
  console.log(formatTable(rows));
  console.log(`${jsonMarker}${JSON.stringify(rows)}`);
}

/** The rows a benchmark printed with `report`, from its output. */
export function parseReport(output: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const line of output.split('\n'))
    if (line.startsWith(jsonMarker)) rows.push(...(JSON.parse(line.slice(jsonMarker.length)) as BenchRow[]));
  return rows;
}
