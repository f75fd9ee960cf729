// certs/crl: parse one X.509 v2 CRL (RFC 5280 §5.1) into the facts revocation checking needs. Pure; passes
// no judgement (stale, badly signed, unsupported are crl-revocation.ts's call) and never throws for bad bytes.
import { decodeDer, encodeDer, type Asn1Node } from './forge.js';
import {
  Tag,
  isContext,
  isSequence,
  isUniversal,
  readBits,
  readBoolean,
  readOid,
  readSequenceElements,
  readSmallUint,
  readTime,
} from './der.js';
import { readSingleCommonName } from './certificate.js';
import { CrlExtensionOid } from './oids.js';
import { readSignatureAlgorithm, type SignatureAlgorithm } from './signature-algorithm.js';
import { sha256Hex } from './sha256-hex.js';

export interface ParsedCrl {
  readonly der: Buffer;
  readonly sha256: string;
  /** DER of the issuer Name, compared octet for octet with certificates' issuer (RFC 5280 §6.3.3 (b)). */
  readonly issuer: Buffer;
  readonly issuerCn: string | undefined;
  readonly thisUpdate: Date;
  /** RFC 5280 §5.1.2.5: conforming issuers MUST include it; absent means the CRL never counts as fresh. */
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: string | undefined;
  /** RFC 5280 §5.2.3: cRLNumber is a non-critical extension. */
  readonly crlNumberCritical: boolean;
  readonly authorityKeyId: string | undefined;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** The AlgorithmIdentifier as encoded, for verifying with its parameters (RSASSA-PSS). */
  readonly signatureAlgorithmNode: Asn1Node;
  /** The exact tbsCertList bytes that were signed (RFC 5280 §5.1.1.3). */
  readonly signedBytes: Buffer;
  readonly signature: Buffer;
  /** Revoked serials as lowercase hex without leading zero octets (as ParsedCertificate.serialHex), with dates. */
  readonly revoked: ReadonlyMap<string, Date>;
  /** CRL and entry extensions marked critical (RFC 5280 §5.2, §5.3). */
  readonly criticalExtensions: readonly string[];
}

export type CrlParse =
  { readonly ok: true; readonly crl: ParsedCrl } | { readonly ok: false; readonly message: string };

class Malformed extends Error {}
const fail = (message: string): never => {
  throw new Malformed(message);
};

const hex = (b: Buffer): string => b.toString('hex');
const serialHexOf = (content: Buffer): string => hex(content).replace(/^(00)+(?=.)/, '');
const isTime = (node: Asn1Node | undefined): boolean =>
  isUniversal(node, Tag.UTC_TIME) || isUniversal(node, Tag.GENERALIZED_TIME);

interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

/** RFC 5280 §4.1 Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; one instance per OID. */
function readExtensions(node: Asn1Node | undefined, what: string): Extension[] {
  if (!isSequence(node) || node.children.length === 0) return fail(`${what} are malformed`);
  const out: Extension[] = [];
  for (const ext of node.children) {
    if (!isSequence(ext) || ext.children.length < 2 || ext.children.length > 3)
      return fail(`${what}: an Extension is malformed`);
    const oid = readOid(ext.children[0]) ?? fail(`${what}: an Extension has no OID`);
    const critical =
      ext.children.length === 3
        ? (readBoolean(ext.children[1]) ?? fail(`${what}: a critical flag is malformed`))
        : false;
    const value = ext.children[ext.children.length - 1];
    if (!isUniversal(value, Tag.OCTET_STRING) || value.constructed)
      return fail(`${what}: an Extension value is not an OCTET STRING`);
    if (out.some((e) => e.oid === oid)) return fail(`${what}: extension ${oid} appears twice`);
    out.push({ oid, critical, value: value.content });
  }
  return out;
}

function parse(der: Buffer): ParsedCrl {
  const root = decodeDer(der) ?? fail('not DER');
  if (!isSequence(root) || root.children.length !== 3)
    return fail('CertificateList is not a SEQUENCE of three');
  const [tbs, outerAlg, signatureNode] = root.children as [Asn1Node, Asn1Node, Asn1Node];
  const elements = readSequenceElements(der) ?? fail('CertificateList is not definite-length DER');
  const signedBytes = elements[0] ?? fail('tbsCertList is missing');
  if (!isSequence(tbs)) return fail('tbsCertList is not a SEQUENCE');
  const signatureBits = readBits(signatureNode) ?? fail('signatureValue is not a BIT STRING');
  if (signatureBits.unusedBits !== 0) return fail('signatureValue has unused bits');

  const fields = [...tbs.children];
  if (isUniversal(fields[0], Tag.INTEGER)) {
    // RFC 5280 §5.1.2.1: when present, version MUST be v2 (1).
    if (readSmallUint(fields.shift()) !== 1) return fail('CRL version is not v2');
  }
  const innerAlg = fields.shift();
  // RFC 5280 §5.1.1.2: the signature field inside tbsCertList MUST equal signatureAlgorithm outside it.
  if (innerAlg === undefined || !encodeDer(innerAlg).equals(encodeDer(outerAlg)))
    return fail('tbsCertList.signature differs from signatureAlgorithm');
  const signatureAlgorithm = readSignatureAlgorithm(outerAlg) ?? fail('signatureAlgorithm is malformed');
  const issuer = fields.shift();
  if (!isSequence(issuer)) return fail('issuer is not a Name');
  const thisUpdate = readTime(fields.shift()) ?? fail('thisUpdate is malformed');
  const nextUpdate = isTime(fields[0])
    ? (readTime(fields.shift()) ?? fail('nextUpdate is malformed'))
    : undefined;

  const revoked = new Map<string, Date>();
  const critical: string[] = [];
  if (isSequence(fields[0])) {
    for (const entry of fields.shift()?.children ?? []) {
      if (!isSequence(entry) || entry.children.length < 2 || entry.children.length > 3)
        return fail('a revokedCertificates entry is malformed');
      const serial = entry.children[0];
      if (!isUniversal(serial, Tag.INTEGER) || serial.content.length === 0 || serial.content.length > 21)
        return fail('a revoked serial number is malformed');
      const date = readTime(entry.children[1]) ?? fail('a revocationDate is malformed');
      if (entry.children[2] !== undefined) {
        for (const ext of readExtensions(entry.children[2], 'crlEntryExtensions'))
          if (ext.critical) critical.push(ext.oid);
      }
      revoked.set(serialHexOf(serial.content), date);
    }
  }

  let crlNumber: string | undefined;
  let crlNumberCritical = false;
  let authorityKeyId: string | undefined;
  const extensionsNode = fields.shift();
  if (extensionsNode !== undefined) {
    if (!isContext(extensionsNode, 0)) return fail('tbsCertList has an unexpected field');
    for (const ext of readExtensions(extensionsNode.children[0], 'crlExtensions')) {
      if (ext.critical) critical.push(ext.oid);
      const value = (): Asn1Node => decodeDer(ext.value) ?? fail(`extension ${ext.oid} value is not DER`);
      if (ext.oid === CrlExtensionOid.crlNumber) {
        const node = value();
        if (!isUniversal(node, Tag.INTEGER)) return fail('cRLNumber is not an INTEGER');
        crlNumber = serialHexOf(node.content);
        crlNumberCritical = ext.critical;
      } else if (ext.oid === CrlExtensionOid.authorityKeyIdentifier) {
        // RFC 5280 §5.2.1 / §4.2.1.1: only keyIdentifier [0] is used.
        const node = value();
        if (!isSequence(node)) return fail('authorityKeyIdentifier is malformed');
        const keyId = node.children.find((c) => isContext(c, 0));
        authorityKeyId = keyId === undefined ? undefined : hex(keyId.content);
      }
    }
  }
  if (fields.length > 0) return fail('tbsCertList has trailing fields');

  return {
    der,
    sha256: sha256Hex(der),
    issuer: encodeDer(issuer),
    issuerCn: readSingleCommonName(issuer),
    thisUpdate,
    nextUpdate,
    crlNumber,
    crlNumberCritical,
    authorityKeyId,
    signatureAlgorithm,
    signatureAlgorithmNode: outerAlg,
    signedBytes,
    signature: signatureBits.value,
    revoked,
    criticalExtensions: critical,
  };
}

/** Parses DER into a ParsedCrl, or says why it is not a CRL we can read. */
export function parseCrl(der: Uint8Array): CrlParse {
  try {
    return { ok: true, crl: parse(Buffer.from(der)) };
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, message: err.message };
    return { ok: false, message: 'not a CRL' };
  }
}
