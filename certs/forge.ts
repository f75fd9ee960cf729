// certs/forge: the one file that touches node-forge — its ASN.1 DER codec, behind a neutral node type.
// Must not let forge types, binary strings or errors out: callers see Asn1Node, Buffer and undefined.
import forge from 'node-forge';

export type Asn1Class = 'universal' | 'application' | 'context' | 'private';

/** One DER TLV (X.690 §8.1). Constructed nodes carry children; primitive nodes carry their content octets. */
export interface Asn1Node {
  readonly cls: Asn1Class;
  readonly tag: number;
  readonly constructed: boolean;
  readonly children: readonly Asn1Node[];
  readonly content: Buffer;
}

const classes: Record<number, Asn1Class> = {
  0x00: 'universal',
  0x40: 'application',
  0x80: 'context',
  0xc0: 'private',
};
const classBits: Record<Asn1Class, number> = {
  universal: 0x00,
  application: 0x40,
  context: 0x80,
  private: 0xc0,
};

/** Nesting deeper than this is no certificate we accept (X.509 needs < 10); forge's default is 256. */
const MAX_DEPTH = 32;

interface FromDerOptions {
  strict: boolean;
  parseAllBytes: boolean;
  decodeBitStrings: boolean;
  maxDepth: number;
}
// @types/node-forge declares only the legacy `strict` flag; forge 1.x takes an options object.
const fromDer = forge.asn1.fromDer as unknown as (
  bytes: forge.util.ByteStringBuffer,
  options: FromDerOptions,
) => forge.asn1.Asn1;

function toNode(f: forge.asn1.Asn1): Asn1Node {
  const cls = classes[f.tagClass] ?? 'private';
  if (Array.isArray(f.value)) {
    return {
      cls,
      tag: f.type,
      constructed: f.constructed,
      children: f.value.map(toNode),
      content: Buffer.alloc(0),
    };
  }
  // forge hands BMPString back as decoded UTF-16 text; keep the octets (UCS-2 big-endian, X.680 §41).
  const content =
    f.tagClass === forge.asn1.Class.UNIVERSAL && f.type === forge.asn1.Type.BMPSTRING
      ? Buffer.from(f.value, 'utf16le').swap16()
      : Buffer.from(f.value, 'binary');
  return { cls, tag: f.type, constructed: false, children: [], content };
}

function toForge(node: Asn1Node): forge.asn1.Asn1 {
  const value = node.constructed ? node.children.map(toForge) : node.content.toString('binary');
  return forge.asn1.create(classBits[node.cls], node.tag, node.constructed, value);
}

/** Decodes exactly one DER value that spans all of `der`; undefined when it is not well-formed. */
export function decodeDer(der: Uint8Array): Asn1Node | undefined {
  try {
    const buffer = forge.util.createBuffer(Buffer.from(der).toString('binary'));
    // BIT STRING contents stay opaque (decodeBitStrings: false): a signature is not nested ASN.1.
    return toNode(
      fromDer(buffer, { strict: true, parseAllBytes: true, decodeBitStrings: false, maxDepth: MAX_DEPTH }),
    );
  } catch {
    return undefined;
  }
}

/** Encodes a node as DER (definite, minimal lengths). */
export function encodeDer(node: Asn1Node): Buffer {
  return Buffer.from(forge.asn1.toDer(toForge(node)).getBytes(), 'binary');
}

/** OBJECT IDENTIFIER content octets (X.690 §8.19) → dotted string; undefined when malformed. */
export function decodeOid(content: Buffer): string | undefined {
  // X.690 §8.19.2: each subidentifier is minimal (no leading 0x80) and the last octet ends it (high bit clear).
  if (content.length === 0 || (content[content.length - 1] ?? 0) & 0x80) return undefined;
  for (let i = 0; i < content.length; i += 1) {
    const starts = i === 0 || ((content[i - 1] ?? 0) & 0x80) === 0;
    if (starts && content[i] === 0x80) return undefined;
  }
  try {
    return forge.asn1.derToOid(content.toString('binary'));
  } catch {
    return undefined;
  }
}

/** Dotted string → OBJECT IDENTIFIER content octets. */
export function encodeOid(oid: string): Buffer {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new TypeError(`not an object identifier: ${oid}`);
  return Buffer.from(forge.asn1.oidToDer(oid).getBytes(), 'binary');
}
