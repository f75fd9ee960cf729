// platform/schema: the one wrapper around Ajv. Untrusted JSON is parsed against a TypeBox schema into its
// static type, or into a list of JSON-Pointer field issues (api.md §4). Pure: usable from the pure rooms.
import { Ajv, type ErrorObject } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FieldIssue } from './errors.js';

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: FieldIssue[] };

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false });

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Ajv points at the object for `required`/`additionalProperties`; point at the field itself instead. */
function toIssue(error: ErrorObject): FieldIssue {
  const params = error.params as Record<string, unknown>;
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

export function createParser<S extends TSchema>(schema: S): Parser<S> {
  const validate = ajv.compile<Static<S>>(schema);
  return (input) => {
    if (validate(input)) return { ok: true, value: input };
    return { ok: false, issues: dedupe((validate.errors ?? []).map(toIssue)) };
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
