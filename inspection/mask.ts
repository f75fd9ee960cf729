// inspection/mask: turns one found identifier into the masked sample shown in reports. The only place a found
// value becomes a string; it must never return the value whole.
import {
  BANK_CARD,
  COORDINATES,
  EMAIL,
  HK_MACAO_PERMIT,
  MOBILE,
  PASSPORT,
  RESIDENT_ID,
  USCC,
} from './detectors.js';

/**
 * How much of each kind stays visible (GB/T 35273-2020 §6.2 de-identification practice; the same shapes as the
 * masks used by PRC banks and carriers): first and last characters only, the middle starred. Coordinates keep one
 * decimal (about 10 km); e-mail keeps the first character of the local part and the domain.
 */
export function maskSample(detector: number, value: string): string {
  switch (detector) {
    case RESIDENT_ID:
    case BANK_CARD:
      return keepEnds(value, 4, 4);
    case USCC:
      return keepEnds(value, 4, 2);
    case MOBILE:
      return keepEnds(value, 3, 4);
    case PASSPORT:
    case HK_MACAO_PERMIT:
      return keepEnds(value, 2, 2);
    case EMAIL: {
      const at = value.lastIndexOf('@');
      return at > 0 ? `${value[0] ?? ''}***${value.slice(at)}` : '***';
    }
    case COORDINATES:
      return value.replace(/(\d+\.\d)\d+/g, '$1***');
    default:
      return '***';
  }
}

/** head + stars + tail, with at least half of the value starred whatever its length. */
function keepEnds(value: string, head: number, tail: number): string {
  const n = value.length;
  const visible = Math.min(head + tail, Math.floor(n / 2));
  const t = Math.min(tail, Math.floor(visible / 2));
  const h = Math.min(head, visible - t);
  return value.slice(0, h) + '*'.repeat(n - h - t) + value.slice(n - t);
}

/**
 * A column name as reported: as found, unless it holds something identifier-like, which is starred. Every detected
 * identifier has four or more digits or an '@', so a name with neither cannot carry one whole.
 */
export function sanitizeColumnName(name: string): string {
  let out = name.length > 100 ? name.slice(0, 100) : name;
  if (out.includes('@')) out = out.replace(/[^\s@]*@[^\s@]*/g, '***@***');
  if ((out.match(/[0-9]/g)?.length ?? 0) >= 4) out = out.replace(/[0-9]/g, '#');
  return out;
}
