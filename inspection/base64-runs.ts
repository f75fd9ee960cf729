// inspection/base64-runs: finds long runs of base64 (RFC 4648 §4) in text, so what was encoded is inspected too.
// A run whose first MIN_RUN characters are base64 with at least one letter among them (so a long number is never
// taken for base64) is decoded as it streams and handed to a child; MIME and PEM line breaks (lines of 60+
// characters, a multiple of 4) continue a run. Text passes through in whole slices (the detectors' cost is per
// write): the first MIN_RUN characters of a decoded run reach the text too, the rest does not.

const MIN_RUN = 40;
const MIN_WRAPPED_LINE = 60;
const B64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64[c.charCodeAt(0)] = 1;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') B64[c.charCodeAt(0)] = 2;

export interface Base64Child {
  write(decoded: Uint8Array): void;
  end(): void;
}

export interface Base64Runs {
  /** Passes text through, calling `text` with what is not a decoded run and opening children for runs. */
  push(chunk: Uint8Array, final: boolean): void;
}

const latin1 = (chunk: Uint8Array, from: number, to: number): string =>
  Buffer.from(chunk.buffer, chunk.byteOffset + from, to - from).toString('latin1');

export function createBase64Runs(
  text: (bytes: Uint8Array) => void,
  openChild: (offset: number) => Base64Child,
): Base64Runs {
  /** The run being read in text mode: its length so far, whether it has a letter, its characters from earlier chunks. */
  let runLength = 0;
  let runLetters = false;
  let carry = '';
  let child: Base64Child | null = null;
  /** Characters of the child not yet decoded: whole quanta are decoded once per chunk, the rest waits. */
  let undecoded: string[] = [];
  let lineLength = 0;
  let padded = false;
  let offset = 0;

  function decode(): void {
    if (undecoded.length === 0 || child === null) return;
    const all = undecoded.join('');
    const usable = all.length - (all.length % 4);
    undecoded = usable === all.length ? [] : [all.slice(usable)];
    if (usable > 0) child.write(Buffer.from(all.slice(0, usable), 'base64'));
  }

  function endChild(): void {
    if (child === null) return;
    decode();
    const rest = undecoded.join('');
    if (rest.length > 1) child.write(Buffer.from(rest, 'base64'));
    undecoded = [];
    child.end();
    child = null;
    padded = false;
  }

  return {
    push(chunk, final) {
      const n = chunk.length;
      let passFrom = 0;
      let i = 0;
      while (i < n) {
        if (child !== null) {
          // Inside a decoded run: consume base64 characters and allowed line breaks.
          const start = i;
          while (i < n && B64[chunk[i] as number] !== 0 && !padded) i++;
          lineLength += i - start;
          if (i > start) undecoded.push(latin1(chunk, start, i));
          if (i >= n) break;
          const c = chunk[i] as number;
          if (c === 0x3d) {
            padded = true;
            undecoded.push('=');
            i++;
            continue;
          }
          if (
            (c === 0x0a || c === 0x0d) &&
            !padded &&
            lineLength >= MIN_WRAPPED_LINE &&
            lineLength % 4 === 0
          ) {
            i++;
            if (c === 0x0a) lineLength = 0;
            continue;
          }
          endChild();
          passFrom = i;
          runLength = 0;
          runLetters = false;
          continue;
        }
        // Text: find where a run reaches MIN_RUN characters with a letter among them.
        for (; i < n; i++) {
          const cls = B64[chunk[i] as number] as number;
          if (cls === 0) {
            runLength = 0;
            runLetters = false;
            continue;
          }
          runLength++;
          if (cls === 2) runLetters = true;
          if (runLength === MIN_RUN && runLetters) break;
        }
        if (i >= n) break;
        const runStart = i + 1 - MIN_RUN;
        const first =
          runStart >= 0
            ? latin1(chunk, runStart, i + 1)
            : carry.slice(carry.length + runStart) + latin1(chunk, 0, i + 1);
        i++;
        if (i > passFrom) text(chunk.subarray(passFrom, i));
        passFrom = i;
        child = openChild(offset + runStart);
        lineLength = MIN_RUN;
        undecoded = [first];
        runLength = 0;
        runLetters = false;
      }
      if (child === null) {
        if (n > passFrom) text(chunk.subarray(passFrom, n));
        // The characters of a run still short of MIN_RUN, in case it qualifies in the next chunk.
        // (A run past MIN_RUN without a letter never qualifies: nothing is kept, memory stays flat.)
        carry =
          runLength === 0 || runLength >= MIN_RUN
            ? ''
            : (carry + latin1(chunk, Math.max(0, n - runLength), n)).slice(-runLength);
      } else decode();
      offset += n;
      if (final) {
        endChild();
        runLength = 0;
        runLetters = false;
        carry = '';
      }
    },
  };
}
