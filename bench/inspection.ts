// bench/inspection: content-inspection throughput against `grep -P -c` with the inspector's patterns (identifier
// shapes and context words) on the same generated CSV in the same run, beside grep with the identifier shapes
// alone, and peak RSS on a larger input. Prints a table; asserts nothing.
//
//   npx tsx bench/inspection.ts [--mb 100] [--gb 0.25] [--runs 3] [--keep]
//
// --mb: size of the throughput CSV; --gb: size of the memory-test CSV (use --gb 1 for the documented figure).
// A second table (issue #12) times the payload inspector, which reads every wrapping, on the same CSV plain,
// without its header row (the detectors' slow path), gzipped and zipped, against `grep -P -c` with the same
// patterns behind `zcat` / `unzip -p` (gzip -6 and zip -6 made by the system tools, outside the timings).
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectStream } from '../inspection/inspect-stream.js';
import type { InspectionReport } from '../inspection/inspector.js';
import { createPayloadInspector } from '../inspection/payload-inspector.js';
import { keywordPhrases } from '../inspection/keywords.js';

/** USCC characters (GB 32100): digits and upper-case letters other than I, O, S, V and Z, in either case here. */
const USCC_CHAR = '0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy';

/**
 * The inspector's identifier shapes as PCRE, one per detector: resident ID, USCC, mobile with +86/0086, 16-19
 * digit card, passport, Hong Kong/Macao permits, e-mail, a precise coordinate pair. grep only matches the shapes;
 * the inspector also validates check characters, birth dates and Luhn digits, and keys every person.
 */
const IDENTIFIER_PATTERN = [
  '(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])',
  `(?<![0-9A-Za-z])[${USCC_CHAR}]{2}[0-9]{6}[${USCC_CHAR}]{10}(?![0-9A-Za-z])`,
  '(?<![0-9])(?:\\+?86-?|0086)?1[3-9][0-9]{9}(?![0-9])',
  '(?<![0-9])[0-9]{16,19}(?![0-9])',
  '(?<![A-Za-z0-9])(?:[EGeg][0-9]{8}|[Ee][A-HJ-NP-Za-hj-np-z][0-9]{7}|[DSPdsp][Ee][0-9]{7})(?![A-Za-z0-9])',
  '(?<![A-Za-z0-9])(?:[Cc][0-9A-HJ-NP-Za-hj-np-z][0-9]{7}|[HMhm][0-9]{8,10})(?![A-Za-z0-9])',
  '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
  '[-+]?[0-9]{1,3}\\.[0-9]{4,}[ \\t]*[,;/]?[ \\t]*[-+]?[0-9]{1,3}\\.[0-9]{4,}',
].join('|');

/**
 * The context words the inspector looks for (inspection/keywords), written the way PCRE runs them fastest: the
 * Chinese words as their UTF-8 bytes, the English phrases in one case-insensitive group with the whole-word test
 * factored out, separators as in the inspector (space, '_', '-' or nothing).
 */
const KEYWORD_PATTERN = [
  ...keywordPhrases.chinese.map((word) =>
    [...Buffer.from(word, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''),
  ),
  `(?<![A-Za-z])(?i:${keywordPhrases.english.map((phrase) => phrase.split(' ').join('[ _-]?')).join('|')})(?![A-Za-z])`,
].join('|');

/** The baseline of issue 3, "grep -P with the same patterns": identifier shapes and context words, over bytes. */
const SAME_PATTERNS = `${IDENTIFIER_PATTERN}|${KEYWORD_PATTERN}`;

interface Args {
  readonly mb: number;
  readonly gb: number;
  readonly runs: number;
  readonly keep: boolean;
  readonly child: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    mb: Number(value('--mb') ?? 100),
    gb: Number(value('--gb') ?? 0.25),
    runs: Number(value('--runs') ?? 3),
    keep: argv.includes('--keep'),
    child: value('--child-rss'),
  };
}

/** mulberry32: a small deterministic PRNG so every run inspects the same bytes. */
function createRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) >>> 0;
  };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const WORDS =
  'the quick brown fox order shipped invoice total amount paid customer address warehouse 订单 已发货 金额 备注 客户 地址 南宁市 青秀区 东盟 物流'.split(
    ' ',
  );
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '黄', '周', 'Nguyen', 'Tan'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function generateCsv(file: string, bytes: number, seed: number): number {
  const r = createRandom(seed);
  const residentId = (): string => {
    const body =
      pad(110000 + r(540000), 6) +
      pad(1940 + r(70), 4) +
      pad(1 + r(12), 2) +
      pad(1 + r(28), 2) +
      pad(r(1000), 3);
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(body[i]) * (ID_WEIGHTS[i] as number);
    return body + ID_CHECK[sum % 11];
  };
  const card = (): string => {
    let digits = '622202';
    const length = 16 + r(4);
    while (digits.length < length - 1) digits += String(r(10));
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return digits + String((10 - (sum % 10)) % 10);
  };
  const mobile = (): string => `1${3 + r(7)}${pad(r(1e9), 9)}`;
  const text = (n: number): string => Array.from({ length: n }, () => WORDS[r(WORDS.length)]).join(' ');

  const fd = openSync(file, 'w');
  let written = 0;
  let rows = 0;
  let lines: string[] = ['row,name,id_number,mobile,email,card,note\n'];
  while (written < bytes) {
    rows++;
    const kind = r(10);
    let line: string;
    if (kind < 6) {
      line = `${rows},${SURNAMES[r(SURNAMES.length)]}${r(100)},${residentId()},${mobile()},user${rows}@example.com,${card()},"${text(4)}"\n`;
    } else if (kind < 7) {
      line = `${rows},order ${r(1e6)},${r(1e5)}.${pad(r(100), 2)},"${text(8)}",2024-${pad(1 + r(12), 2)}-${pad(1 + r(28), 2)},${r(1e9)},\n`;
    } else {
      line = `${rows},"${text(12)}",${r(1e6)},${r(1e4)},,,\n`;
    }
    lines.push(line);
    written += Buffer.byteLength(line);
    if (lines.length >= 10_000) {
      writeSync(fd, lines.join(''));
      lines = [];
    }
  }
  writeSync(fd, lines.join(''));
  closeSync(fd);
  return statSync(file).size;
}

interface Timing {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** CPU seconds (user + system): robust when other processes share the machine. */
  readonly cpu: number;
}

/** Runs a shell command and reads its children's CPU time from the POSIX `times` builtin. */
function timeShell(script: string, args: readonly string[]): Timing & { output: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', `${script}; times`, 'sh', ...args], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`benchmark command failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  const children = (lines[lines.length - 1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m === null ? 0 : Number(m[1]) * 60 + Number(m[2]);
  });
  return { seconds, cpu: children.reduce((a, b) => a + b, 0), output: lines.slice(0, -2).join(' ') };
}

async function timeInspector(file: string): Promise<Timing & { report: InspectionReport; keys: number }> {
  let keys = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  // 1 MiB reads: the inspector's cost, not the stream's per-chunk overhead (64 KiB chunks add about 0.1 s/100 MB).
  const report = await inspectStream(createReadStream(file, { highWaterMark: 1 << 20 }), {
    personKey: Buffer.alloc(32, 0x5a),
    onPersonKeys: (batch) => {
      keys += batch.length;
    },
  });
  const cpu = process.cpuUsage(cpuStarted);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: (cpu.user + cpu.system) / 1e6,
    report,
    keys,
  };
}

/** The payload inspector (every wrapping; what intake runs) over a file. */
async function timePayloadInspector(file: string): Promise<Timing & { report: InspectionReport }> {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const inspector = createPayloadInspector({
    personKey: Buffer.alloc(32, 0x5a),
    onPersonKeys: () => undefined,
  });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
    inspector.write(chunk as Buffer);
  const report = inspector.finish();
  const cpu = process.cpuUsage(cpuStarted);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: (cpu.user + cpu.system) / 1e6,
    report,
  };
}

function best<T extends Timing>(runs: readonly T[]): T {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
    .join('  ');
}

async function childRss(file: string): Promise<void> {
  const { report } = await timeInspector(file);
  // resourceUsage().maxRSS is in KiB (getrusage ru_maxrss).
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, bytes: report.bytes }));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child !== undefined) return childRss(args.child);

  const dir = mkdtempSync(path.join(tmpdir(), 'xborder-bench-'));
  try {
    const csv = path.join(dir, 'payload.csv');
    const size = generateCsv(csv, args.mb * 1e6, 1);
    const mb = size / 1e6;

    // LC_ALL=C: bytes, as the inspector sees them (its keywords are UTF-8 byte sequences), and grep's fastest mode.
    const grep = (flags: string, pattern: string) =>
      timeShell(`LC_ALL=C grep -P ${flags} "$1" "$2"`, [pattern, csv]);
    const sameRuns = Array.from({ length: args.runs }, () => grep('-c', SAME_PATTERNS));
    const shapeRuns = Array.from({ length: args.runs }, () => grep('-c', IDENTIFIER_PATTERN));
    const shapeAll = timeShell('LC_ALL=C grep -P -o "$1" "$2" | wc -l', [IDENTIFIER_PATTERN, csv]);
    const inspectorRuns = [];
    for (let i = 0; i < args.runs; i++) inspectorRuns.push(await timeInspector(csv));
    const same = best(sameRuns);
    const shapes = best(shapeRuns);
    const inspector = best(inspectorRuns);

    const bigCsv = path.join(dir, 'large.csv');
    const bigSize = generateCsv(bigCsv, args.gb * 1e9, 2);
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child-rss', bigCsv], {
      encoding: 'utf8',
    });
    const rss = JSON.parse(child.stdout) as { maxRssKiB: number; bytes: number };

    const widths = [34, 8, 8, 8, 8, 12, 11];
    const line = (name: string, t: Timing): string =>
      row(
        [
          name,
          t.seconds.toFixed(3),
          (mb / t.seconds).toFixed(1),
          t.cpu.toFixed(3),
          (mb / t.cpu).toFixed(1),
          (same.seconds / t.seconds).toFixed(2),
          (same.cpu / t.cpu).toFixed(2),
        ],
        widths,
      );
    console.log(`node ${process.version}, ${mb.toFixed(1)} MB CSV, best of ${args.runs} runs (by wall time)`);
    console.log(row(['engine', 'wall s', 'MB/s', 'CPU s', 'MB/s', 'ratio wall', 'ratio CPU'], widths));
    console.log(line('grep -P -c, same patterns', same));
    console.log(line('grep -P -c, identifier shapes only', shapes));
    console.log(line('grep -P -o | wc -l, shapes only', shapeAll));
    console.log(line('xborder inspector (file stream)', inspector));
    const findings = Object.entries(inspector.report.findings).map(([name, f]) => `${name}=${f.count}`);
    console.log(
      `grep -c matching lines: ${same.output} (same patterns), ${shapes.output} (shapes); grep -o shape matches: ${shapeAll.output}`,
    );
    console.log(`inspector findings: ${findings.join(' ')}`);
    console.log(
      `individuals: ${inspector.report.individualsDetected} (sensitive ${inspector.report.sensitiveIndividualsDetected}); person keys delivered: ${inspector.keys}`,
    );
    console.log(
      `peak RSS inspecting ${(bigSize / 1e9).toFixed(2)} GB: ${(rss.maxRssKiB / 1024).toFixed(0)} MiB`,
    );

    // Issue #12: the wrappings, each against grep -P with the same patterns on the same bytes, same run.
    const gz = path.join(dir, 'payload.csv.gz');
    const zipped = path.join(dir, 'payload.zip');
    const headerless = path.join(dir, 'headerless.csv');
    timeShell('gzip -6 -c "$1" > "$2" && zip -q -6 -j "$3" "$1" && tail -n +2 "$1" > "$4"', [
      csv,
      gz,
      zipped,
      headerless,
    ]);
    const cases: [string, string, string][] = [
      ['plain CSV', csv, 'LC_ALL=C grep -P -c "$1" "$2"'],
      ['CSV without header row', headerless, 'LC_ALL=C grep -P -c "$1" "$2"'],
      ['gzip of the CSV', gz, 'zcat "$2" | LC_ALL=C grep -P -c "$1"'],
      ['zip of the CSV', zipped, 'unzip -p "$2" | LC_ALL=C grep -P -c "$1"'],
    ];
    const wrapWidths = [26, 8, 8, 8, 8, 8, 8, 9];
    console.log(
      `wrappings (${mb.toFixed(1)} MB CSV), MB/s of the uncompressed CSV, best of ${args.runs} runs`,
    );
    console.log(
      row(['payload', 'grep s', 'grep CPU', 'xb s', 'xb CPU', 'xb MB/s', 'ratio', 'CPU ratio'], wrapWidths),
    );
    for (const [name, file, script] of cases) {
      const g = best(Array.from({ length: args.runs }, () => timeShell(script, [SAME_PATTERNS, file])));
      const runs = [];
      for (let i = 0; i < args.runs; i++) runs.push(await timePayloadInspector(file));
      const x = best(runs);
      console.log(
        row(
          [
            name,
            g.seconds.toFixed(3),
            g.cpu.toFixed(3),
            x.seconds.toFixed(3),
            x.cpu.toFixed(3),
            (mb / x.seconds).toFixed(1),
            (g.seconds / x.seconds).toFixed(2),
            (g.cpu / x.cpu).toFixed(2),
          ],
          wrapWidths,
        ),
      );
      const found = Object.entries(x.report.findings).map(([k, f]) => `${k}=${f.count}`);
      console.log(
        `  ${name}: containers ${x.report.containers.map((c) => c.format).join(',') || '-'}, opaque ${x.report.opaque.length}, ${found.join(' ')}`,
      );
    }
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
