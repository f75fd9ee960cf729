// inspection/inspector: streaming content inspection of an outbound payload, pushed through once in chunks of any
// size, in flat memory, with no I/O. Reports counts, confidence, masked samples and distinct people; no identifier
// leaves whole.
import { classifyColumn, type ColumnCategory } from './column-categories.js';
import { parseHeaderRow, rowHasValueIn } from './csv-header.js';
import {
  BANK_CARD,
  baseConfidence,
  DETECTOR_COUNT,
  detectorIsPi,
  detectorIsSensitive,
  RESIDENT_ID,
  detectorNames,
  EMAIL,
  HIGH,
  MOBILE,
  personStrength,
  SENSITIVE_COLUMN,
  type DetectorName,
} from './detectors.js';
import { recordKeywords } from './keywords.js';
import { maskSample, sanitizeColumnName } from './mask.js';
import { createRecordPeople } from './record-people.js';
import { scanDigits } from './scan-digits.js';
import { scanEmails } from './scan-emails.js';
import { createJsonKeyScanner } from './scan-json-keys.js';
import { createTokenList, type TokenList } from './token-list.js';

export type { DetectorName } from './detectors.js';

export type Confidence = 'low' | 'medium' | 'high';

export interface DetectorFindings {
  readonly count: number;
  readonly confidence: Confidence;
  /** Masked, at most 3. */
  readonly samples: readonly string[];
  readonly sensitive: boolean;
}

export interface InspectedColumn {
  /** The column header or JSON key as found (headers are not PI; identifier-like names are starred). */
  readonly name: string;
  readonly category: string;
  readonly sensitive: boolean;
}

export interface InspectionReport {
  readonly bytes: number;
  readonly findings: Readonly<Partial<Record<DetectorName, DetectorFindings>>>;
  readonly columns: readonly InspectedColumn[];
  /** Any PI detector fired (a USCC is an organisation code, not PI). */
  readonly containsPi: boolean;
  /** Any sensitive-PI finding (PIPL art. 28; GB/T 35273-2020 App. B). */
  readonly containsSpi: boolean;
  /** Distinct people, by their strongest identifier per record; never below the truth (see person-counter). */
  readonly individualsDetected: number;
  readonly sensitiveIndividualsDetected: number;
  /** Wrappings read (gzip, zip, xlsx, docx, base64, utf-16le/be, gb18030), outermost first; see payload-inspector. */
  readonly containers: readonly ContainerFound[];
  /** Parts that could not be read (never taken as free of personal data); see payload-inspector. */
  readonly opaque: readonly OpaquePart[];
}

export interface ContainerFound {
  /** Where: `payload`, `payload!/entry/name.xml` inside a zip, `…!gunzip` inside gzip, `…#base64@N` a decoded run. */
  readonly path: string;
  readonly format: string;
}

export type OpaqueReason =
  | 'encrypted'
  | 'unsupported_format'
  | 'unknown_binary'
  | 'corrupt'
  | 'truncated'
  | 'nesting_limit'
  | 'size_limit'
  | 'ratio_limit'
  | 'entry_limit';

export interface OpaquePart {
  readonly path: string;
  readonly reason: OpaqueReason;
  /** The format when known (`pdf`, `png`, `zip method 14`, …). */
  readonly format?: string;
}

export interface InspectorOptions {
  /** 32-byte key for HMAC-SHA256 of person identifiers; the raw identifier never leaves the inspector. */
  readonly personKey: Buffer;
  /**
   * Receives batches of person keys (16-byte truncated HMAC-SHA256 digests, RFC 2104 §5) as records complete and
   * at finish(). `sensitive = false` batches carry every person (sensitive or not), `sensitive = true` batches the
   * people with sensitive PI, so the two feed the all-individuals and sensitive-individuals yearly counters. While
   * counting is exact each person is delivered once per batch kind; past the exact limit every record's key is
   * delivered and the receiving HyperLogLog absorbs repeats. Optional.
   */
  readonly onPersonKeys?: (keys: readonly Buffer[], sensitive: boolean) => void;
  /**
   * [U] Whether a bare resident-ID number is sensitive PI (policy settings identity.bareResidentIdSensitive,
   * default true: GB/T 35273-2020 App. B lists it; GB/T 45574-2025 no longer does; an ID-card image still is).
   */
  readonly residentIdSensitive?: boolean;
  /** Distinct people counted exactly before switching to HyperLogLog (default 100,000); for tests. */
  readonly exactPersonLimit?: number;
}

export interface Inspector {
  write(chunk: Uint8Array): void;
  /**
   * Ends one text part (a zip entry, a decoded base64 run): its last record is closed and the next byte written
   * starts a new part, whose first line is read again for a CSV header or JSON. Counts and people carry on.
   */
  endPart(): void;
  finish(): InspectionReport;
}

/** Chunks are consumed in slices of at most this, so one huge write costs no more memory than many small ones. */
const MAX_SLICE = 1 << 20;
/** A line longer than this is scanned in pieces; findings are cut at no boundary (see GUARD). */
const MAX_LINE = 1 << 20;
/** Bytes kept after a forced cut in a long line: longer than any identifier (an address is at most 320). */
const GUARD = 1024;
/** Bytes kept before the unscanned part: the keyword window (300 characters, up to 1200 bytes of UTF-8) and more. */
const CONTEXT = 1536;
/** PIPL-context keyword window: a keyword ending within 300 characters before a finding raises it to high. */
const KEYWORD_CHARS = 300;
const KEYWORD_BYTES = KEYWORD_CHARS * 4;
/** Keywords are re-searched this far back so one cut between two lazy searches cannot split a keyword. */
const KEYWORD_OVERLAP = 32;
const MAX_SAMPLES = 3;
const MAX_SAMPLE_ATTEMPTS = 64;
const MAX_COLUMNS = 200;
const LF = 0x0a;
const CR = 0x0d;
/** In JSON, "}," closes one element of an array of objects: a record boundary even without a newline. */
const OBJECT_END = Buffer.from('},');

const CONFIDENCE_NAMES: readonly Confidence[] = ['low', 'low', 'medium', 'high'];

export function createInspector(options: InspectorOptions): Inspector {
  if (!(options.personKey instanceof Uint8Array) || options.personKey.length !== 32) {
    throw new TypeError('personKey must be 32 bytes');
  }
  const people = createRecordPeople(options);
  const isSensitive: readonly boolean[] =
    options.residentIdSensitive === false
      ? detectorIsSensitive.map((v, i) => (i === RESIDENT_ID ? false : v))
      : detectorIsSensitive;

  // The work buffer: [0, from) already scanned (kept as context), [from, end) not yet scanned. It starts at
  // 64 KiB and grows with the chunks it is given (a 1 KB payload should not cost a 4 MiB buffer per transfer).
  let work = Buffer.allocUnsafe(64 << 10);
  let end = 0;
  let from = 0;
  /** Absolute stream offset of work[0]. */
  let base = 0;
  let totalBytes = 0;
  let finished = false;

  // What the first line said.
  let headerDone = false;
  /** The record separator: LF (and so CRLF), or CR alone for classic Mac text. */
  let newline = LF;
  let jsonMode = false;
  let csvDelimiter = 0;
  const csvSensitiveColumns: number[] = [];

  const counts = new Float64Array(DETECTOR_COUNT);
  const confidence = new Uint8Array(DETECTOR_COUNT);
  const samples: string[][] = detectorNames.map(() => []);
  /** Findings offered as samples so far: masks often coincide (every "u***@example.com"), so stop looking early. */
  const sampleAttempts = new Uint16Array(DETECTOR_COUNT);
  const vouchedByColumn = new Uint8Array(DETECTOR_COUNT);
  const lastKeywordEnd = new Float64Array(DETECTOR_COUNT).fill(-1);
  let keywordsScannedTo = 0;
  /** Per detector: the keyword end a character count started from, how far it got, and the count. */
  const countedFrom = new Float64Array(DETECTOR_COUNT).fill(-1);
  const countedTo = new Float64Array(DETECTOR_COUNT);
  const countedChars = new Float64Array(DETECTOR_COUNT);
  const columns = new Map<string, InspectedColumn>();

  // The record being assembled: from its first finding to rowEnd, the absolute offset of its terminator, which
  // is Infinity while the terminator lies beyond the bytes scanned so far (a line longer than MAX_LINE).
  let rowOpen = false;
  let rowEnd = 0;
  let rowSpansWindows = false;
  let rowFirstToken = 0;
  let rowSensitive = false;
  /** Next "}," at or after the last position searched in this window (JSON mode), so a window is searched once. */
  let nextObjectEnd = -1;

  // Small at first (they double as findings come): most payloads have few findings per window.
  const digits = createTokenList(64);
  const emails = createTokenList(64);
  const keys = createTokenList(64);
  const scratch = new Int32Array(2);
  const jsonKeys = createJsonKeyScanner(registerColumn);

  function registerColumn(name: string, category: ColumnCategory): void {
    for (const d of category.detectors) vouchedByColumn[d] = 1;
    const shown = sanitizeColumnName(name);
    if (columns.has(shown) || columns.size >= MAX_COLUMNS) return;
    columns.set(shown, { name: shown, category: category.category, sensitive: category.sensitive });
    if (category.sensitive) {
      counts[SENSITIVE_COLUMN] = (counts[SENSITIVE_COLUMN] as number) + 1;
      confidence[SENSITIVE_COLUMN] = HIGH;
      const list = samples[SENSITIVE_COLUMN] as string[];
      if (list.length < MAX_SAMPLES) list.push(shown);
    }
  }

  /**
   * Reads the first line: JSON if it opens with { or [, else perhaps a CSV header; and whether lines end in CR
   * alone. Returns false to wait for more bytes.
   */
  function readFirstLine(final: boolean): boolean {
    // Only the first MAX_LINE bytes decide, whatever the chunks: a whole 1.6 MB buffer and the same bytes in two
    // writes must agree on the record separator even when the first line is longer than MAX_LINE.
    const limit = Math.min(end, MAX_LINE);
    const view = work.subarray(0, limit);
    const lf = view.indexOf(LF);
    let cr = view.indexOf(CR);
    if (lf >= 0 && lf < cr) cr = -1;
    if (cr >= 0 && cr + 1 >= end && !final) return false; // CR, or the first half of CRLF?
    if (cr >= 0 && work[cr + 1] !== LF) newline = CR;
    const nl = newline === CR ? cr : lf;
    if (nl < 0 && !final && end < MAX_LINE) return false;
    const lineEnd = nl < 0 ? limit : nl;
    let i = 0;
    if (work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf) i = 3; // UTF-8 byte order mark
    let j = i;
    while (j < lineEnd && (work[j] === 0x20 || work[j] === 0x09 || work[j] === CR)) j++;
    if (j < lineEnd && (work[j] === 0x7b || work[j] === 0x5b)) jsonMode = true;
    else {
      const header = lineEnd < MAX_LINE ? parseHeaderRow(work, i, lineEnd) : undefined;
      if (header !== undefined) {
        csvDelimiter = header.delimiter;
        header.names.forEach((name, index) => {
          const category = classifyColumn(name);
          if (category === undefined) return;
          registerColumn(name, category);
          if (category.sensitive) csvSensitiveColumns.push(index);
        });
      }
    }
    headerDone = true;
    return true;
  }

  function append(slice: Uint8Array): void {
    if (end + slice.length > work.length) {
      const keep = Math.max(0, from - CONTEXT);
      if (keep > 0) {
        work.copyWithin(0, keep, end);
        base += keep;
        from -= keep;
        end -= keep;
      }
      if (end + slice.length > work.length) {
        const grown = Buffer.allocUnsafe(Math.max(work.length * 2, end + slice.length));
        work.copy(grown, 0, 0, end);
        work = grown;
      }
    }
    work.set(slice, end);
    end += slice.length;
    scanAvailable(false);
  }

  function scanAvailable(final: boolean): void {
    if (!headerDone && !readFirstLine(final)) return;
    const nl = end > from ? work.lastIndexOf(newline, end - 1) : -1;
    if (nl >= from) {
      scanWindow(from, nl + 1, false);
      from = nl + 1;
    } else if (end - from > MAX_LINE) {
      const to = end - GUARD;
      scanWindow(from, to, false);
      from = to;
    }
    if (final) {
      if (from < end) scanWindow(from, end, true);
      from = end;
      if (rowOpen) finishRow();
    }
  }

  /** Scans [windowFrom, to): whole records, or a piece of a line longer than MAX_LINE. */
  function scanWindow(windowFrom: number, to: number, final: boolean): void {
    const view = work.subarray(0, end);
    nextObjectEnd = -1;
    if (rowOpen && rowEnd === Infinity) {
      rowEnd = findRowEnd(windowFrom, view, to, final);
      rowSpansWindows = true;
    }
    digits.count = 0;
    emails.count = 0;
    keys.count = 0;
    scanDigits(work, windowFrom, to, end, final, digits, scratch);
    scanEmails(view, windowFrom, to, final, emails, scratch);
    if (jsonMode) jsonKeys.scan(view, windowFrom, to, keys);

    // Merge the three ordered lists so records and keyword context are seen in stream order.
    let a = 0;
    let b = 0;
    let c = 0;
    for (;;) {
      const sa = a < digits.count ? (digits.start[a] as number) : Infinity;
      const sb = b < emails.count ? (emails.start[b] as number) : Infinity;
      const sc = c < keys.count ? (keys.start[c] as number) : Infinity;
      if (sa === Infinity && sb === Infinity && sc === Infinity) break;
      if (sa <= sb && sa <= sc) handleToken(digits, a++, view, to, final);
      else if (sb <= sc) handleToken(emails, b++, view, to, final);
      else handleToken(keys, c++, view, to, final);
    }
    if (rowOpen && rowEnd < base + to) finishRow();
  }

  /**
   * Where the record holding position `at` ends: the next newline, or in JSON the next "}," (the end of one
   * element of an array of objects, so a minified array is many records). Absolute offset; Infinity when the
   * terminator is not in this window (the stream's end terminates the last record).
   */
  function findRowEnd(at: number, view: Buffer, to: number, final: boolean): number {
    let terminator = view.indexOf(newline, at);
    if (terminator >= to) terminator = -1;
    if (jsonMode) {
      if (nextObjectEnd !== Infinity && nextObjectEnd < at) {
        const found = view.indexOf(OBJECT_END, at);
        nextObjectEnd = found >= 0 && found < to ? found : Infinity;
      }
      if (nextObjectEnd !== Infinity && (terminator < 0 || nextObjectEnd < terminator))
        terminator = nextObjectEnd;
    }
    if (terminator < 0) return final ? base + to : Infinity;
    return base + terminator;
  }

  function handleToken(list: TokenList, index: number, view: Buffer, to: number, final: boolean): void {
    const kind = list.kind[index] as number;
    const start = list.start[index] as number;
    if (rowOpen && base + start > rowEnd) finishRow();
    if (!rowOpen) {
      rowOpen = true;
      rowFirstToken = start;
      rowEnd = findRowEnd(start, view, to, final);
      rowSpansWindows = rowEnd === Infinity;
    }
    if (kind === SENSITIVE_COLUMN) rowSensitive = true;
    else {
      const valueStart = list.valueStart[index] as number;
      const valueEnd = list.valueEnd[index] as number;
      counts[kind] = (counts[kind] as number) + 1;
      if (
        (samples[kind] as string[]).length < MAX_SAMPLES &&
        (sampleAttempts[kind] as number) < MAX_SAMPLE_ATTEMPTS
      ) {
        sampleAttempts[kind] = (sampleAttempts[kind] as number) + 1;
        addSample(kind, valueStart, valueEnd);
      }
      if ((confidence[kind] as number) < HIGH) {
        let level = baseConfidence[kind] as number;
        if (vouchedByColumn[kind] === 1 || keywordBefore(kind, start)) level = HIGH;
        if (level > (confidence[kind] as number)) confidence[kind] = level;
      }
      if ((personStrength[kind] as number) > 0) people.offer(kind, work, valueStart, valueEnd);
      if (isSensitive[kind] === true) rowSensitive = true;
    }
  }

  function addSample(kind: number, valueStart: number, valueEnd: number): void {
    let value = work.toString('latin1', valueStart, valueEnd);
    value =
      kind === EMAIL
        ? value.toLowerCase()
        : kind === BANK_CARD || kind === MOBILE
          ? value
          : value.toUpperCase();
    const masked = maskSample(kind, value);
    const list = samples[kind] as string[];
    if (!list.includes(masked)) list.push(masked);
  }

  /** True when a keyword for `kind` ends within 300 characters before `start` (searched lazily, once per byte). */
  function keywordBefore(kind: number, start: number): boolean {
    const scanned = keywordsScannedTo - base;
    if (scanned < start) {
      const a = Math.max(scanned - KEYWORD_OVERLAP, start - KEYWORD_BYTES, 0);
      recordKeywords(work.toString('latin1', a, start), base + a, lastKeywordEnd);
      keywordsScannedTo = base + start;
    }
    const keywordEnd = (lastKeywordEnd[kind] as number) - base;
    if (keywordEnd < 0) return false;
    const distance = start - keywordEnd;
    if (distance <= KEYWORD_CHARS) return true;
    if (distance > KEYWORD_BYTES) return false;
    // Between 300 and 1200 bytes: count characters (UTF-8 lead bytes), resuming where the last count for this
    // keyword stopped so that many findings after one keyword cost one pass.
    let counted = (countedTo[kind] as number) - base;
    let chars = countedChars[kind] as number;
    if (countedFrom[kind] !== base + keywordEnd || counted > start) {
      counted = keywordEnd;
      chars = 0;
    }
    for (; counted < start && chars <= KEYWORD_CHARS; counted++) {
      if (((work[counted] as number) & 0xc0) !== 0x80) chars++;
    }
    countedFrom[kind] = base + keywordEnd;
    countedTo[kind] = base + counted;
    countedChars[kind] = chars;
    return chars <= KEYWORD_CHARS;
  }

  function finishRow(): void {
    if (people.named) {
      let sensitive = rowSensitive;
      if (!sensitive && csvSensitiveColumns.length > 0) {
        // A value under a sensitive header makes the record's people sensitive. A record longer than MAX_LINE
        // is no longer whole in the buffer to be split into fields: assume it has such a value (fail closed).
        if (rowSpansWindows) sensitive = true;
        else {
          const rowStart = rowFirstToken > 0 ? work.lastIndexOf(newline, rowFirstToken - 1) + 1 : 0;
          sensitive = rowHasValueIn(work, rowStart, rowEnd - base, csvDelimiter, csvSensitiveColumns);
        }
      }
      people.endRecord(sensitive);
    }
    rowOpen = false;
    rowSensitive = false;
  }

  function report(): InspectionReport {
    const findings: Partial<Record<DetectorName, DetectorFindings>> = {};
    let containsPi = false;
    let containsSpi = false;
    for (let d = 0; d < DETECTOR_COUNT; d++) {
      const count = counts[d] as number;
      if (count === 0) continue;
      const sensitive = isSensitive[d] === true;
      findings[detectorNames[d] as DetectorName] = Object.freeze({
        count,
        confidence: CONFIDENCE_NAMES[confidence[d] as number] as Confidence,
        samples: Object.freeze([...(samples[d] as string[])]),
        sensitive,
      });
      if (detectorIsPi[d] === true) containsPi = true;
      if (sensitive) containsSpi = true;
    }
    return Object.freeze({
      bytes: totalBytes,
      findings: Object.freeze(findings),
      columns: Object.freeze([...columns.values()].map((column) => Object.freeze({ ...column }))),
      containsPi,
      containsSpi,
      individualsDetected: people.count(),
      sensitiveIndividualsDetected: people.sensitiveCount(),
      containers: Object.freeze([]),
      opaque: Object.freeze([]),
    });
  }

  return {
    write(chunk: Uint8Array): void {
      if (finished) throw new Error('inspector: write() after finish()');
      totalBytes += chunk.length;
      for (let at = 0; at < chunk.length; at += MAX_SLICE) {
        append(chunk.subarray(at, Math.min(chunk.length, at + MAX_SLICE)));
      }
    },
    endPart(): void {
      if (finished) throw new Error('inspector: endPart() after finish()');
      scanAvailable(true);
      // Drop the part's bytes: the next part's first line must start at work[0] (readFirstLine reads from 0).
      base += end;
      end = 0;
      from = 0;
      headerDone = false;
      newline = LF;
      jsonMode = false;
      csvDelimiter = 0;
      csvSensitiveColumns.length = 0;
    },
    finish(): InspectionReport {
      if (finished) throw new Error('inspector: finish() called twice');
      finished = true;
      scanAvailable(true);
      people.flush();
      return report();
    },
  };
}

/** Inspects a whole buffer at once (tests, CLI). */
export function inspectBuffer(payload: Uint8Array, options: InspectorOptions): InspectionReport {
  const inspector = createInspector(options);
  inspector.write(payload);
  return inspector.finish();
}
