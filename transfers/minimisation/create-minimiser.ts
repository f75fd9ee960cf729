// transfers/minimisation/create-minimiser: applies a manifest's `minimise` plan (issue #20) to a payload as it streams, record
// by record: CSV/TSV (RFC 4180 quoting) or JSON Lines (XLSX: xlsx-minimiser.ts, whole). Emits only transformed records; checks the header against
// the plan before emitting anything, so an unknown column refuses the upload before a byte is stored. Computes the
// k-anonymity figure of what leaves. Pure: no I/O, no clock; the pseudonym key comes in.
import {
  pointerSegment,
  type MinimiseCategory,
  type MinimiseFormat,
  type MinimiseOp,
  type MinimiseOperation,
  type MinimisePlan,
} from '../../policies/minimise-plan.js';
import { createCategoryReplacer } from './category-values.js';
import { encodeField, fieldValue, splitFields } from './csv-fields.js';
import { objectMembers } from './json-members.js';
import { createKAnonymityCounter, type KAnonymityCounter, type KAnonymityFigure } from './k-anonymity.js';
import { MinimiseError } from './minimise-error.js';
import { createRecordSplitter } from './record-splitter.js';
import { applyOperation, UnreadableValue } from './value-operations.js';
import { createXlsxMinimiser } from './xlsx-minimiser.js';

export interface MinimiserOptions {
  readonly plan: MinimisePlan;
  /** The exporter's pseudonym key (32 bytes, derived from the master key and the exporter id). */
  readonly pseudonymKey: Uint8Array;
  /** Policy: whether a column name names a quasi-identifier (birth date, postcode, gender…). */
  readonly isQuasiIdentifier: (column: string) => boolean;
  /** Bound of the k-anonymity counter (k-anonymity.ts). */
  readonly maxClasses?: number;
  /** XLSX only: bytes the workbook may take, zipped and unzipped (XBORDER_INSPECT_MAX_EXPANDED_BYTES). */
  readonly maxXlsxBytes?: number;
}

export interface AppliedColumn {
  readonly name: string;
  readonly op: MinimiseOp;
  /** Non-empty values transformed (or dropped). */
  readonly values: number;
}

/** What the plan did: no data, only names, counts and the k figure (safe for the ledger and the record). */
export interface MinimisationOutcome {
  readonly format: MinimiseFormat;
  readonly records: number;
  readonly columns: readonly AppliedColumn[];
  readonly categories: Readonly<Partial<Record<MinimiseCategory, number>>>;
  readonly kAnonymity: KAnonymityFigure;
  /** Some value was masked or pseudonymised: the result is de-identified at best (PIPL art. 73(3)). */
  readonly deidentified: boolean;
}

export interface Minimiser {
  /** Transforms the records this chunk completes; `emit` receives their bytes. Throws MinimiseError. */
  write(chunk: Uint8Array, emit: (bytes: Uint8Array) => void): void;
  end(emit: (bytes: Uint8Array) => void): MinimisationOutcome;
}

const BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder('utf-8', { fatal: true });
const hasBom = (b: Uint8Array) => b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2];
const columnPath = (name: string) => `/minimise/columns/${pointerSegment(name)}`;

/** Runs one operation, turning an unreadable value into a 400 that names the column but never the value. */
function operate(
  value: string,
  op: MinimiseOperation,
  key: Uint8Array,
  name: string,
  recordNo: number,
): string {
  try {
    return applyOperation(value, op, key);
  } catch (err) {
    if (err instanceof UnreadableValue)
      throw new MinimiseError(columnPath(name), `record ${recordNo}: the value ${err.message}`, false);
    throw err;
  }
}

export function createMinimiser(options: MinimiserOptions): Minimiser {
  const { plan, pseudonymKey } = options;
  if (plan.format === 'xlsx') return createXlsxMinimiser(options);
  const columns = plan.columns ?? {};
  const replacer =
    plan.categories !== undefined && Object.keys(plan.categories).length > 0
      ? createCategoryReplacer(plan.categories, pseudonymKey)
      : null;
  const applied = new Map<string, { op: MinimiseOp; values: number }>();
  const count = (name: string, op: MinimiseOp) => {
    const a = applied.get(name) ?? { op, values: 0 };
    a.values++;
    applied.set(name, a);
  };
  let deidentified = false;
  const deidentifies = (op: MinimiseOperation) => op.op === 'mask' || op.op === 'pseudonymise';
  const quasi = (name: string) => {
    const op = columns[name];
    if (op?.op === 'drop') return false;
    return (
      (plan.quasiIdentifiers ?? []).includes(name) ||
      op?.op === 'generalise' ||
      op?.op === 'mask' ||
      (op === undefined && options.isQuasiIdentifier(name))
    );
  };

  const format = plan.format;
  const splitter = createRecordSplitter(format !== 'jsonl');
  let records = 0;
  let k: KAnonymityCounter | null = null;

  // CSV/TSV state, set by the header.
  const delimiter = format === 'tsv' ? 0x09 : 0x2c;
  const delimiterText = format === 'tsv' ? '\t' : ',';
  let header: string[] | null = null;
  let qiIndexes: number[] = [];

  function csvHeader(body: Uint8Array, terminator: Uint8Array, out: Uint8Array[]): void {
    const bom = hasBom(body);
    const record = bom ? body.subarray(3) : body;
    const spans = splitFields(record, delimiter, 1);
    header = spans.map((s) => fieldValue(record, s, 1));
    const names = new Set(header);
    for (const name of Object.keys(columns))
      if (!names.has(name))
        throw new MinimiseError(columnPath(name), "is not a column of the payload's header", true);
    for (const [i, name] of (plan.quasiIdentifiers ?? []).entries())
      if (!names.has(name))
        throw new MinimiseError(
          `/minimise/quasiIdentifiers/${i}`,
          "is not a column of the payload's header",
          true,
        );
    qiIndexes = header.flatMap((name, i) => (quasi(name) ? [i] : []));
    k = createKAnonymityCounter(
      qiIndexes.map((i) => header?.[i] ?? ''),
      options.maxClasses,
    );
    const kept = spans.filter((_, i) => columns[header?.[i] ?? '']?.op !== 'drop');
    if (bom) out.push(Uint8Array.from(BOM));
    out.push(joinSpans(record, kept), terminator);
  }

  function joinSpans(record: Uint8Array, spans: readonly { start: number; end: number }[]): Uint8Array {
    const parts: Uint8Array[] = [];
    spans.forEach((s, i) => {
      if (i > 0) parts.push(delimiterBytes);
      parts.push(record.subarray(s.start, s.end));
    });
    return Buffer.concat(parts);
  }
  const delimiterBytes = Uint8Array.of(delimiter);

  function csvRecord(record: Uint8Array, terminator: Uint8Array, out: Uint8Array[]): void {
    const names = header ?? [];
    const recordNo = records + 2;
    const spans = splitFields(record, delimiter, recordNo);
    if (spans.length !== names.length)
      throw new MinimiseError(
        '',
        `record ${recordNo} has ${spans.length} fields where the header has ${names.length}`,
        false,
      );
    records++;
    const finals: string[] = new Array<string>(names.length);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      const name = names[i] ?? '';
      if (span === undefined) continue;
      const op = columns[name];
      let text: string | null = null;
      if (op !== undefined) {
        const value = fieldValue(record, span, recordNo);
        if (value !== '') count(name, op.op);
        if (op.op === 'drop') continue;
        const result = operate(value, op, pseudonymKey, name, recordNo);
        if (result !== value && deidentifies(op)) deidentified = true;
        text = result;
      } else if (replacer !== null) {
        const value = fieldValue(record, span, recordNo);
        const result = replacer.replace(value);
        if (result !== value) text = result;
      }
      if (parts.length > 0) parts.push(delimiterBytes);
      if (text === null) {
        parts.push(record.subarray(span.start, span.end));
        if (qiIndexes.includes(i)) finals[i] = fieldValue(record, span, recordNo);
      } else {
        parts.push(Buffer.from(encodeField(text, delimiterText), 'utf8'));
        finals[i] = text;
      }
    }
    k?.add(qiIndexes.map((i) => finals[i] ?? ''));
    parts.push(terminator);
    out.push(Buffer.concat(parts));
  }

  // JSON Lines: keys seen (to refuse a plan naming a key no record has) and the quasi-identifier keys, fixed by the
  // first record (plus those the plan names).
  const keysSeen = new Set<string>();
  let qiKeys: string[] | null = null;

  function jsonRecord(body: Uint8Array, terminator: Uint8Array, out: Uint8Array[]): void {
    const recordNo = records + 1;
    let text: string;
    try {
      text = utf8.decode(recordNo === 1 && hasBom(body) ? body.subarray(3) : body);
    } catch {
      throw new MinimiseError(
        '',
        `line ${recordNo} is not UTF-8: only UTF-8 payloads can be minimised`,
        false,
      );
    }
    if (text.trim() === '') {
      out.push(body, terminator);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MinimiseError('', `line ${recordNo} is not JSON`, false);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new MinimiseError('', `line ${recordNo} is not a JSON object`, false);
    records++;
    const members = objectMembers(text);
    if (qiKeys === null) {
      const names = new Set([...members.map((m) => m.key), ...(plan.quasiIdentifiers ?? [])]);
      qiKeys = [...names].filter(quasi);
      k = createKAnonymityCounter(qiKeys, options.maxClasses);
    }
    const finals = new Map<string, string>();
    const parts: string[] = [];
    let changed = false;
    for (const m of members) {
      keysSeen.add(m.key);
      const op = columns[m.key];
      const raw = text.slice(m.valueStart, m.end);
      if (op !== undefined) {
        changed = true;
        if (raw !== 'null' && raw !== '""') count(m.key, op.op);
        if (op.op === 'drop') continue;
        const first = raw[0];
        let value: string;
        if (first === '"') value = JSON.parse(raw) as string;
        else if (raw === 'null') value = '';
        else if (first === '{' || first === '[' || raw === 'true' || raw === 'false') {
          if (op.op !== 'pseudonymise')
            throw new MinimiseError(
              columnPath(m.key),
              `line ${recordNo}: the value is not a string or number`,
              false,
            );
          value = raw;
        } else value = raw; // a number, as written
        const result = value === '' ? raw : JSON.stringify(operate(value, op, pseudonymKey, m.key, recordNo));
        if (value !== '' && deidentifies(op)) deidentified = true;
        parts.push(`${text.slice(m.start, m.valueStart)}${result}`);
        finals.set(m.key, result);
      } else {
        let member = text.slice(m.start, m.end);
        if (replacer !== null) {
          const replaced = replacer.replace(member);
          if (replaced !== member) {
            changed = true;
            member = replaced;
          }
        }
        parts.push(member);
        finals.set(m.key, member.slice(m.valueStart - m.start));
      }
    }
    k?.add((qiKeys ?? []).map((key) => finals.get(key) ?? ''));
    out.push(changed ? Buffer.from(`{${parts.join(',')}}`, 'utf8') : body, terminator);
  }

  function onRecord(out: Uint8Array[]) {
    return (body: Uint8Array, terminator: Uint8Array) => {
      if (format === 'jsonl') jsonRecord(body, terminator, out);
      else if (header === null) csvHeader(body, terminator, out);
      else if (body.length === 0) out.push(terminator);
      else csvRecord(body, terminator, out);
    };
  }

  function flush(out: Uint8Array[], emit: (bytes: Uint8Array) => void): void {
    if (out.length > 0) emit(Buffer.concat(out));
  }

  return {
    write(chunk, emit) {
      const out: Uint8Array[] = [];
      splitter.write(chunk, onRecord(out));
      flush(out, emit);
    },
    end(emit) {
      const out: Uint8Array[] = [];
      splitter.end(onRecord(out));
      if (format === 'jsonl') {
        for (const name of Object.keys(columns))
          if (!keysSeen.has(name))
            throw new MinimiseError(columnPath(name), 'is not a key of any record', true);
      } else if (header === null && Object.keys(columns).length > 0) {
        throw new MinimiseError('', 'the payload has no header row', false);
      }
      flush(out, emit);
      if (replacer !== null) {
        for (const [name, n] of Object.entries(replacer.counts))
          if (n > 0 && (plan.categories?.[name as MinimiseCategory]?.op ?? 'drop') !== 'drop')
            deidentified = true;
      }
      return {
        format,
        records,
        columns: [...applied].map(([name, a]) => ({ name, op: a.op, values: a.values })),
        categories: { ...(replacer?.counts ?? {}) },
        kAnonymity: k?.result() ?? createKAnonymityCounter([]).result(),
        deidentified,
      };
    },
  };
}
