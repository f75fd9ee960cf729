// policies/minimise-plan: the `minimise` object of the manifest (api.md §6, issue #20) — its schema, its type and
// the rules no schema keyword can say (which option goes with which operation). Pure: no I/O. Whether a named
// column exists is known only once the payload's header is read (minimisation/ checks that at intake).
import { Type, type Static } from '@sinclair/typebox';
import type { FieldIssue } from '../platform/errors.js';

export const minimiseFormats = ['csv', 'tsv', 'jsonl', 'xlsx'] as const;
export type MinimiseFormat = (typeof minimiseFormats)[number];

export const minimiseOps = ['drop', 'mask', 'generalise', 'pseudonymise'] as const;
export type MinimiseOp = (typeof minimiseOps)[number];

/** What `generalise` turns a value into: a date into its year or month, coordinates into a grid cell, an age into a band. */
export const generaliseTargets = ['year', 'month', 'grid', 'band'] as const;
export type GeneraliseTarget = (typeof generaliseTargets)[number];

/** Detector categories a plan may name (inspection/detectors.ts), minus `sensitive_column`, which is a header. */
export const minimiseCategories = [
  'resident_id',
  'mobile',
  'bank_card',
  'passport',
  'hk_macao_permit',
  'email',
  'coordinates',
] as const;
export type MinimiseCategory = (typeof minimiseCategories)[number];

const enumOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const MinimiseOperationSchema = Type.Object(
  {
    op: enumOf(minimiseOps),
    /** mask: how many characters stay visible at the end (default 4: "the last four digits"). */
    keepLast: Type.Optional(Type.Integer({ minimum: 0, maximum: 8 })),
    /** generalise: what the value becomes. */
    to: Type.Optional(enumOf(generaliseTargets)),
    /** generalise to grid: cell size in degrees (default 0.1, about 11 km); to band: band width in years (default 10). */
    size: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type MinimiseOperation = Static<typeof MinimiseOperationSchema>;

const ColumnName = Type.String({ minLength: 1, maxLength: 256 });

export const MinimisePlanSchema = Type.Object(
  {
    /** How the payload is read: the plan never guesses (a plan that cannot be applied refuses the upload). */
    format: enumOf(minimiseFormats),
    /** CSV/TSV header names, JSON Lines top-level keys or XLSX header-row names ("Sheet!name" for one sheet) → the operation. */
    columns: Type.Optional(Type.Record(ColumnName, MinimiseOperationSchema, { maxProperties: 256 })),
    /** Detector category → the operation on every value of that kind found in a field not named in `columns`. */
    categories: Type.Optional(
      Type.Object(
        Object.fromEntries(minimiseCategories.map((c) => [c, Type.Optional(MinimiseOperationSchema)])),
        { additionalProperties: false },
      ),
    ),
    /** Columns the exporter knows to be quasi-identifiers, besides those the policy names (k-anonymity). */
    quasiIdentifiers: Type.Optional(Type.Array(ColumnName, { maxItems: 256, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type MinimisePlan = Static<typeof MinimisePlanSchema>;

/** RFC 6901: `~` and `/` inside a segment. */
export const pointerSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function checkOperation(op: MinimiseOperation, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (op.keepLast !== undefined && op.op !== 'mask')
    issues.push({ path: `${path}/keepLast`, message: 'applies to op "mask" only' });
  if (op.op === 'generalise') {
    if (op.to === undefined)
      issues.push({
        path: `${path}/to`,
        message: 'is required for op "generalise" (year, month, grid or band)',
      });
    if (op.size !== undefined && op.to !== 'grid' && op.to !== 'band')
      issues.push({ path: `${path}/size`, message: 'applies to "to": "grid" or "band" only' });
    if (op.to === 'band' && op.size !== undefined && !Number.isInteger(op.size))
      issues.push({ path: `${path}/size`, message: 'must be a whole number of years' });
  } else {
    if (op.to !== undefined) issues.push({ path: `${path}/to`, message: 'applies to op "generalise" only' });
    if (op.size !== undefined)
      issues.push({ path: `${path}/size`, message: 'applies to op "generalise" only' });
  }
  return issues;
}

/** Cross-field rules of a plan already shaped by the schema; paths are relative to the manifest. */
export function checkMinimisePlan(plan: MinimisePlan): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const columns = Object.entries(plan.columns ?? {});
  const categories = Object.entries<MinimiseOperation | undefined>(plan.categories ?? {});
  if (columns.length === 0 && categories.length === 0)
    issues.push({ path: '/minimise', message: 'must name at least one column or category' });
  for (const [name, op] of columns)
    issues.push(...checkOperation(op, `/minimise/columns/${pointerSegment(name)}`));
  for (const [name, op] of categories) {
    if (op === undefined) continue;
    const path = `/minimise/categories/${name}`;
    issues.push(...checkOperation(op, path));
    // A category is found inside free text, so only a transformation of the found value itself makes sense.
    if (op.op === 'generalise' && (op.to !== 'grid' || name !== 'coordinates'))
      issues.push({
        path: `${path}/to`,
        message: 'a category can be generalised only as coordinates to "grid"',
      });
  }
  for (const [i, name] of (plan.quasiIdentifiers ?? []).entries()) {
    const op = plan.columns?.[name];
    if (op?.op === 'drop')
      issues.push({ path: `/minimise/quasiIdentifiers/${i}`, message: 'names a column the plan drops' });
  }
  return issues;
}
