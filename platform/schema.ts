// platform/schema: the one wrapper around Ajv. Untrusted JSON is parsed against a TypeBox schema into its
// static type, or into a list of JSON-Pointer field issues (api.md §4). Pure: usable from the pure rooms.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FieldIssue } from './errors.js';

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: FieldIssue[] };

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false });

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function listValues(values: readonly unknown[]): string {
  return `must be one of: ${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
}

/**
 * A union of literals (TypeBox `Union([Literal…])`) fails as one `const` error per branch plus an `anyOf` error;
 * say which values are allowed instead of Ajv's "must be equal to constant" (issue 15: a typo in an enum must
 * answer with the list). Unions with any non-`const` branch keep Ajv's first error.
 */
function mergeConstUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  const merged: ErrorObject[] = [];
  const absorbed = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf') continue;
    const prefix = `${error.schemaPath}/`;
    const branches = errors.filter(
      (e) => e !== error && e.instancePath === error.instancePath && e.schemaPath.startsWith(prefix),
    );
    if (branches.length === 0 || !branches.every((e) => e.keyword === 'const')) continue;
    for (const b of branches) absorbed.add(b);
    absorbed.add(error);
    const values = branches.map((b) => (b.params as { allowedValue?: unknown }).allowedValue);
    merged.push({
      ...error,
      keyword: 'enum',
      params: { allowedValues: values },
      message: listValues(values),
    });
  }
  // Ajv reports branches before their anyOf: put the merged error where its first branch was.
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (!absorbed.has(error)) out.push(error);
    else {
      const m = merged.find((x) => x.instancePath === error.instancePath && !out.includes(x));
      if (m !== undefined) out.push(m);
    }
  }
  return out;
}

/** Ajv points at the object for `required`/`additionalProperties`; point at the field itself instead. */
function toIssue(error: ErrorObject): FieldIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return { path: error.instancePath, message: listValues(params['allowedValues'] as unknown[]) };
  }
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return {
      path: `${error.instancePath}/${escapePointer(params['missingProperty'])}`,
      message: 'is required',
    };
  }
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    return {
      path: `${error.instancePath}/${escapePointer(params['additionalProperty'])}`,
      message: 'is not an allowed field',
    };
  }
  return {
    path: error.instancePath === '' ? '' : error.instancePath,
    message: error.message ?? 'is invalid',
  };
}

/** Keeps one issue per path (a failed union reports every branch; the first says enough). */
function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Map<string, FieldIssue>();
  for (const issue of issues) if (!seen.has(issue.path)) seen.set(issue.path, issue);
  return [...seen.values()];
}

export type Parser<S extends TSchema> = (input: unknown) => Parsed<Static<S>>;

/** Compiles on first use, not when the module defining the parser loads: a CLI command that never parses a
 * manifest does not pay for compiling its schema (issue 15). A schema Ajv refuses still throws, at that first use. */
export function createParser<S extends TSchema>(schema: S): Parser<S> {
  let compiled: ValidateFunction<Static<S>> | undefined;
  return (input) => {
    const validate = (compiled ??= ajv.compile<Static<S>>(schema));
    if (validate(input)) return { ok: true, value: input };
    return { ok: false, issues: dedupe(mergeConstUnions(validate.errors ?? []).map(toIssue)) };
  };
}

/** Parses JSON text, reporting a syntax error as an issue at the root rather than throwing. */
export function parseJsonText(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      issues: [
        { path: '', message: `is not valid JSON (${err instanceof Error ? err.message : 'syntax error'})` },
      ],
    };
  }
}
