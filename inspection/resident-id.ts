// inspection/resident-id: validates an 18-character PRC citizen identity number (GB 11643-1999) in place in a
// byte buffer. Pure; must not allocate (it runs once per candidate digit run on the hot path).

/** GB 11643-1999 §8.2: weights Wi = 2^(17-i) mod 11 for positions 1..17 (ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** GB 11643-1999 §8.2: check character for (Σ ai·Wi) mod 11 = 0..10; 'X' stands for 10. */
const CHECK = [0x31, 0x30, 0x58, 0x39, 0x38, 0x37, 0x36, 0x35, 0x34, 0x33, 0x32];
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when bytes[start..start+18) is a resident identity number: 17 digits, a MOD 11-2 check character
 * (0-9, X or x), a first digit 1-9 (GB/T 2260 region codes start 1-8; 9 is used by the 2023 foreigner
 * permanent-residence card) and a real calendar birth date YYYYMMDD in 1900-2099 (positions 7-14, §5).
 * No clock is consulted, so "not in the future" is approximated by the year range.
 */
export function checkResidentId(bytes: Uint8Array, start: number): boolean {
  if (start < 0 || start + 18 > bytes.length) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = (bytes[start + i] as number) - 0x30;
    if (d < 0 || d > 9) return false;
    sum += d * (WEIGHTS[i] as number);
  }
  let check = bytes[start + 17] as number;
  if (check === 0x78) check = 0x58; // 'x' → 'X'
  if (check !== CHECK[sum % 11]) return false;
  if (bytes[start] === 0x30) return false;
  return checkBirthDate(bytes, start + 6);
}

function digitAt(bytes: Uint8Array, i: number): number {
  return (bytes[i] as number) - 0x30;
}

function checkBirthDate(bytes: Uint8Array, at: number): boolean {
  const year =
    digitAt(bytes, at) * 1000 +
    digitAt(bytes, at + 1) * 100 +
    digitAt(bytes, at + 2) * 10 +
    digitAt(bytes, at + 3);
  const month = digitAt(bytes, at + 4) * 10 + digitAt(bytes, at + 5);
  const day = digitAt(bytes, at + 6) * 10 + digitAt(bytes, at + 7);
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (DAYS_IN_MONTH[month] as number);
}
