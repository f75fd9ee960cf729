// test/support/hostile-payloads: the same personal data in every wrapping a client might use to get it past
// inspection (issue #12), made by the tests themselves: gzip, zip (stored, deflate, data descriptors), XLSX,
// DOCX, zip in gzip, UTF-16 LE/BE, GBK, base64, identifiers in groups and in full-width digits; and payloads that
// cannot be read: an encrypted zip entry, random binary, a zip bomb. No binary fixture is committed.
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { residentIds } from './identifiers.js';

export interface ZipEntryInput {
  readonly name: string;
  readonly data: Uint8Array;
  /** Default deflate. */
  readonly method?: 'stored' | 'deflate';
  /** Sizes and CRC after the data (general purpose flag bit 3), as streaming writers do. */
  readonly descriptor?: boolean;
  /** Sets the encryption flag and stores the bytes as they are (they stand for ciphertext). */
  readonly encrypted?: boolean;
}

/** A small ZIP writer (APPNOTE 6.3.10): local headers, data, optional descriptors, central directory. */
export function zip(entries: readonly ZipEntryInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.method === 'stored' ? 0 : 8;
    const body = entry.encrypted || method === 0 ? Buffer.from(entry.data) : deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const flags = 0x0800 | (entry.descriptor ? 0x0008 : 0) | (entry.encrypted ? 0x0001 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(entry.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(entry.descriptor ? 0 : body.length, 18);
    local.writeUInt32LE(entry.descriptor ? 0 : entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    let size = 30 + name.length + body.length;
    if (entry.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(entry.data.length, 12);
      parts.push(descriptor);
      size += 16;
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += size;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An XLSX whose cells are shared strings (how Excel stores an 18-character ID), one row per CSV line. */
export function xlsx(rows: readonly (readonly string[])[]): Buffer {
  const strings: string[] = [];
  const sheetRows = rows.map((cells, r) => {
    const cs = cells.map((cell, c) => {
      strings.push(cell);
      return `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${strings.length - 1}</v></c>`;
    });
    return `<row r="${r + 1}">${cs.join('')}</row>`;
  });
  // Rich text: the first cell of each row is split in two runs, as Excel does when part of a cell is formatted.
  const shared = strings.map((s, i) =>
    i % 3 === 0 && s.length > 4
      ? `<si><r><t>${xmlEscape(s.slice(0, 4))}</t></r><r><rPr><b/><sz val="11"/></rPr><t>${xmlEscape(s.slice(4))}</t></r></si>`
      : `<si><t>${xmlEscape(s)}</t></si>`,
  );
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0"?><workbook xmlns="${ns}"/>`) },
    {
      name: 'xl/sharedStrings.xml',
      data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}">${shared.join('')}</sst>`),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
      ),
    },
  ]);
}

/** A DOCX with one paragraph per line; identifiers are split over runs with proofing marks between them. */
export function docx(lines: readonly string[]): Buffer {
  const ns = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const paragraphs = lines.map((line) => {
    const cut = Math.min(7, line.length);
    return (
      `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(line.slice(0, cut))}</w:t></w:r><w:proofErr w:type="spellStart"/>` +
      `<w:r><w:rPr><w:i/></w:rPr><w:t>${xmlEscape(line.slice(cut))}</w:t></w:r></w:p>`
    );
  });
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types/>') },
    {
      name: 'word/document.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${ns}"><w:body>${paragraphs.join('')}</w:body></w:document>`,
      ),
      descriptor: true,
    },
  ]);
}

let gbkTable: Map<string, Buffer> | undefined;

/** GBK bytes of a string (the test builds its own table from the platform's GB18030 decoder). */
export function gbk(text: string): Buffer {
  if (gbkTable === undefined) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = decoder.decode(Buffer.from([a, b]));
        if (ch.length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, Buffer.from([a, b]));
      }
    }
  }
  const table = gbkTable;
  return Buffer.concat(
    [...text].map((ch) => {
      if (ch.charCodeAt(0) < 0x80) return Buffer.from(ch, 'latin1');
      const bytes = table.get(ch);
      if (bytes === undefined) throw new Error(`no GBK code for ${ch}`);
      return bytes;
    }),
  );
}

export function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const t = le[i] as number;
    le[i] = le[i + 1] as number;
    le[i + 1] = t;
  }
  return le;
}

/** ISO/IEC 7812 Luhn check digit appended. */
function luhn(prefix: string): string {
  let sum = 0;
  for (let i = 0; i < prefix.length; i++) {
    let d = Number(prefix[prefix.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return prefix + String((10 - (sum % 10)) % 10);
}

export interface PeopleRow {
  readonly name: string;
  readonly id: string;
  readonly mobile: string;
  readonly card: string;
}

/** `n` people, each with a resident ID, a mobile and a bank card. */
export function people(n: number): PeopleRow[] {
  const ids = residentIds(n);
  return ids.map((id, i) => ({
    name: `客户${i}`,
    id,
    mobile: `139${String(10000000 + i * 7919).slice(-8)}`,
    card: luhn(`622202${String(100000000 + i * 104729).slice(-9)}`),
  }));
}

/** A header-less CSV of the people (the header would name the columns and raise confidence, not counts). */
export function peopleCsv(rows: readonly PeopleRow[]): string {
  return rows.map((r) => `${r.name},${r.id},${r.mobile},${r.card}\n`).join('');
}

const groupId = (id: string): string => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
const groupMobile = (m: string): string => `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
const groupCard = (c: string): string => c.replace(/(\d{4})(?=\d)/g, '$1 ');
const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/** Every wrapping of the same rows, by name. Each must give the same findings as `plain`. */
export function hostileForms(rows: readonly PeopleRow[]): Record<string, Buffer> {
  const csv = peopleCsv(rows);
  const plain = Buffer.from(csv, 'utf8');
  const table = rows.map((r) => [r.name, r.id, r.mobile, r.card]);
  const lines = rows.map((r) => `${r.name} 身份证 ${r.id} 手机 ${r.mobile} 卡号 ${r.card}`);
  return {
    plain,
    gzip: gzipSync(plain),
    'zip-deflate': zip([{ name: 'customers.csv', data: plain }]),
    'zip-stored-descriptor': zip([
      { name: 'customers.csv', data: plain, method: 'stored', descriptor: true },
    ]),
    xlsx: xlsx(table),
    docx: docx(lines),
    'zip-in-gzip': gzipSync(zip([{ name: 'inner/customers.csv', data: plain, descriptor: true }])),
    'utf-16le-bom': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    'utf-16le': Buffer.from(csv, 'utf16le'),
    'utf-16be-bom': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(csv)]),
    gbk: gbk(csv),
    base64: Buffer.from(plain.toString('base64').replace(/.{76}/g, '$&\n'), 'ascii'),
    'base64-gzip-in-json': Buffer.from(JSON.stringify({ file: gzipSync(plain).toString('base64') })),
    spaced: Buffer.from(
      rows.map((r) => `${r.name},${groupId(r.id)},${groupMobile(r.mobile)},${groupCard(r.card)}\n`).join(''),
    ),
    'full-width': Buffer.from(
      rows.map((r) => `${r.name},${fullWidth(r.id)},${fullWidth(r.mobile)},${fullWidth(r.card)}\n`).join(''),
    ),
  };
}

/** An archive whose only entry is encrypted (its bytes stand for ciphertext). */
export function encryptedZip(rows: readonly PeopleRow[]): Buffer {
  return zip([{ name: 'customers.csv', data: randomBytes(64 + rows.length * 8), encrypted: true }]);
}

export function randomBinary(bytes = 64 * 1024): Buffer {
  const data = randomBytes(bytes);
  data[0] = 0x00; // never mistaken for a known magic or text
  return data;
}

/** A zip whose one entry inflates `megabytes` MiB of zeros from a few kilobytes. */
export function zipBomb(megabytes = 64): Buffer {
  return zip([{ name: 'zeros.csv', data: Buffer.alloc(megabytes << 20) }]);
}
