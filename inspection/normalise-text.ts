// inspection/normalise-text: rewrites UTF-8 text so the detectors see identifiers in one canonical shape:
// full-width digits, letters, plus and hyphen (U+FF0B, U+FF0D, U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A) become ASCII,
// and an identifier written in groups ("450102 19800108 3070", "138-1234-5678", "6222 0212 3456 7890") is joined.
// The check characters still decide: joining only makes a candidate, the detectors accept or refuse it. Streaming:
// a group or a multi-byte character cut by a chunk boundary waits for the next chunk.
import { isDigit } from './byte-classes.js';

/** Groups: at least two runs of 1-8 digits separated by one space or hyphen, 11-19 digits in all (+ X). */
const MIN_GROUP_DIGITS = 11;
const MAX_GROUP_DIGITS = 19;
const MAX_RUN = 8;
/** The longest group in bytes (19 digits, 18 separators, X) with room to spare: a longer tail is never waited on. */
const MAX_TAIL = 48;

export interface TextNormaliser {
  /**
   * Hands the normalised bytes ready so far to `emit`, in order, as views of the chunk where nothing changed
   * (no copy of the whole chunk: copying every chunk cost more than the rest of this file).
   */
  push(chunk: Uint8Array, final: boolean, emit: (bytes: Uint8Array) => void): void;
}

/** How far into a chunk the group carried from the previous one is looked for before copying both whole. */
const STITCH = 256;

function isGroupByte(c: number): boolean {
  return isDigit(c) || isSeparator(c) || c === 0x58 || c === 0x78;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2d;
}

/** Full-width forms to ASCII; returns [output, bytes of an incomplete trailing sequence left over]. */
function narrow(input: Uint8Array, final: boolean): [Uint8Array, number] {
  let first = input.indexOf(0xef);
  if (first < 0) return [input, 0];
  const out = Buffer.allocUnsafe(input.length);
  let o = 0;
  let i = 0;
  const n = input.length;
  while (first >= 0) {
    out.set(input.subarray(i, first), o);
    o += first - i;
    i = first;
    if (i + 2 >= n && !final) {
      // Maybe a full-width character cut in two: keep it for the next chunk.
      return [out.subarray(0, o), n - i];
    }
    const b1 = input[i + 1] as number;
    const b2 = input[i + 2] as number;
    // U+FF10-FF19, U+FF21-FF3A: EF BC 90-99 / A1-BA; U+FF0B, U+FF0D: EF BC 8B / 8D; U+FF41-FF5A: EF BD 81-9A.
    if (
      b1 === 0xbc &&
      ((b2 >= 0x90 && b2 <= 0x99) || (b2 >= 0xa1 && b2 <= 0xba) || b2 === 0x8b || b2 === 0x8d)
    ) {
      out[o++] = b2 - 0x60;
      i += 3;
    } else if (b1 === 0xbd && b2 >= 0x81 && b2 <= 0x9a) {
      out[o++] = b2 - 0x20;
      i += 3;
    } else {
      out[o++] = 0xef;
      i += 1;
    }
    first = input.indexOf(0xef, i);
  }
  out.set(input.subarray(i), o);
  o += n - i;
  return [out.subarray(0, o), 0];
}

export function createTextNormaliser(): TextNormaliser {
  let carryWide: Uint8Array = new Uint8Array(0);
  let carryGroup: Uint8Array = new Uint8Array(0);
  /** The last byte handed out: a group must not continue a letter-and-digit token. */
  let lastOut = 0x20;
  const joined = Buffer.allocUnsafe(MAX_TAIL);

  function join(input: Uint8Array, final: boolean, emit: (bytes: Uint8Array) => void): void {
    const n = input.length;
    // Bytes after `limit` may belong to a group still being written: they wait, unless the tail is too long.
    let limit = n;
    if (!final) {
      let t = n;
      while (t > 0 && n - t <= MAX_TAIL) {
        const c = input[t - 1] as number;
        if (!isGroupByte(c)) break;
        t--;
      }
      if (n - t <= MAX_TAIL) limit = t;
    }
    let copied = 0;
    const out = (bytes: Uint8Array): void => {
      if (bytes.length === 0) return;
      lastOut = bytes[bytes.length - 1] as number;
      emit(bytes);
    };
    let i = 1;
    while (i < limit - 1) {
      const c = input[i] as number;
      if (!isSeparator(c) || !isDigit(input[i - 1] as number) || !isDigit(input[i + 1] as number)) {
        i++;
        continue;
      }
      let s = i - 1;
      while (s > 0 && isDigit(input[s - 1] as number)) s--;
      const before = s > 0 ? (input[s - 1] as number) : lastOut;
      // Walk the runs of the group.
      let j = s;
      let runs = 0;
      let digits = 0;
      let longest = 0;
      for (;;) {
        const r = j;
        while (j < limit && isDigit(input[j] as number)) j++;
        runs++;
        digits += j - r;
        if (j - r > longest) longest = j - r;
        if (j + 1 < limit && isSeparator(input[j] as number) && isDigit(input[j + 1] as number)) j++;
        else break;
      }
      let end = j;
      if (digits === 17 && end < limit && ((input[end] as number) | 0x20) === 0x78) end++;
      const after = end < limit ? (input[end] as number) : 0x20;
      if (
        runs >= 2 &&
        longest <= MAX_RUN &&
        digits >= MIN_GROUP_DIGITS &&
        digits <= MAX_GROUP_DIGITS &&
        !isAlnum(before) &&
        !isAlnum(after) &&
        end - s <= MAX_TAIL
      ) {
        let o = 0;
        for (let k = s; k < end; k++) {
          const b = input[k] as number;
          if (!isSeparator(b)) joined[o++] = b;
        }
        out(input.subarray(copied, s));
        out(Buffer.from(joined.subarray(0, o)));
        copied = end;
      }
      i = end + 1;
    }
    out(input.subarray(copied, limit));
    carryGroup = limit < n ? Buffer.from(input.subarray(limit)) : new Uint8Array(0);
  }

  return {
    push(chunk, final, emit) {
      let input = chunk;
      if (carryWide.length > 0) input = Buffer.concat([carryWide, chunk]); // rare: a character cut in two
      const [wide, left] = narrow(input, final);
      carryWide = left > 0 ? Buffer.from(input.subarray(input.length - left)) : new Uint8Array(0);
      if (carryGroup.length === 0) return join(wide, final, emit);
      // The carried tail of a possible group is finished with the start of this chunk, up to the first byte
      // that cannot belong to a group; the rest of the chunk is then read in place.
      let k = 0;
      while (k < wide.length && k < STITCH && isGroupByte(wide[k] as number)) k++;
      if (k >= wide.length || k >= STITCH) return join(Buffer.concat([carryGroup, wide]), final, emit);
      const stitched = Buffer.concat([carryGroup, wide.subarray(0, k + 1)]);
      carryGroup = new Uint8Array(0);
      join(stitched, false, emit);
      join(wide.subarray(k + 1), final, emit);
    },
  };
}
