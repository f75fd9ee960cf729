// inspection/person-counter: distinct people in one transfer, and which of them had sensitive PI, in flat memory:
// exact up to a cap, then HyperLogLog with an upward safety margin. Never under-counts in practice.
import { createDigestSet, NEW_PERSON, NEW_SENSITIVE, SET_FULL, type DigestSet } from './digest-set.js';
import { createHyperLogLog, type HyperLogLog } from './hyper-log-log.js';

export { NEW_PERSON, NEW_SENSITIVE };

/** Exact counting up to this many distinct people (a 4 MiB table); the Provisions' lowest threshold is 10,000. */
export const DEFAULT_EXACT_LIMIT = 100_000;

/**
 * Margin added to a HyperLogLog estimate: +5 standard errors (1.04/√m = 0.8125% at p = 14, so +4.06%). An
 * estimate falls more than 5σ below the truth with probability about 3e-7, so a reported count is below the
 * true count essentially never (Provisions 2024 arts. 7-8 thresholds must not be undershot; design.md "State").
 */
export const SAFETY_SIGMAS = 5;

export interface PersonCounterOptions {
  readonly exactLimit?: number;
}

export interface PersonCounter {
  /**
   * Counts one record's person digest (128 bits as four words). Returns NEW_PERSON and/or NEW_SENSITIVE for what
   * the caller should pass on; once counting is approximate every record returns both applicable bits, because
   * duplicates can no longer be told apart (a downstream HyperLogLog absorbs them).
   */
  add(w0: number, w1: number, w2: number, w3: number, sensitive: boolean): number;
  /** Distinct people: exact, or the margin-raised estimate. */
  count(): number;
  /** Distinct people with sensitive PI on one of their records. */
  sensitiveCount(): number;
  /** True while counts are exact. */
  readonly exact: boolean;
}

export function createPersonCounter(options: PersonCounterOptions = {}): PersonCounter {
  const exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
  if (!Number.isInteger(exactLimit) || exactLimit < 1)
    throw new RangeError('exactLimit must be a positive integer');
  let set: DigestSet | undefined = createDigestSet(exactLimit);
  let exactCount = 0;
  let exactSensitive = 0;
  // Both sketches are fed from the first record, so switching needs no replay of the set. They are made at
  // the first person, so a payload that names nobody costs no 32 KiB of registers.
  let sketches: { all: HyperLogLog; sensitive: HyperLogLog } | undefined;

  function raised(estimate: number, floor: number, relativeError: number): number {
    return Math.max(floor, Math.ceil(estimate * (1 + SAFETY_SIGMAS * relativeError)));
  }

  return {
    add(w0: number, w1: number, w2: number, w3: number, sensitive: boolean): number {
      sketches ??= { all: createHyperLogLog(14), sensitive: createHyperLogLog(14) };
      sketches.all.add(w0, w1);
      if (sensitive) sketches.sensitive.add(w0, w1);
      if (set !== undefined) {
        const found = set.add(w0, w1, w2, w3, sensitive);
        if (found !== SET_FULL) return found;
        // A person beyond the exact limit: keep what is known for certain as a floor, then estimate.
        exactCount = set.size + 1;
        exactSensitive = set.sensitiveSize + (sensitive ? 1 : 0);
        set = undefined;
      }
      return sensitive ? NEW_PERSON | NEW_SENSITIVE : NEW_PERSON;
    },
    count(): number {
      // Past the exact limit there were people, so the sketches exist.
      if (set !== undefined || sketches === undefined) return set?.size ?? 0;
      return raised(sketches.all.estimate(), exactCount, sketches.all.relativeError);
    },
    sensitiveCount(): number {
      if (set !== undefined || sketches === undefined) return set?.sensitiveSize ?? 0;
      return raised(sketches.sensitive.estimate(), exactSensitive, sketches.sensitive.relativeError);
    },
    get exact() {
      return set !== undefined;
    },
  };
}
