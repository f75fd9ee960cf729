// certs/claims-reader: read untrusted JSON claims field by field, collecting every issue with its JSON Pointer
// (RFC 6901). Pure. Each reader returns a placeholder when the field is bad; callers return the typed value
// only when `issues` stayed empty, so placeholders never escape.

export interface ClaimIssue {
  readonly path: string;
  readonly message: string;
}

export interface StringRule {
  readonly min?: number;
  readonly max: number;
  readonly pattern?: RegExp;
  readonly patternName?: string;
}

export type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointer = (path: string, key: string): string =>
  `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Common shapes, shared by every signed document of the gateway. */
export const Rules = {
  /** Same shape as registry ids (policies/manifest.ts Id). */
  id: { min: 1, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9._:-]*$/, patternName: 'an identifier' },
  /** GB 32100 USCC shape: 18 characters of the code's alphabet (check character verified by the registry). */
  uscc: {
    min: 18,
    max: 18,
    pattern: /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
    patternName: 'a USCC',
  },
  /** ISO 3166-1 alpha-2. */
  country: { min: 2, max: 2, pattern: /^[A-Z]{2}$/, patternName: 'an ISO 3166 alpha-2 code' },
  /** Same vocabulary as manifest dataCategories. */
  category: { min: 1, max: 64, pattern: /^[a-z0-9_]+$/, patternName: 'a category (a-z, 0-9, _)' },
  sha256: { min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'lowercase hex SHA-256' },
  text: { min: 1, max: 2000 },
  longText: { min: 1, max: 20000 },
} as const satisfies Record<string, StringRule>;

export class ClaimsReader {
  readonly issues: ClaimIssue[] = [];

  private issue(path: string, message: string): void {
    this.issues.push({ path: path === '' ? '/' : path, message });
  }

  /** The root must be a JSON object. */
  root(input: unknown): JsonObject {
    if (isObject(input)) return input;
    this.issue('', 'must be a JSON object');
    return {};
  }

  /** Own property only: `constructor` or `__proto__` on a plain object are not claims. */
  field(obj: JsonObject, key: string): unknown {
    return Object.hasOwn(obj, key) ? obj[key] : undefined;
  }

  object(obj: JsonObject, key: string, path: string): JsonObject {
    const v = this.field(obj, key);
    if (isObject(v)) return v;
    this.issue(pointer(path, key), v === undefined ? 'is required' : 'must be an object');
    return {};
  }

  private checkString(v: unknown, at: string, rule: StringRule): string {
    if (typeof v !== 'string') {
      this.issue(at, v === undefined ? 'is required' : 'must be a string');
      return '';
    }
    if (v.length < (rule.min ?? 0) || v.length > rule.max)
      this.issue(at, `must be ${rule.min ?? 0}-${rule.max} characters`);
    else if (rule.pattern !== undefined && !rule.pattern.test(v))
      this.issue(at, `must be ${rule.patternName ?? `like ${String(rule.pattern)}`}`);
    return v;
  }

  string(obj: JsonObject, key: string, path: string, rule: StringRule): string {
    return this.checkString(this.field(obj, key), pointer(path, key), rule);
  }

  optionalString(obj: JsonObject, key: string, path: string, rule: StringRule): string | undefined {
    const v = this.field(obj, key);
    return v === undefined ? undefined : this.checkString(v, pointer(path, key), rule);
  }

  enumOf<T extends string>(obj: JsonObject, key: string, path: string, values: readonly T[]): T {
    const v = this.field(obj, key);
    const found = values.find((x) => x === v);
    if (found !== undefined) return found;
    this.issue(pointer(path, key), v === undefined ? 'is required' : `must be one of ${values.join(', ')}`);
    return values[0] as T;
  }

  boolean(obj: JsonObject, key: string, path: string): boolean {
    const v = this.field(obj, key);
    if (typeof v === 'boolean') return v;
    this.issue(pointer(path, key), v === undefined ? 'is required' : 'must be a boolean');
    return false;
  }

  integer(obj: JsonObject, key: string, path: string, min: number, max: number): number {
    const v = this.field(obj, key);
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max) return v;
    this.issue(pointer(path, key), v === undefined ? 'is required' : `must be an integer ${min}-${max}`);
    return min;
  }

  /** RFC 7519 §2 NumericDate: seconds since the epoch (non-integer allowed), within a sane range. */
  numericDate(obj: JsonObject, key: string, path: string): number {
    const v = this.field(obj, key);
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 253402300800) return v; // < year 10000
    this.issue(
      pointer(path, key),
      v === undefined ? 'is required' : 'must be a NumericDate (seconds since 1970)',
    );
    return 0;
  }

  /** RFC 3339 date-time in UTC with a Z (e.g. 2025-06-01T08:00:00.000Z). */
  timestamp(obj: JsonObject, key: string, path: string): string {
    const v = this.field(obj, key);
    if (
      typeof v === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(v) &&
      !Number.isNaN(Date.parse(v))
    )
      return v;
    this.issue(pointer(path, key), v === undefined ? 'is required' : 'must be an RFC 3339 UTC timestamp');
    return '1970-01-01T00:00:00Z';
  }

  /** A list of unique strings, each checked by `rule` or drawn from `values`. */
  stringList(
    obj: JsonObject,
    key: string,
    path: string,
    rule: StringRule,
    bounds: { min: number; max: number },
  ): string[] {
    const v = this.field(obj, key);
    const at = pointer(path, key);
    if (!Array.isArray(v)) {
      this.issue(at, v === undefined ? 'is required' : 'must be an array');
      return [];
    }
    if (v.length < bounds.min || v.length > bounds.max)
      this.issue(at, `must have ${bounds.min}-${bounds.max} items`);
    const items = v.slice(0, bounds.max).map((item, i) => this.checkString(item, `${at}/${i}`, rule));
    if (new Set(items).size !== items.length) this.issue(at, 'must not repeat an item');
    return items;
  }

  enumList<T extends string>(
    obj: JsonObject,
    key: string,
    path: string,
    values: readonly T[],
    bounds: { min: number },
  ): T[] {
    const v = this.field(obj, key);
    const at = pointer(path, key);
    if (!Array.isArray(v)) {
      this.issue(at, v === undefined ? 'is required' : 'must be an array');
      return [];
    }
    if (v.length < bounds.min || v.length > values.length)
      this.issue(at, `must have ${bounds.min}-${values.length} items`);
    const out: T[] = [];
    v.slice(0, values.length).forEach((item, i) => {
      const found = values.find((x) => x === item);
      if (found === undefined) this.issue(`${at}/${i}`, `must be one of ${values.join(', ')}`);
      else if (out.includes(found)) this.issue(at, 'must not repeat an item');
      else out.push(found);
    });
    return out;
  }
}
