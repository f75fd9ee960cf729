// certs/der: build and read neutral DER nodes (X.690) for the certificate builder and parser.
// Pure; readers return undefined for anything unexpected and never throw.
import { decodeDer, decodeOid, encodeOid, type Asn1Node } from './forge.js';

export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE_STRING: 19,
  TELETEX_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

const empty = Buffer.alloc(0);
const primitive = (tag: number, content: Buffer): Asn1Node => ({
  cls: 'universal',
  tag,
  constructed: false,
  children: [],
  content,
});
const constructed = (tag: number, children: readonly Asn1Node[]): Asn1Node => ({
  cls: 'universal',
  tag,
  constructed: true,
  children,
  content: empty,
});

export const seq = (...children: Asn1Node[]): Asn1Node => constructed(Tag.SEQUENCE, children);
export const set = (...children: Asn1Node[]): Asn1Node => constructed(Tag.SET, children);
export const oid = (dotted: string): Asn1Node => primitive(Tag.OID, encodeOid(dotted));
export const nul = (): Asn1Node => primitive(Tag.NULL, empty);
export const bool = (value: boolean): Asn1Node => primitive(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
export const octets = (content: Uint8Array): Asn1Node => primitive(Tag.OCTET_STRING, Buffer.from(content));
export const utf8 = (text: string): Asn1Node => primitive(Tag.UTF8_STRING, Buffer.from(text, 'utf8'));
export const printable = (text: string): Asn1Node =>
  primitive(Tag.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
export const ia5 = (text: string): Asn1Node => primitive(Tag.IA5_STRING, Buffer.from(text, 'latin1'));
/** BIT STRING: first content octet counts the unused trailing bits (X.690 §8.6.2.2). */
export const bits = (value: Uint8Array, unusedBits = 0): Asn1Node =>
  primitive(Tag.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), value]));

/** A non-negative INTEGER from big-endian magnitude octets, minimally encoded (X.690 §8.3.2). */
export function uint(magnitude: Uint8Array | number): Asn1Node {
  let bytes: Buffer;
  if (typeof magnitude === 'number') {
    const hex = magnitude.toString(16);
    bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  } else {
    bytes = Buffer.from(magnitude);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return primitive(Tag.INTEGER, bytes);
}

/** [n] EXPLICIT wrapper. */
export const explicit = (tagNumber: number, inner: Asn1Node): Asn1Node => ({
  cls: 'context',
  tag: tagNumber,
  constructed: true,
  children: [inner],
  content: empty,
});

/** [n] IMPLICIT on a primitive value: the context tag replaces the universal one. */
export const implicit = (tagNumber: number, content: Uint8Array): Asn1Node => ({
  cls: 'context',
  tag: tagNumber,
  constructed: false,
  children: [],
  content: Buffer.from(content),
});

/** Embeds already-encoded DER (e.g. a SubjectPublicKeyInfo from node:crypto). */
export function raw(der: Uint8Array): Asn1Node {
  const node = decodeDer(der);
  if (node === undefined) throw new TypeError('embedded value is not DER');
  return node;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always Zulu, whole seconds. */
export function time(date: Date): Asn1Node {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return y < 2050
    ? primitive(Tag.UTC_TIME, Buffer.from(`${pad(y % 100)}${rest}`, 'latin1'))
    : primitive(Tag.GENERALIZED_TIME, Buffer.from(`${pad(y, 4)}${rest}`, 'latin1'));
}

// ---- readers ----

export const isUniversal = (node: Asn1Node | undefined, tag: number): node is Asn1Node =>
  node !== undefined && node.cls === 'universal' && node.tag === tag;

export const isContext = (node: Asn1Node | undefined, tag: number): node is Asn1Node =>
  node !== undefined && node.cls === 'context' && node.tag === tag;

export const isSequence = (node: Asn1Node | undefined): node is Asn1Node =>
  isUniversal(node, Tag.SEQUENCE) && node.constructed;

export function readOid(node: Asn1Node | undefined): string | undefined {
  return isUniversal(node, Tag.OID) && !node.constructed ? decodeOid(node.content) : undefined;
}

/** DER BOOLEAN is exactly one octet, 0x00 or 0xFF (X.690 §11.1). */
export function readBoolean(node: Asn1Node | undefined): boolean | undefined {
  if (!isUniversal(node, Tag.BOOLEAN) || node.content.length !== 1) return undefined;
  return node.content[0] === 0xff ? true : node.content[0] === 0x00 ? false : undefined;
}

/** A small non-negative INTEGER (pathLenConstraint, version). */
export function readSmallUint(node: Asn1Node | undefined): number | undefined {
  if (!isUniversal(node, Tag.INTEGER) || node.content.length === 0 || node.content.length > 4)
    return undefined;
  if ((node.content[0] ?? 0) & 0x80) return undefined;
  return node.content.readUIntBE(0, node.content.length);
}

/** BIT STRING payload and unused-bit count; undefined when malformed (X.690 §8.6.2). */
export function readBits(node: Asn1Node | undefined): { value: Buffer; unusedBits: number } | undefined {
  if (!isUniversal(node, Tag.BIT_STRING) || node.constructed || node.content.length === 0) return undefined;
  const unusedBits = node.content[0] ?? 0;
  if (unusedBits > 7 || (node.content.length === 1 && unusedBits !== 0)) return undefined;
  return { value: node.content.subarray(1), unusedBits };
}

/** A directory string as text (RFC 5280 §4.1.2.4 DirectoryString and the legacy IA5/Teletex forms). */
export function readText(node: Asn1Node | undefined): string | undefined {
  if (node === undefined || node.cls !== 'universal' || node.constructed) return undefined;
  switch (node.tag) {
    case Tag.UTF8_STRING:
      return new TextDecoder('utf-8', { fatal: true }).decode(node.content);
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.TELETEX_STRING:
      return node.content.toString('latin1');
    case Tag.BMP_STRING:
      return node.content.length % 2 === 0
        ? Buffer.from(node.content).swap16().toString('utf16le')
        : undefined;
    default:
      return undefined;
  }
}

/** RFC 5280 §4.1.2.5.1/§4.1.2.5.2: YYMMDDHHMMSSZ (50-99 → 19xx) or YYYYMMDDHHMMSSZ, nothing else. */
export function readTime(node: Asn1Node | undefined): Date | undefined {
  if (node === undefined || node.cls !== 'universal' || node.constructed) return undefined;
  const text = node.content.toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (node.tag === Tag.UTC_TIME && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (
    node.tag === Tag.GENERALIZED_TIME &&
    (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))
  ) {
    year = Number(match[1]);
  } else {
    return undefined;
  }
  const [mo, d, h, mi, s] = [2, 3, 4, 5, 6].map((i) => Number(match?.[i]));
  if (mo === undefined || d === undefined || h === undefined || mi === undefined || s === undefined)
    return undefined;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  // Reject out-of-range fields that Date.UTC would silently roll over (e.g. month 13).
  if (
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

/** X.690 §8.1.2–8.1.3: header and total length of the definite-length TLV at `offset`; low tag numbers only. */
function readTlvExtent(der: Buffer, offset: number): { header: number; total: number } | undefined {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) return undefined;
  let header = 2;
  let length = first;
  if (first >= 0x80) {
    const octetCount = first & 0x7f;
    // 0x80 is the indefinite form, which DER forbids (X.690 §10.1).
    if (octetCount === 0 || octetCount > 4 || offset + 2 + octetCount > der.length) return undefined;
    length = der.readUIntBE(offset + 2, octetCount);
    header += octetCount;
  }
  const total = header + length;
  return offset + total <= der.length ? { header, total } : undefined;
}

/**
 * The exact encodings of the elements of the SEQUENCE that spans `der`, as received. Signatures are over the
 * bytes as signed (e.g. tbsCertList, RFC 5280 §5.1.1.3), so they are cut out here rather than re-encoded.
 */
export function readSequenceElements(der: Uint8Array): Buffer[] | undefined {
  const buffer = Buffer.from(der);
  const outer = buffer[0] === 0x30 ? readTlvExtent(buffer, 0) : undefined;
  if (outer === undefined || outer.total !== buffer.length) return undefined;
  const elements: Buffer[] = [];
  for (let offset = outer.header; offset < buffer.length;) {
    const element = readTlvExtent(buffer, offset);
    if (element === undefined) return undefined;
    elements.push(buffer.subarray(offset, offset + element.total));
    offset += element.total;
  }
  return elements;
}
