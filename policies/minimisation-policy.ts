// policies/minimisation-policy: minimisation.yaml compiled — the k minimum, the quasi-identifier test on column
// names and the R-MIN-* reasons (issue #20). Pure.
import type { Reason } from './classification.js';
import type { MinimisationFile } from './policy-files.js';

export interface MinimisationPolicy {
  readonly kMinimum: number;
  readonly quasiIdentifierColumns: readonly string[];
  /** Whether a column name names a quasi-identifier (minimisation.yaml: ASCII entries whole words, others anywhere). */
  readonly isQuasiIdentifier: (column: string) => boolean;
  readonly reasons: {
    readonly deidentified: Reason;
    readonly kBelowMinimum: Reason;
    readonly applied: Reason;
  };
}

export function compileMinimisation(file: MinimisationFile): MinimisationPolicy {
  const names = file.quasiIdentifierColumns.map((n) => n.toLowerCase());
  const words = new Set(names.filter((n) => /^[a-z0-9]+$/.test(n)));
  const fragments = names.filter((n) => !words.has(n));
  return {
    kMinimum: file.kMinimum,
    quasiIdentifierColumns: names,
    isQuasiIdentifier: (column) => {
      const lower = column.toLowerCase();
      if (fragments.some((f) => lower.includes(f))) return true;
      const split = column
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/);
      return split.some((w) => words.has(w));
    },
    reasons: file.reasons,
  };
}
