// inspection/mobile: recognises a mainland China mobile number in a maximal run of ASCII digits. Pure; must not
// allocate. Separators such as "+86-" or "+86 " end the digit run, so the scanner sees the 11 digits alone.

/**
 * MIIT numbering plan (YD/T 2325 and the E.164 allocation for +86): mobile numbers are 11 digits 1[3-9]xxxxxxxxx.
 * The run may carry the country code written without a separator: 86 + 11 digits or 0086 + 11 digits.
 * Returns the index where the 11-digit number starts, or -1.
 */
export function matchMobile(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let at: number;
  if (length === 11) at = start;
  else if (length === 13 && bytes[start] === 0x38 && bytes[start + 1] === 0x36) at = start + 2;
  else if (
    length === 15 &&
    bytes[start] === 0x30 &&
    bytes[start + 1] === 0x30 &&
    bytes[start + 2] === 0x38 &&
    bytes[start + 3] === 0x36
  )
    at = start + 4;
  else return -1;
  const second = bytes[at + 1] as number;
  if (bytes[at] !== 0x31 || second < 0x33 || second > 0x39) return -1;
  for (let i = at + 2; i < end; i++) {
    const c = bytes[i] as number;
    if (c < 0x30 || c > 0x39) return -1;
  }
  return at;
}
