// policies/reachability: load-time proof that a decision-table row can still match after every earlier row failed
// (first match wins, regulation.md §10.2). Conditions are expanded into disjunctions of "cubes" (per-fact
// constraints) and earlier rows are subtracted; an empty remainder is an unreachable row. Pure; never used per request.
import type { ConditionNode } from './condition.js';
import { factCatalogue, type FactName } from './fact-catalogue.js';

type Constraint =
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'enum'; readonly values: ReadonlySet<string> }
  | { readonly t: 'set'; readonly must: ReadonlySet<string>; readonly mustNot: ReadonlySet<string> }
  | { readonly t: 'int'; readonly min: number; readonly max: number };

/** A conjunction of per-fact constraints; a condition is a disjunction of cubes. */
type Cube = ReadonlyMap<FactName, Constraint>;

/** Above this many cubes the proof gives up and the row counts as reachable (never a false "unreachable"). */
const cubeLimit = 50_000;

class TooComplex extends Error {}

function intersect(a: Constraint, b: Constraint): Constraint | null {
  if (a.t === 'bool' && b.t === 'bool') return a.value === b.value ? a : null;
  if (a.t === 'enum' && b.t === 'enum') {
    const values = new Set([...a.values].filter((v) => b.values.has(v)));
    return values.size === 0 ? null : { t: 'enum', values };
  }
  if (a.t === 'set' && b.t === 'set') {
    const must = new Set([...a.must, ...b.must]);
    const mustNot = new Set([...a.mustNot, ...b.mustNot]);
    for (const v of must) if (mustNot.has(v)) return null;
    return { t: 'set', must, mustNot };
  }
  if (a.t === 'int' && b.t === 'int') {
    const min = Math.max(a.min, b.min);
    const max = Math.min(a.max, b.max);
    return min < max ? { t: 'int', min, max } : null;
  }
  return null;
}

function merge(a: Cube, b: Cube): Cube | null {
  const out = new Map(a);
  for (const [fact, constraint] of b) {
    const mine = out.get(fact);
    const joined = mine === undefined ? constraint : intersect(mine, constraint);
    if (joined === null) return null;
    out.set(fact, joined);
  }
  return out;
}

function product(left: readonly Cube[], right: readonly Cube[]): Cube[] {
  const out: Cube[] = [];
  for (const a of left) {
    for (const b of right) {
      const m = merge(a, b);
      if (m !== null) out.push(m);
    }
  }
  if (out.length > cubeLimit) throw new TooComplex();
  return out;
}

const one = (fact: FactName, c: Constraint): Cube[] => [new Map([[fact, c]])];

/** The cubes of an atom, or of its negation. */
function atomCubes(
  node: Extract<ConditionNode, { type: 'bool' | 'enum' | 'has' | 'range' }>,
  negate: boolean,
): Cube[] {
  switch (node.type) {
    case 'bool':
      return one(node.fact, { t: 'bool', value: node.value !== negate });
    case 'enum': {
      const kind = factCatalogue[node.fact];
      const domain = kind.kind === 'enum' ? kind.values : [];
      const values = negate ? domain.filter((v) => !node.values.includes(v)) : node.values;
      return values.length === 0 ? [] : one(node.fact, { t: 'enum', values: new Set(values) });
    }
    case 'has': {
      const v = new Set([node.value]);
      return one(
        node.fact,
        negate ? { t: 'set', must: new Set(), mustNot: v } : { t: 'set', must: v, mustNot: new Set() },
      );
    }
    case 'range': {
      // Counts are non-negative integers: the complement of [min, max) is [0, min) ∪ [max, ∞).
      if (!negate) return one(node.fact, { t: 'int', min: node.min, max: node.max });
      const out: Cube[] = [];
      if (node.min > 0) out.push(...one(node.fact, { t: 'int', min: 0, max: node.min }));
      if (node.max !== Infinity) out.push(...one(node.fact, { t: 'int', min: node.max, max: Infinity }));
      return out;
    }
  }
}

function cubes(node: ConditionNode, negate: boolean): Cube[] {
  switch (node.type) {
    case 'const':
      return node.value !== negate ? [new Map()] : [];
    case 'not':
      return cubes(node.item, !negate);
    case 'all':
    case 'any': {
      const conjunction = (node.type === 'all') !== negate;
      const parts = node.items.map((item) => cubes(item, negate));
      if (!conjunction) {
        const out = parts.flat();
        if (out.length > cubeLimit) throw new TooComplex();
        return out;
      }
      return parts.reduce<Cube[]>((acc, part) => product(acc, part), [new Map()]);
    }
    default:
      return atomCubes(node, negate);
  }
}

/** What remains of a condition once earlier rows are excluded: 'unknown' when too complex to decide. */
export type Remainder = readonly Cube[] | 'unknown';

/** Walks the table in evaluation order: `remainder(row)` is the part of a row that earlier rows leave, and
 * `exclude(row)` records a row as earlier for the rows that follow. */
export class ReachabilityProver {
  private readonly excluded: Cube[][] = [];
  private tooComplex = false;

  remainder(node: ConditionNode): Remainder {
    if (this.tooComplex) return 'unknown';
    try {
      let left = cubes(node, false);
      for (const negated of this.excluded) {
        if (left.length === 0) break;
        left = product(left, negated);
      }
      return left;
    } catch (err) {
      if (err instanceof TooComplex) return 'unknown';
      throw err;
    }
  }

  exclude(node: ConditionNode): void {
    try {
      this.excluded.push(cubes(node, true));
    } catch (err) {
      if (!(err instanceof TooComplex)) throw err;
      this.tooComplex = true;
    }
  }
}

/** Whether `node` (or its negation) can hold somewhere in the remainder: false only when proven impossible. */
export function canHold(remainder: Remainder, node: ConditionNode, negate = false): boolean {
  if (remainder === 'unknown') return true;
  try {
    return product([...remainder], cubes(node, negate)).length > 0;
  } catch (err) {
    if (err instanceof TooComplex) return true;
    throw err;
  }
}
