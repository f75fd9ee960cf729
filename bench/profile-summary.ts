// bench/profile-summary: reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went — self time by
// function and by file or package — so a benchmark's finding can cite its profile in docs/benchmarks.md.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseBenchArgs } from './support/args.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** node_modules/<pkg> or the project file, so self time groups by library and by room. */
function placeOf(url: string): string {
  if (url === '') return '(native/vm)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return `npm:${modules[1] ?? ''}`;
  if (url.startsWith('node:')) return url;
  const project =
    /\/(?:dist\/)?((?:gateway|workers|registry|ledger|inspection|policies|certs|platform|receiver|cli)\/[^/]+)$/.exec(
      url,
    );
  return project?.[1] ?? url.replace(/^file:\/\//, '');
}

export function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  // Percentages of busy time: idle samples say nothing about where the work goes.
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  for (const id of idle) self.delete(id);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const place = placeOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `busy ${(total / 1e6).toFixed(2)} s sampled (idle excluded)`,
    'self time by file or package:',
    ...lines(byPlace),
    'self time by function:',
    ...lines(byFunction),
  ].join('\n');
}

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: profile-summary <file.cpuprofile> [--top N]');
  process.exit(2);
}
console.log(
  summarise(
    JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
    parseBenchArgs(process.argv.slice(3)).number('top', 25),
  ),
);
