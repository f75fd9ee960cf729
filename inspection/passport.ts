// inspection/passport: recognises a PRC passport number as a whole alphanumeric token in a byte buffer. Pure;
// must not allocate. Without a keyword nearby this is low confidence: nine-character codes are common.
import { allDigits, isDigit } from './byte-classes.js';

/**
 * Numbering of PRC passports as printed on the data page (National Immigration Administration; [K], verify
 * against the NIA before go-live):
 * - ordinary passports issued 1997-2012: G + 8 digits (G12345678);
 * - ordinary e-passports from 2012: E + 8 digits (E12345678), and once that series ran out E + a letter other
 *   than I or O + 7 digits (EA1234567);
 * - diplomatic, service and public-affairs e-passports: DE, SE or PE + 7 digits.
 * Letters are accepted in either case and normalised to upper case by the caller.
 */
export function checkPassport(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 9) return false;
  const first = (bytes[start] as number) & 0xdf; // ASCII upper case
  const second = bytes[start + 1] as number;
  if (isDigit(second)) return (first === 0x45 || first === 0x47) && allDigits(bytes, start + 2, end);
  const secondUpper = second & 0xdf;
  if (secondUpper < 0x41 || secondUpper > 0x5a) return false;
  if (first === 0x45) return secondUpper !== 0x49 && secondUpper !== 0x4f && allDigits(bytes, start + 2, end);
  if (secondUpper === 0x45 && (first === 0x44 || first === 0x53 || first === 0x50))
    return allDigits(bytes, start + 2, end);
  return false;
}
