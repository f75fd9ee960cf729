// inspection/hk-macao-permit: recognises Hong Kong / Macao travel permit numbers as whole alphanumeric tokens in a
// byte buffer. Pure; must not allocate. Low confidence without a keyword: the shapes are short.
import { allDigits, isDigit } from './byte-classes.js';

/**
 * Two documents ([K], from the issuing authorities' published card layouts; verify before go-live):
 * - Exit-Entry Permit for Travelling to and from Hong Kong and Macao (往来港澳通行证, card type from 2014),
 *   held by mainland residents: C + 8 characters, the first of them a letter (not I or O) or digit, then 7 digits;
 * - Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证, "home-return permit"):
 *   H (Hong Kong) or M (Macao) + 8 digits, printed with a 2-digit issue count on the card (10 digits); 8-10 accepted.
 * Letters are accepted in either case and normalised to upper case by the caller.
 */
export function checkHkMacaoPermit(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  const first = (bytes[start] as number) & 0xdf;
  if (first === 0x43 && length === 9) {
    const second = bytes[start + 1] as number;
    const upper = second & 0xdf;
    const letter = upper >= 0x41 && upper <= 0x5a && upper !== 0x49 && upper !== 0x4f;
    return (letter || isDigit(second)) && allDigits(bytes, start + 2, end);
  }
  if ((first === 0x48 || first === 0x4d) && length >= 9 && length <= 11)
    return allDigits(bytes, start + 1, end);
  return false;
}
