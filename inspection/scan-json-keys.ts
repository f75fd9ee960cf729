// inspection/scan-json-keys: finds object keys in JSON / NDJSON text ("key": value) and says which reveal a
// category of personal data. Keys are remembered by their bytes so a key repeated on every record costs a hash and a
// compare, not a string. Must not report values: only whether a sensitive key's value is present.
import { classifyColumn, type ColumnCategory } from './column-categories.js';
import { SENSITIVE_COLUMN } from './detectors.js';
import { pushToken, type TokenList } from './token-list.js';

/** Longer keys are not column names worth classifying (and bound the backward search). */
const MAX_KEY = 120;
/** Distinct keys remembered; a payload with more (keys that are themselves data) is classified without memory. */
const MAX_REMEMBERED = 4096;

const KEY_END = Buffer.from('":');

interface KeyEntry {
  readonly bytes: Uint8Array;
  readonly category: ColumnCategory | undefined;
}

export interface JsonKeyScanner {
  /**
   * Scans keys whose closing quote is in [from, to) of `view`. Calls `onCategory` the first time a key with a
   * category is seen, and pushes a SENSITIVE_COLUMN token at each sensitive key whose value is not empty
   * (null, "", [] and {} are empty).
   */
  scan(view: Buffer, from: number, to: number, out: TokenList): void;
}

export function createJsonKeyScanner(
  onCategory: (name: string, category: ColumnCategory) => void,
): JsonKeyScanner {
  const remembered = new Map<number, KeyEntry[]>();
  let rememberedCount = 0;

  function lookup(view: Buffer, start: number, end: number): ColumnCategory | undefined {
    let hash = 0x811c9dc5; // FNV-1a, 32-bit
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (view[i] as number), 0x01000193);
    const bucket = remembered.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) if (sameBytes(entry.bytes, view, start, end)) return entry.category;
    }
    const name = view.toString('utf8', start, end);
    const category = classifyColumn(name);
    if (category !== undefined) onCategory(name, category);
    if (rememberedCount < MAX_REMEMBERED) {
      const entry = { bytes: Uint8Array.prototype.slice.call(view, start, end), category };
      if (bucket === undefined) remembered.set(hash, [entry]);
      else bucket.push(entry);
      rememberedCount++;
    }
    return category;
  }

  return {
    scan(view: Buffer, from: number, to: number, out: TokenList): void {
      for (let p = view.indexOf(KEY_END, from); p >= 0 && p < to; p = view.indexOf(KEY_END, p + 2)) {
        let q = p - 1;
        const floor = Math.max(0, p - MAX_KEY);
        while (q >= floor && view[q] !== 0x22) q--;
        if (q < floor || (q > 0 && view[q - 1] === 0x5c)) continue;
        const category = lookup(view, q + 1, p);
        if (category?.sensitive === true && hasValue(view, p + 2)) pushToken(out, SENSITIVE_COLUMN, q, q, p);
      }
    },
  };
}

function sameBytes(a: Uint8Array, view: Buffer, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== view[start + i]) return false;
  return true;
}

/** Whether the JSON value starting at `at` (after the colon) is present: not null, "", [] or {}. */
function hasValue(view: Buffer, at: number): boolean {
  let i = at;
  while (i < view.length && (view[i] === 0x20 || view[i] === 0x09)) i++;
  if (i >= view.length) return false;
  const c = view[i] as number;
  if (c === 0x6e) return false; // null
  if (c === 0x0a || c === 0x0d || c === 0x2c || c === 0x7d) return false;
  if (c === 0x22 || c === 0x5b || c === 0x7b) {
    let j = i + 1;
    while (j < view.length && (view[j] === 0x20 || view[j] === 0x09)) j++;
    const close = c === 0x22 ? 0x22 : c === 0x5b ? 0x5d : 0x7d;
    return view[j] !== close;
  }
  return true;
}
