// transfers/checks/check-outcome: the answer every evidence check returns — pass, or fail with reasons that
// cite their rule (api.md §6 R-EVID-* codes). Pure data and constructors.
import type { Reason } from '../../policies/classification.js';

export type CheckVerdict =
  { readonly ok: true } | { readonly ok: false; readonly reasons: readonly Reason[] };

export const pass: CheckVerdict = { ok: true };

export function fail(...reasons: Reason[]): CheckVerdict {
  return { ok: false, reasons };
}

export function verdictOf(reasons: readonly Reason[]): CheckVerdict {
  return reasons.length === 0 ? pass : { ok: false, reasons };
}

/** Case- and space-insensitive comparison: purposes are free text typed by people on both sides. */
export function samePurpose(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

export function missingFrom(wanted: readonly string[], allowed: readonly string[]): string[] {
  const set = new Set(allowed);
  return wanted.filter((item) => !set.has(item));
}
