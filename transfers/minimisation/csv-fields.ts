// transfers/minimisation/csv-fields: one CSV/TSV record → the raw byte spans of its fields and their values (RFC 4180:
// a field is quoted or not; inside quotes `""` is a quote; a quote in an unquoted field, or anything after a
// closing quote but the delimiter, is malformed and refused: fail closed, since a lenient reading could shift
// columns and let a dropped value through). And a value → its field text, quoted when it needs to be. Pure.
import { MinimiseError } from './minimise-error.js';

const QUOTE = 0x22;

export interface FieldSpan {
  readonly start: number;
  readonly end: number;
  readonly quoted: boolean;
}

export function splitFields(record: Uint8Array, delimiter: number, recordNo: number): FieldSpan[] {
  const fields: FieldSpan[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    if (record[i] === QUOTE) {
      i++;
      for (;;) {
        if (i >= record.length)
          throw new MinimiseError('', `record ${recordNo} has an unterminated quoted field`, false);
        if (record[i] === QUOTE) {
          if (record[i + 1] === QUOTE) i += 2;
          else break;
        } else i++;
      }
      i++; // past the closing quote
      if (i < record.length && record[i] !== delimiter)
        throw new MinimiseError('', `record ${recordNo} has text after a closing quote (RFC 4180)`, false);
      fields.push({ start, end: i, quoted: true });
    } else {
      while (i < record.length && record[i] !== delimiter) {
        if (record[i] === QUOTE)
          throw new MinimiseError(
            '',
            `record ${recordNo} has a quote inside an unquoted field (RFC 4180)`,
            false,
          );
        i++;
      }
      fields.push({ start, end: i, quoted: false });
    }
    if (i >= record.length) return fields;
    i++; // past the delimiter
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The field's value: unquoted, `""` as `"`. Throws on bytes that are not UTF-8 (only UTF-8 can be minimised). */
export function fieldValue(record: Uint8Array, span: FieldSpan, recordNo: number): string {
  try {
    if (!span.quoted) return decoder.decode(record.subarray(span.start, span.end));
    return decoder.decode(record.subarray(span.start + 1, span.end - 1)).replace(/""/g, '"');
  } catch {
    throw new MinimiseError(
      '',
      `record ${recordNo} is not UTF-8: only UTF-8 payloads can be minimised`,
      false,
    );
  }
}

/** A value as a field: quoted when it holds the delimiter, a quote, CR or LF (RFC 4180 §2.6–2.7). */
export function encodeField(value: string, delimiter: string): string {
  if (value.includes(delimiter) || /["\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}
