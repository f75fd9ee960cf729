// policies/condition: the condition language of the policy files — validation of the YAML form into a normalised
// tree (with JSON-Pointer issues), constant folding of settings, human-readable texts, and evaluation on Facts.
// Pure. The decision table's semantics live in the YAML; this file only knows the operators.
import type { FieldIssue } from '../platform/errors.js';
import type { Facts } from './classification.js';
import { factCatalogue, isFactName, type FactName } from './fact-catalogue.js';

/** A leaf test on one fact. `range` is min ≤ value < max: "以上" includes a threshold, "不满" excludes it
 * (regulation.md §1.2 Boundaries), so `gte` and `lt` are the only numeric comparisons a policy needs. */
export type Atom =
  | { readonly type: 'bool'; readonly fact: FactName; readonly value: boolean; readonly text: string }
  | {
      readonly type: 'enum';
      readonly fact: FactName;
      readonly values: readonly string[];
      readonly text: string;
    }
  | { readonly type: 'has'; readonly fact: FactName; readonly value: string; readonly text: string }
  | {
      readonly type: 'range';
      readonly fact: FactName;
      readonly min: number;
      readonly max: number;
      readonly text: string;
    };

export type ConditionNode =
  | Atom
  | { readonly type: 'all'; readonly items: readonly ConditionNode[]; readonly text: string }
  | { readonly type: 'any'; readonly items: readonly ConditionNode[]; readonly text: string }
  | { readonly type: 'not'; readonly item: ConditionNode; readonly text: string }
  | { readonly type: 'const'; readonly value: boolean; readonly text: string };

/** Evaluates a condition: null when it holds, otherwise the text of the condition that failed. */
export type ConditionCheck = (facts: Facts) => string | null;

/** Resolves `{ ref: "thresholds.nonSensitive.securityAssessment" }` against the loaded thresholds, settings and
 * scenarios; undefined when the path names nothing. */
export type RefResolver = (ref: string) => unknown;

const operators = ['eq', 'in', 'has', 'gte', 'lt'] as const;
const number = new Intl.NumberFormat('en-US');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface Operand<T> {
  readonly value: T;
  /** " (thresholds.x.y)" when the value came from a reference, for the human-readable text. */
  readonly note: string;
}

class Compiler {
  readonly issues: FieldIssue[] = [];
  constructor(private readonly resolve: RefResolver) {}

  private fail(path: string, message: string): ConditionNode {
    this.issues.push({ path, message });
    return { type: 'const', value: false, text: 'invalid condition' };
  }

  /** An operand that is either a literal or `{ ref: path }`. */
  private operand(raw: unknown, path: string): Operand<unknown> | undefined {
    if (!isRecord(raw)) return { value: raw, note: '' };
    const keys = Object.keys(raw);
    const extra = keys.find((k) => k !== 'ref');
    if (extra !== undefined) {
      this.issues.push({
        path: `${path}/${escape(extra)}`,
        message: 'is not an allowed field (an operand is a value or { ref })',
      });
      return undefined;
    }
    const ref = raw['ref'];
    if (typeof ref !== 'string') {
      this.issues.push({
        path: `${path}/ref`,
        message: 'must be a dotted path such as thresholds.nonSensitive.securityAssessment',
      });
      return undefined;
    }
    const value = this.resolve(ref);
    if (value === undefined) {
      this.issues.push({ path: `${path}/ref`, message: `refers to "${ref}", which is not defined` });
      return undefined;
    }
    return { value, note: ` (${ref})` };
  }

  compile(raw: unknown, path: string): ConditionNode {
    if (!isRecord(raw))
      return this.fail(path, 'must be a condition object (all, any, not, always, fact or ref)');
    const keys = Object.keys(raw);
    if (keys.includes('all') || keys.includes('any')) {
      const op = keys.includes('all') ? 'all' : 'any';
      const extra = keys.find((k) => k !== op);
      if (extra !== undefined)
        return this.fail(`${path}/${escape(extra)}`, `is not an allowed field beside "${op}"`);
      const list = raw[op];
      if (!Array.isArray(list) || list.length === 0)
        return this.fail(`${path}/${op}`, 'must be a non-empty list of conditions');
      return op === 'all'
        ? all(list.map((item, i) => this.compile(item, `${path}/${op}/${i}`)))
        : any(list.map((item, i) => this.compile(item, `${path}/${op}/${i}`)));
    }
    if (keys.includes('not')) {
      const extra = keys.find((k) => k !== 'not');
      if (extra !== undefined)
        return this.fail(`${path}/${escape(extra)}`, 'is not an allowed field beside "not"');
      return not(this.compile(raw['not'], `${path}/not`));
    }
    if (keys.includes('always')) {
      const extra = keys.find((k) => k !== 'always');
      if (extra !== undefined)
        return this.fail(`${path}/${escape(extra)}`, 'is not an allowed field beside "always"');
      if (raw['always'] !== true) return this.fail(`${path}/always`, 'must be true');
      return { type: 'const', value: true, text: 'always' };
    }
    if (keys.includes('ref')) return this.compileSetting(raw, path);
    if (keys.includes('fact')) return this.compileAtom(raw, path);
    return this.fail(path, 'must have one of: all, any, not, always, fact, ref');
  }

  /** `{ ref: settings.x, eq: value }`: a setting is known at load time, so the test folds to a constant. */
  private compileSetting(raw: Record<string, unknown>, path: string): ConditionNode {
    const extra = Object.keys(raw).find((k) => k !== 'ref' && k !== 'eq');
    if (extra !== undefined)
      return this.fail(`${path}/${escape(extra)}`, 'is not an allowed field beside "ref" (use eq)');
    if (!Object.hasOwn(raw, 'eq')) return this.fail(`${path}/eq`, 'is required');
    const ref = raw['ref'];
    if (typeof ref !== 'string')
      return this.fail(
        `${path}/ref`,
        'must be a dotted path such as settings.ftz.listOverridesNationalThreshold',
      );
    const value = this.resolve(ref);
    if (value === undefined) return this.fail(`${path}/ref`, `refers to "${ref}", which is not defined`);
    const expected = raw['eq'];
    if (!['boolean', 'string', 'number'].includes(typeof value) || typeof expected !== typeof value) {
      return this.fail(`${path}/eq`, `must be a ${typeof value} to compare with ${ref}`);
    }
    return { type: 'const', value: value === expected, text: `${ref} = ${String(expected)}` };
  }

  private compileAtom(raw: Record<string, unknown>, path: string): ConditionNode {
    const fact = raw['fact'];
    if (typeof fact !== 'string' || !isFactName(fact)) {
      return this.fail(`${path}/fact`, `must be one of: ${Object.keys(factCatalogue).join(', ')}`);
    }
    const present = operators.filter((op) => Object.hasOwn(raw, op));
    const extra = Object.keys(raw).find((k) => k !== 'fact' && !(operators as readonly string[]).includes(k));
    if (extra !== undefined) return this.fail(`${path}/${escape(extra)}`, 'is not an allowed field');
    const [op, second] = present;
    if (op === undefined || second !== undefined)
      return this.fail(path, `must have exactly one operator of: ${operators.join(', ')}`);
    const at = `${path}/${op}`;
    const operand = this.operand(raw[op], at);
    if (operand === undefined) return { type: 'const', value: false, text: 'invalid condition' };
    const { value, note } = operand;
    const kind = factCatalogue[fact];
    switch (kind.kind) {
      case 'bool':
        if (op !== 'eq' || typeof value !== 'boolean')
          return this.fail(at, `${fact} is a boolean: use eq: true or eq: false`);
        return { type: 'bool', fact, value, text: `${fact} = ${value}` };
      case 'int': {
        if (op !== 'eq' && op !== 'gte' && op !== 'lt')
          return this.fail(at, `${fact} is a count: use eq, gte or lt`);
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
          return this.fail(at, `must be a non-negative integer${note}`);
        }
        if (op === 'gte')
          return {
            type: 'range',
            fact,
            min: value,
            max: Infinity,
            text: `${fact} ≥ ${number.format(value)}${note}`,
          };
        if (op === 'lt')
          return {
            type: 'range',
            fact,
            min: 0,
            max: value,
            text: `${fact} < ${number.format(value)}${note}`,
          };
        return {
          type: 'range',
          fact,
          min: value,
          max: value + 1,
          text: `${fact} = ${number.format(value)}${note}`,
        };
      }
      case 'enum': {
        if (op === 'eq') {
          if (typeof value !== 'string' || !kind.values.includes(value))
            return this.fail(at, `must be one of: ${kind.values.join(', ')}`);
          return { type: 'enum', fact, values: [value], text: `${fact} = ${value}` };
        }
        if (op !== 'in') return this.fail(at, `${fact} is an enumeration: use eq or in`);
        if (!Array.isArray(value)) return this.fail(at, `must be a list${note}`);
        // A setting may legitimately be an empty list (e.g. consent.requiredForBases: []): nothing is in it.
        if (value.length === 0) {
          if (note === '') return this.fail(at, 'must be a non-empty list');
          return { type: 'const', value: false, text: `${fact} ∈ ${note.slice(2, -1)} (empty)` };
        }
        const bad = value.findIndex((v) => typeof v !== 'string' || !kind.values.includes(v));
        if (bad >= 0) {
          const where = note === '' ? `${at}/${bad}` : at;
          return this.fail(where, `"${String(value[bad])}"${note} is not one of: ${kind.values.join(', ')}`);
        }
        const values = [...new Set(value as string[])];
        const shown = note === '' ? `{${values.join(', ')}}` : note.slice(2, -1);
        return { type: 'enum', fact, values, text: `${fact} ∈ ${shown}` };
      }
      case 'set':
        if (op !== 'has' || typeof value !== 'string')
          return this.fail(at, `${fact} is a set: use has: <value>`);
        if (!kind.values.includes(value)) return this.fail(at, `must be one of: ${kind.values.join(', ')}`);
        return { type: 'has', fact, value, text: `${fact} has ${value}` };
    }
  }
}

/** Conjunction with constant folding: a false member decides, true members drop out. */
export function all(items: readonly ConditionNode[]): ConditionNode {
  const kept: ConditionNode[] = [];
  for (const item of items) {
    if (item.type === 'const') {
      if (!item.value) return item;
      continue;
    }
    kept.push(item);
  }
  if (kept.length === 0) return { type: 'const', value: true, text: 'always' };
  if (kept.length === 1 && kept[0] !== undefined) return kept[0];
  return { type: 'all', items: kept, text: kept.map((i) => i.text).join(' and ') };
}

/** Disjunction with constant folding: a true member decides, false members drop out. */
export function any(items: readonly ConditionNode[]): ConditionNode {
  const kept: ConditionNode[] = [];
  for (const item of items) {
    if (item.type === 'const') {
      if (item.value) return item;
      continue;
    }
    kept.push(item);
  }
  if (kept.length === 0)
    return { type: 'const', value: false, text: items.map((i) => i.text).join(' or ') || 'never' };
  if (kept.length === 1 && kept[0] !== undefined) return kept[0];
  return { type: 'any', items: kept, text: `none of: ${kept.map((i) => i.text).join(' | ')}` };
}

export function not(item: ConditionNode): ConditionNode {
  if (item.type === 'const') return { type: 'const', value: !item.value, text: `not (${item.text})` };
  return { type: 'not', item, text: `not (${item.text})` };
}

/** Validates and normalises one YAML condition. Issues carry JSON Pointers under `path`. */
export function compileCondition(
  raw: unknown,
  path: string,
  resolve: RefResolver,
): { node: ConditionNode; issues: FieldIssue[] } {
  const compiler = new Compiler(resolve);
  const node = compiler.compile(raw, path);
  return { node, issues: compiler.issues };
}

/** Turns a normalised condition into a closure. Failure texts are precomputed, so evaluation allocates nothing. */
export function toCheck(node: ConditionNode): ConditionCheck {
  const { text } = node;
  switch (node.type) {
    case 'const':
      return node.value ? () => null : () => text;
    case 'bool': {
      const { fact, value } = node;
      return (facts) => (facts[fact] === value ? null : text);
    }
    case 'enum': {
      const { fact, values } = node;
      if (values.length === 1) {
        const only = values[0];
        return (facts) => (facts[fact] === only ? null : text);
      }
      return (facts) => (values.includes(facts[fact] as string) ? null : text);
    }
    case 'has': {
      const { fact, value } = node;
      return (facts) => ((facts[fact] as readonly string[]).includes(value) ? null : text);
    }
    case 'range': {
      const { fact, min, max } = node;
      return (facts) => {
        const v = facts[fact] as number;
        return v >= min && v < max ? null : text;
      };
    }
    case 'not': {
      const inner = toCheck(node.item);
      return (facts) => (inner(facts) === null ? text : null);
    }
    case 'all': {
      const checks = node.items.map(toCheck);
      return (facts) => {
        for (const check of checks) {
          const failed = check(facts);
          if (failed !== null) return failed;
        }
        return null;
      };
    }
    case 'any': {
      const checks = node.items.map(toCheck);
      return (facts) => {
        for (const check of checks) if (check(facts) === null) return null;
        return text;
      };
    }
  }
}
