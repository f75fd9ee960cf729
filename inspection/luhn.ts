// inspection/luhn: the ISO/IEC 7812-1 Annex B (Luhn) check over a run of ASCII digits in a byte buffer, used
// for payment card numbers. Pure; must not allocate.

/** True when bytes[start..end) are digits whose Luhn sum (doubling every second digit from the right) is 0 mod 10. */
export function checkLuhn(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    let d = (bytes[i] as number) - 0x30;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
