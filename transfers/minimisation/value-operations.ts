// transfers/minimisation/value-operations: what each plan operation does to one value (issue #20): mask, generalise and
// pseudonymise (drop removes the field, so it never reaches here). Pure; must never return the value whole.
import { createHmac } from 'node:crypto';
import type { MinimiseOperation } from '../../policies/minimise-plan.js';

/** Thrown for a value the operation cannot read (a date that is not one): the caller turns it into a 400. */
export class UnreadableValue extends Error {}

/**
 * Keeps the last `keepLast` characters (default 4, "the last four digits"), never more than half of the value,
 * and stars the rest (GB/T 35273-2020 §6.2 de-identification practice). Code points, so CJK is not split.
 */
export function maskValue(value: string, keepLast = 4): string {
  const chars = Array.from(value);
  const visible = Math.min(keepLast, Math.floor(chars.length / 2));
  return '*'.repeat(chars.length - visible) + chars.slice(chars.length - visible).join('');
}

const datePattern =
  /^\s*(\d{4})(?:[-/.年]\s*(\d{1,2})(?:[-/.月]\s*\d{1,2}日?)?|(\d{2})(\d{2}))?(?:[T\s].*)?\s*$/u;

/** A date (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY年M月D日, with or without a time) → its year or YYYY-MM. */
export function generaliseDate(value: string, to: 'year' | 'month'): string {
  const m = datePattern.exec(value);
  if (m === null) throw new UnreadableValue('is not a date');
  const year = m[1] ?? '';
  if (to === 'year') return year;
  const month = m[2] ?? m[3];
  if (month === undefined) throw new UnreadableValue('has no month');
  return `${year}-${month.padStart(2, '0')}`;
}

/** An age in whole years → its band, e.g. 37 with width 10 → "30-39". */
export function generaliseAge(value: string, width: number): string {
  const m = /^\s*(\d{1,3})\s*岁?\s*$/u.exec(value);
  if (m === null) throw new UnreadableValue('is not an age in whole years');
  const lo = Math.floor(Number(m[1]) / width) * width;
  return `${lo}-${lo + width - 1}`;
}

const decimal = /-?\d{1,3}\.\d+/g;

/** Every decimal degree in the value snapped down to a grid of `size` degrees (0.1 ≈ 11 km). */
export function generaliseCoordinates(value: string, size: number): string {
  if (!/\d\.\d/.test(value)) throw new UnreadableValue('holds no decimal coordinates');
  const places = Math.max(0, Math.ceil(-Math.log10(size) - 1e-9));
  return value.replace(decimal, (d) => (Math.floor(Number(d) / size) * size).toFixed(places));
}

/**
 * A keyed token: HMAC-SHA256 under the exporter's pseudonym key of the trimmed value, 16 bytes, base64url, so the
 * same value gives the same token in every transfer of that exporter (joins still work) and the partner, without
 * the key, cannot reverse or recompute it (PIPL art. 73(3): de-identified, not anonymised). Letters in the
 * token keep it from reading as a digit identifier.
 */
export function pseudonymise(value: string, key: Uint8Array): string {
  const token = createHmac('sha256', key).update(value.trim(), 'utf8').digest().subarray(0, 16);
  return `ps_${token.toString('base64url')}`;
}

/** Applies one non-drop operation to a non-empty value. */
export function applyOperation(value: string, op: MinimiseOperation, key: Uint8Array): string {
  if (value.trim() === '') return value;
  switch (op.op) {
    case 'mask':
      return maskValue(value, op.keepLast);
    case 'pseudonymise':
      return pseudonymise(value, key);
    case 'generalise':
      switch (op.to) {
        case 'year':
        case 'month':
          return generaliseDate(value, op.to);
        case 'band':
          return generaliseAge(value, op.size ?? 10);
        case 'grid':
          return generaliseCoordinates(value, op.size ?? 0.1);
        default:
          throw new UnreadableValue('has no generalisation target');
      }
    case 'drop':
      return '';
  }
}
