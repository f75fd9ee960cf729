// inspection/byte-classes: one 256-entry table of ASCII character classes so the scanner tests a byte with one
// load and a mask. Constant data; must not be written to after module load.

export const DIGIT = 1;
export const ALPHA = 2;
/** RFC 5322 atext subset accepted in the local part of an address: letters, digits and . _ % + - */
export const EMAIL_LOCAL = 4;
/** RFC 1035 label characters and the dot: letters, digits, - and . */
export const EMAIL_DOMAIN = 8;

function buildTable(): Uint8Array {
  const table = new Uint8Array(256);
  for (let c = 0x30; c <= 0x39; c++) table[c] = DIGIT | EMAIL_LOCAL | EMAIL_DOMAIN;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = ALPHA | EMAIL_LOCAL | EMAIL_DOMAIN;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = ALPHA | EMAIL_LOCAL | EMAIL_DOMAIN;
  for (const ch of '._%+-') table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] ?? 0) | EMAIL_LOCAL;
  for (const ch of '.-') table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] ?? 0) | EMAIL_DOMAIN;
  return table;
}

export const byteClass: Uint8Array = buildTable();

/** True for ASCII 0-9. Written out so V8 inlines it on the hot path. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** True when bytes[start..end) are all ASCII digits (true for an empty range). */
export function allDigits(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(bytes[i] as number)) return false;
  return true;
}
