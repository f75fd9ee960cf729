// platform/ids: time-sortable identifiers (ULID layout: 48-bit ms time + 80 random bits, Crockford base32),
// so lexicographic order is creation order and Redis lex-sorted indexes page newest-first without scores.
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type RandomSource = (size: number) => Buffer;

export function createId(now: Date, random: RandomSource = randomBytes): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = alphabet.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  const bytes = random(10);
  let tail = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += alphabet.charAt((acc >> bits) & 31);
    }
  }
  return head + tail;
}

/**
 * A ULID as this gateway issues it: 26 characters of upper-case Crockford base32, the first at most '7' (48
 * bits of time). Lower case and Crockford's aliases (I, L, O, U) are not canonicalised: an id has one
 * spelling, so one resource has one URL, and anything else is not an id (api.md §6: 404 like an unknown id).
 */
export const idPattern = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** Whether `text` is an id in its one canonical spelling (see idPattern). */
export function isId(text: unknown): text is string {
  return typeof text === 'string' && idPattern.test(text);
}

/** The creation time a ULID carries in its first 10 characters; null for anything that is not one. */
export function idTime(id: string): Date | null {
  if (!idPattern.test(id)) return null;
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + alphabet.indexOf(char);
  return new Date(time);
}
