// transfers/minimisation/category-values: finds the values of a detector category inside free text and replaces each by
// what the plan's operation makes of it (issue #20, per-category plans). Pure. Shapes follow inspection/README.md
// but without the check characters of resident IDs (a look-alike is transformed too: fail toward sending less);
// bank cards keep the Luhn check so order numbers are not destroyed. Whatever is missed here is still seen by the
// inspection of the result, which then decides the tier.
import type { MinimiseCategory, MinimiseOperation } from '../../policies/minimise-plan.js';
import { applyOperation } from './value-operations.js';

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** In the order applied: longer digit identifiers first, so a mobile inside an ID is never half-replaced. */
const patterns: readonly (readonly [MinimiseCategory, RegExp, ((m: string) => boolean) | null])[] = [
  [
    'resident_id',
    /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g,
    null,
  ],
  [
    'bank_card',
    /(?<![0-9])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9])/g,
    (m) => luhn(m.replace(/\D/g, '')),
  ],
  ['mobile', /(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])/g, null],
  ['passport', /(?<![A-Za-z0-9])(?:[GE]\d{8}|E[A-Z]\d{7}|[DSP]E\d{7})(?![A-Za-z0-9])/g, null],
  ['hk_macao_permit', /(?<![A-Za-z0-9])(?:C[A-Z0-9]\d{7}|[HM]\d{8,10})(?![A-Za-z0-9])/g, null],
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, null],
  ['coordinates', /-?\d{1,3}\.\d{4,}\s*,\s*-?\d{1,3}\.\d{4,}/g, null],
];

export interface CategoryReplacer {
  /** The text with every planned category replaced; `counts` gains one per replacement. */
  replace(text: string): string;
  readonly counts: Partial<Record<MinimiseCategory, number>>;
}

/**
 * `drop` replaces a value by nothing (the rest of the field stays). Outputs are letters, digits, `*`, `_`, `-`,
 * `.` and `,` only, so a replacement inside raw JSON text keeps it valid.
 */
export function createCategoryReplacer(
  categories: Partial<Record<MinimiseCategory, MinimiseOperation>>,
  key: Uint8Array,
): CategoryReplacer {
  const active = patterns.filter(([name]) => categories[name] !== undefined);
  const counts: Partial<Record<MinimiseCategory, number>> = {};
  return {
    counts,
    replace(text) {
      let out = text;
      for (const [name, pattern, check] of active) {
        const op = categories[name];
        if (op === undefined) continue;
        out = out.replace(pattern, (m) => {
          if (check !== null && !check(m)) return m;
          counts[name] = (counts[name] ?? 0) + 1;
          return op.op === 'drop' ? '' : applyOperation(m, op, key);
        });
      }
      return out;
    },
  };
}
