// inspection/coordinates: recognises a precise latitude/longitude pair written as two decimals side by side
// ("22.8170, 108.3665"). Pure; must not allocate. Precise location is sensitive PI (GB/T 35273-2020 App. B).
import { ALPHA, byteClass, isDigit } from './byte-classes.js';

/**
 * Four decimals of a degree are about 11 m on the ground, the precision at which a position locates a
 * building; fewer decimals are treated as coarse location (not sensitive) and ignored.
 */
const MIN_DECIMALS = 4;

/**
 * Called with the fractional digits bytes[fracStart..fracEnd) of a decimal ("8170" in "22.8170"). Succeeds when
 * that decimal is the first of a pair: optional sign, 1-3 integer digits, 4+ decimals, then spaces and/or one of
 * , ; / and a second such decimal, one within ±90 and the other within ±180 (either order), not both zero.
 * A decimal that itself follows another 4-decimal number is the continuation of a list and does not start a
 * pair, so "a, b, c" counts once. On success out[0] is the first byte of the pair and out[1] one past its last.
 */
export function matchCoordinates(
  bytes: Uint8Array,
  fracStart: number,
  fracEnd: number,
  limit: number,
  limitIsBoundary: boolean,
  out: Int32Array,
): boolean {
  if (fracEnd - fracStart < MIN_DECIMALS || fracStart < 2 || bytes[fracStart - 1] !== 0x2e) return false;
  let intStart = fracStart - 1;
  while (intStart > 0 && intStart > fracStart - 6 && isDigit(bytes[intStart - 1] as number)) intStart--;
  const intDigits = fracStart - 1 - intStart;
  if (intDigits < 1 || intDigits > 3) return false;
  let start = intStart;
  if (start > 0 && (bytes[start - 1] === 0x2d || bytes[start - 1] === 0x2b)) start--;
  if (start > 0 && !isFreeBefore(bytes[start - 1] as number)) return false;
  if (followsDecimal(bytes, start)) return false;
  const first = readDegrees(bytes, start, fracEnd);
  if (!isFreeAfter(bytes, fracEnd, limit, limitIsBoundary)) return false;

  let i = fracEnd;
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (i < limit && (bytes[i] === 0x2c || bytes[i] === 0x3b || bytes[i] === 0x2f)) i++;
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (i === fracEnd || i >= limit) return false;
  const secondStart = i;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) i++;
  const secondIntStart = i;
  while (i < limit && isDigit(bytes[i] as number)) i++;
  const secondIntDigits = i - secondIntStart;
  if (secondIntDigits < 1 || secondIntDigits > 3 || i >= limit || bytes[i] !== 0x2e) return false;
  const secondFracStart = ++i;
  while (i < limit && isDigit(bytes[i] as number)) i++;
  if (i - secondFracStart < MIN_DECIMALS) return false;
  if (!isFreeAfter(bytes, i, limit, limitIsBoundary)) return false;
  const second = readDegrees(bytes, secondStart, i);

  const a = Math.abs(first);
  const b = Math.abs(second);
  if (a === 0 && b === 0) return false;
  if (!((a <= 90 && b <= 180) || (a <= 180 && b <= 90))) return false;
  out[0] = start;
  out[1] = i;
  return true;
}

/** What may stand before a pair: not a letter, digit or '.', so "v1.2345" or "1.2.3456" are not coordinates. */
function isFreeBefore(c: number): boolean {
  return !isDigit(c) && c !== 0x2e && ((byteClass[c] as number) & ALPHA) === 0;
}

/** What may follow a decimal: not a letter, and not ".digit" (a version such as 22.8170.1). */
function isFreeAfter(bytes: Uint8Array, i: number, limit: number, limitIsBoundary: boolean): boolean {
  if (i >= limit) return limitIsBoundary;
  const c = bytes[i] as number;
  if (((byteClass[c] as number) & ALPHA) !== 0) return false;
  if (c === 0x2e) return i + 1 >= limit ? limitIsBoundary : !isDigit(bytes[i + 1] as number);
  return true;
}

/** True when spaces and/or one of , ; / separate `start` from a preceding decimal with 4+ decimals. */
function followsDecimal(bytes: Uint8Array, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (bytes[i] === 0x20 || bytes[i] === 0x09)) i--;
  if (i >= 0 && (bytes[i] === 0x2c || bytes[i] === 0x3b || bytes[i] === 0x2f)) i--;
  while (i >= 0 && (bytes[i] === 0x20 || bytes[i] === 0x09)) i--;
  if (i === start - 1) return false;
  let decimals = 0;
  while (i >= 0 && decimals <= 64 && isDigit(bytes[i] as number)) {
    i--;
    decimals++;
  }
  return decimals >= MIN_DECIMALS && i >= 1 && bytes[i] === 0x2e && isDigit(bytes[i - 1] as number);
}

/** The value of a decimal written bytes[start..end) (sign, digits, '.', digits) to about 1e-6 degree. */
function readDegrees(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (bytes[i] === 0x2d) {
    sign = -1;
    i++;
  } else if (bytes[i] === 0x2b) i++;
  let value = 0;
  while (i < end && bytes[i] !== 0x2e) value = value * 10 + ((bytes[i++] as number) - 0x30);
  let scale = 0.1;
  for (i++; i < end && scale > 1e-7; i++, scale /= 10) value += ((bytes[i] as number) - 0x30) * scale;
  return sign * value;
}
