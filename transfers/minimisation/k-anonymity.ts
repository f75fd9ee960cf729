// transfers/minimisation/k-anonymity: the k of k-anonymity (Sweeney 2002) over the quasi-identifier columns that leave —
// the size of the smallest group of records sharing one combination of their values. Pure.
//
// Exact while the number of distinct combinations stays within `maxClasses` (a Map of combination → count; keys
// longer than 64 characters are replaced by a 16-byte SHA-256 digest, so memory is about 120 bytes a class, 24 MB
// at the default 200,000). Past the bound new combinations are no longer tracked and k is reported as unknown
// (`bounded: true`), which the policy treats as below any threshold (fail closed): so many distinct combinations
// mean small groups anyway.
import { createHash } from 'node:crypto';

export const defaultMaxClasses = 200_000;

export interface KAnonymityFigure {
  /** null when there is no quasi-identifier column, no record, or past the bound. */
  readonly k: number | null;
  readonly quasiIdentifiers: readonly string[];
  readonly records: number;
  /** Distinct combinations seen (up to the bound). */
  readonly classes: number;
  /** true when the bound was reached and k is unknown. */
  readonly bounded: boolean;
}

export interface KAnonymityCounter {
  add(values: readonly string[]): void;
  result(): KAnonymityFigure;
}

export function createKAnonymityCounter(
  quasiIdentifiers: readonly string[],
  maxClasses = defaultMaxClasses,
): KAnonymityCounter {
  const classes = new Map<string, number>();
  let records = 0;
  let bounded = false;
  return {
    add(values) {
      if (quasiIdentifiers.length === 0) return;
      records++;
      // Length-prefixed, so the join is injective whatever the values hold.
      let key = values.map((v) => `${v.length}:${v}`).join('');
      if (key.length > 64) key = createHash('sha256').update(key).digest().subarray(0, 16).toString('latin1');
      const n = classes.get(key);
      if (n !== undefined) classes.set(key, n + 1);
      else if (classes.size < maxClasses) classes.set(key, 1);
      else bounded = true;
    },
    result() {
      let k: number | null = null;
      if (!bounded && records > 0) for (const n of classes.values()) k = k === null ? n : Math.min(k, n);
      return { k, quasiIdentifiers: [...quasiIdentifiers], records, classes: classes.size, bounded };
    },
  };
}
