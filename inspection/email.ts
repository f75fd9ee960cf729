// inspection/email: finds the e-mail address around one '@' in a byte buffer. Pure; must not allocate. The
// scanner finds '@' with a native search and calls this once per '@'.
import { ALPHA, byteClass, EMAIL_DOMAIN, EMAIL_LOCAL } from './byte-classes.js';

/** RFC 5321 §4.5.3.1.1-2: a local part of at most 64 octets and a domain of at most 255 (253 in DNS text form). */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/**
 * Looks for an address whose '@' is at `at`. The local part is the longest run of letters, digits and . _ % + -
 * before it (leading dots dropped), the domain the longest run of letters, digits, - and . after it (trailing dots
 * dropped, as at the end of a sentence). The domain needs two or more labels of 1-63 characters that neither start
 * nor end with '-', and an alphabetic top-level label of 2+ letters (RFC 1035 §2.3.1). `limit` is where the known
 * bytes end; when the domain runs up to it and more bytes may follow, the answer is "not yet" (false).
 * On success out[0] is the first byte of the address and out[1] one past its last byte.
 */
export function matchEmail(
  bytes: Uint8Array,
  at: number,
  limit: number,
  limitIsBoundary: boolean,
  out: Int32Array,
): boolean {
  let start = at;
  while (start > 0 && ((byteClass[bytes[start - 1] as number] as number) & EMAIL_LOCAL) !== 0) {
    start--;
    if (at - start > MAX_LOCAL) return false;
  }
  while (start < at && bytes[start] === 0x2e) start++;
  if (start === at || bytes[at - 1] === 0x2e) return false;
  for (let i = start + 1; i < at; i++) if (bytes[i] === 0x2e && bytes[i - 1] === 0x2e) return false;

  let end = at + 1;
  while (end < limit && ((byteClass[bytes[end] as number] as number) & EMAIL_DOMAIN) !== 0) {
    end++;
    if (end - at - 1 > MAX_DOMAIN + 1) return false;
  }
  if (end === limit && !limitIsBoundary) return false;
  while (end > at + 1 && bytes[end - 1] === 0x2e) end--;
  if (!checkDomain(bytes, at + 1, end)) return false;
  out[0] = start;
  out[1] = end;
  return true;
}

function checkDomain(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 4 || end - start > MAX_DOMAIN) return false;
  let labels = 0;
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && bytes[i] !== 0x2e) continue;
    const length = i - labelStart;
    if (length < 1 || length > 63) return false;
    if (bytes[labelStart] === 0x2d || bytes[i - 1] === 0x2d) return false;
    labels++;
    if (i === end) {
      if (length < 2) return false;
      for (let j = labelStart; j < end; j++)
        if (((byteClass[bytes[j] as number] as number) & ALPHA) === 0) return false;
    }
    labelStart = i + 1;
  }
  return labels >= 2;
}
