// transfers/minimisation/xlsx-minimiser: a `minimise` plan (issue #20) applied to an XLSX workbook (ECMA-376 SpreadsheetML).
// A ZIP cannot be rewritten as it streams, so the workbook is held whole (bounded) and rewritten at the end: in
// every worksheet the columns named by the header row (the first row) are dropped, masked, generalised or
// pseudonymised, the shared string table is rebuilt from the strings kept cells still use (a dropped or
// transformed value never survives there), and formulas lose their cached values (they could copy a dropped cell).
// Fails closed on any part it does not know (pivot caches, comments, external links, macros…). Pure.
import { createZipArchive } from '../../inspection/inflate.js';
import { pointerSegment, type MinimiseOperation, type MinimiseOp } from '../../policies/minimise-plan.js';
import { createCategoryReplacer } from './category-values.js';
import type { MinimisationOutcome, Minimiser, MinimiserOptions } from './create-minimiser.js';
import { createKAnonymityCounter, type KAnonymityCounter } from './k-anonymity.js';
import { MinimiseError } from './minimise-error.js';
import { applyOperation, UnreadableValue } from './value-operations.js';
import { readZipEntries } from './zip-entries.js';

/** Used when the caller gives no bound (the gateway passes XBORDER_INSPECT_MAX_EXPANDED_BYTES). */
export const defaultMaxXlsxBytes = 256 * 1024 * 1024;

/**
 * Parts that hold no cell data, or whose data this file rewrites. Anything else (pivot caches and external links
 * keep copies of cells, comments and charts free text, macros code) refuses the workbook: nothing is guessed.
 */
const knownParts = [
  /^\[Content_Types\]\.xml$/,
  /^_rels\/\.rels$/,
  /^docProps\/(?:core|app|custom)\.xml$/,
  /^docProps\/thumbnail\.(?:jpeg|jpg|png|wmf|emf)$/,
  /^xl\/workbook\.xml$/,
  /^xl\/_rels\/workbook\.xml\.rels$/,
  /^xl\/worksheets\/[^/]+\.xml$/,
  /^xl\/worksheets\/_rels\/[^/]+\.xml\.rels$/,
  /^xl\/sharedStrings\.xml$/,
  /^xl\/styles\.xml$/,
  /^xl\/theme\/[^/]+\.xml$/,
  /^xl\/calcChain\.xml$/,
  /^xl\/printerSettings\/[^/]+\.bin$/,
];

const P = '(?:[A-Za-z_][\\w.-]*:)?'; // an element may carry a namespace prefix (`x:row`)
// Compiled once: they run on every cell. Global ones are only used through replace/matchAll (no lastIndex state).
const phoneticRuns = new RegExp(`<${P}rPh\\b[\\s\\S]*?</${P}rPh>`, 'g');
const textRuns = new RegExp(`<${P}t(?:\\s[^>]*)?>([^<]*)</${P}t>`, 'g');
const inlineString = new RegExp(`<${P}is\\b[^>]*>([\\s\\S]*?)</${P}is>`);
const cachedValue = new RegExp(`<${P}v\\b[^>]*>([^<]*)</${P}v>`);
const formulaStart = new RegExp(`<${P}f\\b`);
const formulaElements = new RegExp(`<(${P})f\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1f>)`, 'g');
const sharedIndex = new RegExp(`(<${P}v\\b[^>]*>)\\s*\\d+\\s*(</${P}v>)`);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const refuse = (message: string) => new MinimiseError('', message, false);

function text(bytes: Uint8Array, part: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw refuse(`the workbook part ${part} is not UTF-8 XML`);
  }
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out.set(m[1] ?? '', unescapeXml(m[2] ?? m[3] ?? ''));
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_m, hex, dec, name) => {
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex as string, 16));
    if (dec !== undefined) return String.fromCodePoint(parseInt(dec as string, 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name as 'amp'];
  });
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The text of a rich or plain string item (`<si>` or `<is>`): its runs' `<t>`, without phonetic runs. */
function stringItemText(xml: string): string {
  const body = xml.replace(phoneticRuns, '');
  let out = '';
  for (const m of body.matchAll(textRuns)) out += unescapeXml(m[1] ?? '');
  return out;
}

function columnIndex(ref: string): number | null {
  const m = /^([A-Z]{1,3})\d*$/.exec(ref);
  if (m === null) return null;
  let n = 0;
  for (const ch of m[1] ?? '') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** An Excel date serial (1900 or 1904 system) as YYYY-MM-DD, so `generalise` can read a date cell. */
function serialDate(value: string, date1904: boolean): string {
  const serial = Number(value);
  if (!Number.isFinite(serial) || serial < 1) return value;
  // 1900 system: serial 60 is the 29 February 1900 that never was (Lotus 1-2-3's leap-year bug).
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, serial < 60 ? 31 : 30);
  return new Date(base + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

interface Sheet {
  readonly name: string;
  readonly part: string;
}

/** Sheets in workbook order with the parts that hold them; a sheet that is not a worksheet refuses. */
function readSheets(entries: Map<string, Uint8Array>): { sheets: Sheet[]; workbook: string } {
  const wbBytes = entries.get('xl/workbook.xml');
  const relsBytes = entries.get('xl/_rels/workbook.xml.rels');
  if (wbBytes === undefined || relsBytes === undefined)
    throw refuse('the payload is not an XLSX workbook (no xl/workbook.xml)');
  const workbook = text(wbBytes, 'xl/workbook.xml');
  const rels = new Map<string, string>();
  for (const m of text(relsBytes, 'xl/_rels/workbook.xml.rels').matchAll(
    new RegExp(`<${P}Relationship\\b([^>]*)>`, 'g'),
  )) {
    const a = attributes(m[1] ?? '');
    const target = a.get('Target') ?? '';
    rels.set(a.get('Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: Sheet[] = [];
  for (const m of workbook.matchAll(new RegExp(`<${P}sheet\\b([^>]*)>`, 'g'))) {
    const a = attributes(m[1] ?? '');
    const id = [...a].find(([k]) => k === 'id' || k.endsWith(':id'))?.[1] ?? '';
    const part = rels.get(id);
    if (part === undefined || !/^xl\/worksheets\/[^/]+\.xml$/.test(part) || !entries.has(part))
      throw refuse('a sheet of the workbook is not a worksheet this gateway can minimise');
    sheets.push({ name: a.get('name') ?? '', part });
  }
  return { sheets, workbook };
}

interface Cell {
  readonly prefix: string;
  readonly attrs: Map<string, string>;
  readonly body: string;
  readonly column: number;
  readonly whole: string;
}

// The bodies stop at the next opening tag of their kind, so an element never closed costs one scan, not n.
const rowPattern = () =>
  new RegExp(`<(${P})row\\b([^>]*?)(?:/>|>((?:(?!<${P}row\\b)[\\s\\S])*?)</\\1row>)`, 'g');
const cellPattern = () => new RegExp(`<(${P})c\\b([^>]*?)(?:/>|>((?:(?!<${P}c\\b)[\\s\\S])*?)</\\1c>)`, 'g');

function cells(rowBody: string): Cell[] {
  const out: Cell[] = [];
  let next = 0;
  for (const m of rowBody.matchAll(cellPattern())) {
    const attrs = attributes(m[2] ?? '');
    const ref = attrs.get('r');
    const column = ref === undefined ? next : columnIndex(ref);
    if (column === null) throw refuse('a cell reference of the workbook cannot be read');
    next = column + 1;
    out.push({ prefix: m[1] ?? '', attrs, body: m[3] ?? '', column, whole: m[0] });
  }
  return out;
}

const sheetDataPattern = new RegExp(`<(${P})sheetData\\b[^>]*?(?:/>|>([\\s\\S]*?)</\\1sheetData>)`);

export function createXlsxMinimiser(options: MinimiserOptions): Minimiser {
  const { plan, pseudonymKey } = options;
  const maxBytes = options.maxXlsxBytes ?? defaultMaxXlsxBytes;
  const columns = plan.columns ?? {};
  const chunks: Uint8Array[] = [];
  let held = 0;

  function minimise(archive: Uint8Array): { bytes: Uint8Array; outcome: MinimisationOutcome } {
    const entries = readZipEntries(archive, maxBytes);
    for (const name of entries.keys())
      if (!knownParts.some((p) => p.test(name)))
        throw refuse(`the workbook part ${name} may hold copies of cells and cannot be minimised`);
    const { sheets, workbook } = readSheets(entries);
    const sheetNames = new Set(sheets.map((s) => s.name));
    const date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbook);

    // Shared strings: their text (what a cell says) and their XML (copied for the strings kept cells still use).
    const sstName = 'xl/sharedStrings.xml';
    const sstXml = entries.has(sstName) ? text(entries.get(sstName) ?? new Uint8Array(), sstName) : null;
    const sstItems =
      sstXml === null
        ? []
        : [
            ...sstXml.matchAll(
              new RegExp(`<(${P})si\\b[^>]*?(?:/>|>(?:(?!<${P}si\\b)[\\s\\S])*?</\\1si>)`, 'g'),
            ),
          ].map((m) => m[0]);
    const sstTexts = sstItems.map(stringItemText);
    const kept = new Map<number, number>(); // old index → new index, in order of first use

    /** A plan key resolves to a sheet-qualified column ("Orders!id_card") when its part before "!" names a sheet. */
    const resolve = (key: string): { sheet: string | null; column: string } => {
      const bang = key.indexOf('!');
      if (bang > 0 && sheetNames.has(key.slice(0, bang)))
        return { sheet: key.slice(0, bang), column: key.slice(bang + 1) };
      return { sheet: null, column: key };
    };
    const opFor = (sheet: string, column: string): [string, MinimiseOperation] | undefined => {
      const qualified = `${sheet}!${column}`;
      const q = columns[qualified];
      if (q !== undefined && resolve(qualified).sheet === sheet) return [qualified, q];
      const plain = columns[column];
      return plain !== undefined && resolve(column).sheet === null ? [column, plain] : undefined;
    };

    const cellText = (cell: Cell): string => {
      const type = cell.attrs.get('t');
      if (type === 'inlineStr') {
        const is = inlineString.exec(cell.body);
        return is === null ? '' : stringItemText(is[1] ?? '');
      }
      const v = cachedValue.exec(cell.body);
      const raw = v === null ? '' : unescapeXml(v[1] ?? '');
      if (type !== 's') return raw;
      const index = Number(raw);
      const shared = sstTexts[index];
      if (!Number.isInteger(index) || shared === undefined)
        throw refuse('a cell points to a shared string the workbook does not have');
      return shared;
    };

    // Pass 1: the header row of every sheet, so an unknown column refuses before anything is rewritten.
    const headers = sheets.map((sheet) => {
      const xml = text(entries.get(sheet.part) ?? new Uint8Array(), sheet.part);
      const data = sheetDataPattern.exec(xml);
      if (data === null) throw refuse(`the worksheet ${sheet.part} has no sheetData`);
      const first = rowPattern().exec(data[2] ?? '');
      const names = new Map<number, string>();
      if (first !== null) for (const c of cells(first[3] ?? '')) names.set(c.column, cellText(c));
      return { sheet, xml, names };
    });
    const has = (key: string) => {
      const { sheet, column } = resolve(key);
      return headers.some(
        (h) => (sheet === null || h.sheet.name === sheet) && [...h.names.values()].includes(column),
      );
    };
    for (const key of Object.keys(columns))
      if (!has(key))
        throw new MinimiseError(
          `/minimise/columns/${pointerSegment(key)}`,
          "is not a column of any sheet's header row",
          true,
        );
    for (const [i, key] of (plan.quasiIdentifiers ?? []).entries())
      if (!has(key))
        throw new MinimiseError(
          `/minimise/quasiIdentifiers/${i}`,
          "is not a column of any sheet's header row",
          true,
        );

    const replacer =
      plan.categories !== undefined && Object.keys(plan.categories).length > 0
        ? createCategoryReplacer(plan.categories, pseudonymKey)
        : null;
    const replacedShared = new Map<number, string>();
    const applied = new Map<string, { op: MinimiseOp; values: number }>();
    let deidentified = false;
    let records = 0;
    let formulas = false;
    const counters: KAnonymityCounter[] = [];

    const inline = (cell: Cell, value: string) => {
      const p = cell.prefix;
      const r = cell.attrs.get('r');
      const s = cell.attrs.get('s');
      const attrs = `${r === undefined ? '' : ` r="${r}"`}${s === undefined ? '' : ` s="${s}"`}`;
      return `<${p}c${attrs} t="inlineStr"><${p}is><${p}t xml:space="preserve">${escapeXml(value)}</${p}t></${p}is></${p}c>`;
    };
    /** A kept cell: shared string re-indexed, formula without its cached value, categories replaced. */
    const keep = (cell: Cell): { xml: string; value: string } => {
      const type = cell.attrs.get('t');
      const formula = formulaStart.test(cell.body);
      if (formula) {
        formulas = true;
        const p = cell.prefix;
        const f = [...cell.body.matchAll(formulaElements)].map((m) => m[0]).join('');
        const attrs = [...cell.attrs]
          .filter(([k]) => k === 'r' || k === 's')
          .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
          .join('');
        return { xml: `<${p}c${attrs}>${f}</${p}c>`, value: '' };
      }
      if (type === 's') {
        const index = Number(/>\s*(\d+)\s*</.exec(cell.body)?.[1] ?? '-1');
        const value = cellText(cell);
        if (replacer !== null) {
          const replaced = replacedShared.get(index) ?? replacer.replace(value);
          replacedShared.set(index, replaced);
          if (replaced !== value) return { xml: inline(cell, replaced), value: replaced };
        }
        let next = kept.get(index);
        if (next === undefined) {
          next = kept.size;
          kept.set(index, next);
        }
        const xml = cell.whole.replace(
          sharedIndex,
          (_m, open: string, close: string) => `${open}${next}${close}`,
        );
        return { xml, value };
      }
      const value = cellText(cell);
      if (replacer !== null && type !== 'b' && type !== 'e') {
        const replaced = replacer.replace(value);
        if (replaced !== value) return { xml: inline(cell, replaced), value: replaced };
      }
      return { xml: cell.whole, value };
    };

    const rewritten = new Map<string, Uint8Array>();
    for (const { sheet, xml, names } of headers) {
      const planned = new Map<number, [string, MinimiseOperation]>();
      for (const [i, name] of names) {
        const op = opFor(sheet.name, name);
        if (op !== undefined) planned.set(i, op);
      }
      if (planned.size > 0 && new RegExp(`<${P}hyperlinks\\b`).test(xml))
        throw refuse(`the worksheet ${sheet.name} has hyperlinks (they may hold a minimised value)`);
      const quasi = [...names].filter(([i, name]) => {
        const op = planned.get(i)?.[1];
        if (op?.op === 'drop') return false;
        const listed = plan.quasiIdentifiers ?? [];
        return (
          listed.includes(name) ||
          listed.includes(`${sheet.name}!${name}`) ||
          op?.op === 'generalise' ||
          op?.op === 'mask' ||
          (op === undefined && options.isQuasiIdentifier(name))
        );
      });
      const counter = createKAnonymityCounter(
        quasi.map(([, name]) => name),
        options.maxClasses,
      );
      if (quasi.length > 0) counters.push(counter);
      let rowNo = 0;
      const rows = (body: string) =>
        body.replace(rowPattern(), (whole, prefix: string, rowAttrs: string, rowBody: string | undefined) => {
          rowNo++;
          if (rowBody === undefined) return whole;
          const header = rowNo === 1;
          const list = cells(rowBody);
          if (!header && list.length > 0) records++;
          const finals = new Map<number, string>();
          const out = list.map((cell) => {
            const entry = planned.get(cell.column);
            if (entry === undefined) {
              const k = keep(cell);
              if (!header) finals.set(cell.column, k.value);
              return k.xml;
            }
            const [key, op] = entry;
            if (header) return op.op === 'drop' ? '' : keep(cell).xml;
            let value = cellText(cell);
            const a = applied.get(key) ?? { op: op.op, values: 0 };
            if (value !== '') a.values++;
            applied.set(key, a);
            if (op.op === 'drop') return '';
            const type = cell.attrs.get('t');
            const numeric = type === undefined || type === 'n';
            if (numeric && op.op === 'generalise' && (op.to === 'year' || op.to === 'month'))
              value = serialDate(value, date1904);
            if (value.trim() === '') {
              finals.set(cell.column, '');
              return inline(cell, '');
            }
            let result: string;
            try {
              result = applyOperation(value, op, pseudonymKey);
            } catch (err) {
              if (err instanceof UnreadableValue)
                throw new MinimiseError(
                  `/minimise/columns/${pointerSegment(key)}`,
                  `sheet ${sheet.name} row ${rowNo}: the value ${err.message}`,
                  false,
                );
              throw err;
            }
            if (op.op === 'mask' || op.op === 'pseudonymise') deidentified = true;
            finals.set(cell.column, result);
            return inline(cell, result);
          });
          if (!header && list.length > 0) counter.add(quasi.map(([i]) => finals.get(i) ?? ''));
          return `<${prefix}row${rowAttrs}>${out.join('')}</${prefix}row>`;
        });
      const next = xml.replace(sheetDataPattern, (whole, _p: string, body: string | undefined) =>
        body === undefined ? whole : whole.replace(body, () => rows(body)),
      );
      rewritten.set(sheet.part, Buffer.from(next, 'utf8'));
    }

    if (sstXml !== null) {
      const order = [...kept].sort((a, b) => a[1] - b[1]).map(([old]) => sstItems[old] ?? '');
      const open = new RegExp(`<${P}sst\\b[^>]*?(/?)>`).exec(sstXml);
      if (open === null) throw refuse('the shared string table cannot be read');
      const prefix = /^<([\w.-]+:)?sst/.exec(open[0])?.[1] ?? '';
      const start = open[0]
        .replace(/\s(?:count|uniqueCount)\s*=\s*("[^"]*"|'[^']*')/g, '')
        .replace(/\/?>$/, ` count="${order.length}" uniqueCount="${order.length}">`);
      const head = sstXml.slice(0, open.index);
      rewritten.set(sstName, Buffer.from(`${head}${start}${order.join('')}</${prefix}sst>`, 'utf8'));
    }
    if (formulas) {
      // The cached values are gone: Excel recomputes every formula on open (ECMA-376 §18.2.2 calcPr).
      const calc = new RegExp(`<(${P})calcPr\\b([^>]*?)/?>`);
      let wb = workbook;
      if (calc.test(wb))
        wb = wb.replace(calc, (_m, p: string, attrs: string) => {
          const rest = attrs.replace(/\sfullCalcOnLoad\s*=\s*("[^"]*"|'[^']*')/, '');
          return `<${p}calcPr${rest} fullCalcOnLoad="1"/>`;
        });
      else {
        const prefix = /<([\w.-]+:)?workbook\b/.exec(wb)?.[1] ?? '';
        const after = new RegExp(
          `<${P}(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing|fileRecoveryPr|webPublishObjects|extLst)\\b|</${P}workbook>`,
        ).exec(wb);
        if (after === null) throw refuse('the workbook part cannot be read');
        wb = `${wb.slice(0, after.index)}<${prefix}calcPr fullCalcOnLoad="1"/>${wb.slice(after.index)}`;
      }
      rewritten.set('xl/workbook.xml', Buffer.from(wb, 'utf8'));
    }

    const bytes = createZipArchive([...entries].map(([name, data]) => [name, rewritten.get(name) ?? data]));
    const figures = counters.map((c) => c.result());
    const bounded = figures.some((f) => f.bounded);
    const ks = figures.map((f) => f.k);
    const kAnonymity = {
      k: bounded || ks.length === 0 || ks.includes(null) ? null : Math.min(...(ks as number[])),
      quasiIdentifiers: [...new Set(figures.flatMap((f) => f.quasiIdentifiers))],
      records: figures.reduce((n, f) => n + f.records, 0),
      classes: figures.reduce((n, f) => n + f.classes, 0),
      bounded,
    };
    if (replacer !== null)
      for (const [name, n] of Object.entries(replacer.counts))
        if (n > 0 && (plan.categories?.[name as keyof typeof plan.categories]?.op ?? 'drop') !== 'drop')
          deidentified = true;
    return {
      bytes,
      outcome: {
        format: 'xlsx',
        records,
        columns: [...applied].map(([name, a]) => ({ name, op: a.op, values: a.values })),
        categories: { ...(replacer?.counts ?? {}) },
        kAnonymity,
        deidentified,
      },
    };
  }

  return {
    write(chunk) {
      held += chunk.length;
      if (held > maxBytes)
        throw refuse(`the workbook is larger than ${maxBytes} bytes (XBORDER_INSPECT_MAX_EXPANDED_BYTES)`);
      chunks.push(Uint8Array.from(chunk));
    },
    end(emit) {
      const { bytes, outcome } = minimise(Buffer.concat(chunks));
      chunks.length = 0;
      emit(bytes);
      return outcome;
    },
  };
}
