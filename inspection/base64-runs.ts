// inspection/base64-runs: finds long runs of base64 (RFC 4648 §4) in text, so what was encoded is inspected too.
// A run of MIN_RUN or more base64 characters holding at least one letter (so a long number is never taken for
// base64) is decoded as it streams and handed to a child; MIME and PEM line breaks (lines of 60+ characters, a
// multiple of 4) continue a run. The characters of a decoded run do not reach the text (they are the encoding);
// everything else passes through unchanged. Shorter runs are held back until decided (at most MIN_RUN bytes).

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

export function createBase64Runs(
  text: (bytes: Uint8Array) => void,
  openChild: (offset: number) => Base64Child,
): Base64Runs {
  /** Characters of a run not yet decided (shorter than MIN_RUN), withheld from the text. */
  const held = Buffer.allocUnsafe(MIN_RUN);
  let heldLength = 0;
  let heldLetters = false;
  let child: Base64Child | null = null;
  /** Base64 characters of the child not yet decoded (fewer than 4). */
  let quantum = '';
  let lineLength = 0;
  let padded = false;
  let offset = 0;

  function decode(chars: string): void {
    const all = quantum + chars;
    const usable = all.length - (all.length % 4);
    quantum = all.slice(usable);
    if (usable > 0 && child !== null) child.write(Buffer.from(all.slice(0, usable), 'base64'));
  }

  function endChild(): void {
    if (child === null) return;
    if (quantum.length > 1) child.write(Buffer.from(quantum, 'base64'));
    quantum = '';
    child.end();
    child = null;
    padded = false;
  }

  return {
    push(chunk, final) {
      const n = chunk.length;
      let passFrom = 0;
      let i = 0;
      const flushText = (to: number): void => {
        if (to > passFrom) text(chunk.subarray(passFrom, to));
      };
      while (i < n) {
        if (child !== null) {
          // Inside a decoded run: consume base64 characters and allowed line breaks.
          const start = i;
          while (i < n && B64[chunk[i] as number] !== 0 && !padded) i++;
          lineLength += i - start;
          if (i > start)
            decode(Buffer.from(chunk.buffer, chunk.byteOffset + start, i - start).toString('latin1'));
          if (i >= n) break;
          const c = chunk[i] as number;
          if (c === 0x3d) {
            padded = true;
            quantum += '=';
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
          continue;
        }
        const c = chunk[i] as number;
        const cls = B64[c] as number;
        if (cls === 0) {
          if (heldLength > 0) {
            // A short run ends: it is ordinary text.
            text(held.subarray(0, heldLength));
            heldLength = 0;
            heldLetters = false;
          }
          i++;
          continue;
        }
        // A base64 character: the text before it goes out, the run is held.
        if (heldLength === 0) {
          flushText(i);
          passFrom = i;
        }
        held[heldLength++] = c;
        if (cls === 2) heldLetters = true;
        i++;
        passFrom = i;
        if (heldLength === MIN_RUN) {
          if (heldLetters) {
            child = openChild(offset + i - MIN_RUN);
            lineLength = MIN_RUN;
            decode(held.toString('latin1', 0, MIN_RUN));
          } else text(held.subarray(0, MIN_RUN));
          heldLength = 0;
          heldLetters = false;
        }
      }
      if (child === null) flushText(i);
      offset += n;
      if (final) {
        if (heldLength > 0) text(held.subarray(0, heldLength));
        heldLength = 0;
        endChild();
      }
    },
  };
}
