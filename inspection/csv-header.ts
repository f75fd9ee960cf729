// inspection/csv-header: reads the first line of a delimited text payload as a header row, and answers whether a
// data row has a value under given columns. RFC 4180 quoting; one record per line. Pure; no I/O.

export interface CsvHeader {
  /** The byte that separates fields: , TAB ; or | */
  readonly delimiter: number;
  readonly names: readonly string[];
}

const CANDIDATE_DELIMITERS = [0x2c, 0x09, 0x3b, 0x7c];
const QUOTE = 0x22;

/**
 * The header row in bytes[start..end), or undefined when the line does not look like one: fewer than two fields,
 * a field longer than 100 bytes, or a field holding what looks like data (six digits in a row, or an '@').
 * The delimiter is the candidate seen most often outside quotes.
 */
export function parseHeaderRow(bytes: Uint8Array, start: number, end: number): CsvHeader | undefined {
  let lineEnd = end;
  if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd--;
  const counts = [0, 0, 0, 0];
  let quoted = false;
  for (let i = start; i < lineEnd; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      const k = CANDIDATE_DELIMITERS.indexOf(c);
      if (k >= 0) counts[k] = (counts[k] as number) + 1;
    }
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if ((counts[k] as number) > (counts[best] as number)) best = k;
  if (counts[best] === 0) return undefined;
  const delimiter = CANDIDATE_DELIMITERS[best] as number;

  const names: string[] = [];
  let i = start;
  for (;;) {
    const field = readField(bytes, i, lineEnd, delimiter);
    if (field.end - field.start > 100 || looksLikeData(bytes, field.start, field.end)) return undefined;
    names.push(
      Buffer.from(bytes.buffer, bytes.byteOffset + field.start, field.end - field.start)
        .toString('utf8')
        .replace(/""/g, '"')
        .trim(),
    );
    if (field.next >= lineEnd) break;
    i = field.next;
  }
  return names.length >= 2 ? { delimiter, names } : undefined;
}

interface Field {
  /** Content bounds without the surrounding quotes. */
  readonly start: number;
  readonly end: number;
  /** Where the next field starts (after the delimiter), or the line end. */
  readonly next: number;
}

function readField(bytes: Uint8Array, at: number, end: number, delimiter: number): Field {
  let i = at;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09) && bytes[i] !== delimiter) i++;
  if (i < end && bytes[i] === QUOTE) {
    const start = i + 1;
    let j = start;
    while (j < end) {
      if (bytes[j] === QUOTE) {
        if (j + 1 < end && bytes[j + 1] === QUOTE) j += 2;
        else break;
      } else j++;
    }
    const contentEnd = j;
    while (j < end && bytes[j] !== delimiter) j++;
    return { start, end: contentEnd, next: j < end ? j + 1 : end };
  }
  let j = at;
  while (j < end && bytes[j] !== delimiter) j++;
  return { start: at, end: j, next: j < end ? j + 1 : end };
}

function looksLikeData(bytes: Uint8Array, start: number, end: number): boolean {
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 0x40) return true;
    digits = c >= 0x30 && c <= 0x39 ? digits + 1 : 0;
    if (digits >= 6) return true;
  }
  return false;
}

/**
 * True when the record in bytes[start..end) has a non-empty value in any of `columns` (ascending field indices).
 * Empty means blank, "", or a conventional null marker (null, NULL, N/A, n/a, -, \N).
 */
export function rowHasValueIn(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  columns: readonly number[],
): boolean {
  let lineEnd = end;
  if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd--;
  const last = columns[columns.length - 1];
  if (last === undefined) return false;
  let k = 0;
  let i = start;
  for (let column = 0; column <= last; column++) {
    const field = readField(bytes, i, lineEnd, delimiter);
    if (column === columns[k]) {
      if (!isEmptyValue(bytes, field.start, field.end)) return true;
      k++;
    }
    if (field.next >= lineEnd) return false;
    i = field.next;
  }
  return false;
}

const NULL_MARKERS = ['null', 'n/a', '-', '\\n'];

function isEmptyValue(bytes: Uint8Array, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09)) s++;
  while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09)) e--;
  if (e - s === 0) return true;
  if (e - s > 4) return false;
  let text = '';
  for (let i = s; i < e; i++)
    text += String.fromCharCode(
      (bytes[i] as number) | ((bytes[i] as number) >= 0x41 && (bytes[i] as number) <= 0x5a ? 0x20 : 0),
    );
  return NULL_MARKERS.includes(text);
}
