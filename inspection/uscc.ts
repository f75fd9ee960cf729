// inspection/uscc: validates an 18-character Unified Social Credit Code (GB 32100-2015) in place in a byte
// buffer. An organisation code, not personal information. Pure; must not allocate.

/** GB 32100-2015 §4.2 / Table 1: the 31 code characters (no I, O, Z, S, V) and their values 0..30. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 §5: weights Wi = 3^(i-1) mod 31 for positions 1..17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function buildValues(): Int8Array {
  const values = new Int8Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) values[ALPHABET.charCodeAt(i)] = i;
  return values;
}
const VALUES = buildValues();

/** The GB 32100 check character value for the 17 values before it: 31 - (Σ Ci·Wi mod 31), with 31 → 0. */
export function computeUsccCheck(sum: number): number {
  const c = 31 - (sum % 31);
  return c === 31 ? 0 : c;
}

/**
 * True when bytes[start..start+18) is a USCC: every character from the code alphabet (upper case), positions
 * 3-8 the six-digit administrative division code (GB/T 2260), and position 18 the MOD 31 check character.
 */
export function checkUscc(bytes: Uint8Array, start: number): boolean {
  if (start < 0 || start + 18 > bytes.length) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const b = bytes[start + i] as number;
    const v = VALUES[b] as number;
    if (v < 0) return false;
    if (i >= 2 && i <= 7 && v > 9) return false;
    sum += v * (WEIGHTS[i] as number);
  }
  const check = VALUES[bytes[start + 17] as number] as number;
  return check >= 0 && check === computeUsccCheck(sum);
}
