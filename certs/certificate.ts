// certs/certificate: parse one X.509 v3 certificate (RFC 5280 §4) into the facts chain validation needs.
// Pure; passes no judgement (weak, expired, not-a-CA are chain.ts's call) and never throws for bad bytes.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { decodeDer, encodeDer, type Asn1Node } from './forge.js';
import {
  Tag,
  isContext,
  isSequence,
  isUniversal,
  readBits,
  readBoolean,
  readOid,
  readSmallUint,
  readText,
  readTime,
} from './der.js';
import { AttributeOid, ExtensionOid, keyUsageBits, type KeyUsageBit } from './oids.js';
import { readSignatureAlgorithm, type SignatureAlgorithm } from './signature-algorithm.js';
import { sha256Hex } from './sha256-hex.js';
import { createLruCache } from './lru-cache.js';
import {
  readDistinguishedName,
  readGeneralNames,
  type DistinguishedName,
  type GeneralName,
} from './general-name.js';
import { readNameConstraints, type NameConstraints } from './name-constraints.js';

export type PublicKeyInfo =
  | { readonly kind: 'rsa'; readonly bits: number }
  | { readonly kind: 'ec'; readonly curve: string }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'other'; readonly type: string };

export type { SignatureAlgorithm, SignatureHash } from './signature-algorithm.js';

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLen: number | undefined;
}

/** RFC 5280 §4.2.1.11 PolicyConstraints; each a SkipCerts count when present. */
export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | undefined;
  readonly inhibitPolicyMapping: number | undefined;
}

export interface ParsedCertificate {
  readonly der: Buffer;
  /** Lowercase hex SHA-256 of the DER: the identity used for revocation and the ledger. */
  readonly sha256: string;
  readonly x509: X509Certificate;
  readonly publicKey: KeyObject;
  readonly key: PublicKeyInfo;
  readonly version: number;
  readonly serialHex: string;
  /** The sign of the serialNumber INTEGER (RFC 5280 §4.1.2.2 requires positive). */
  readonly serialSign: 'positive' | 'zero' | 'negative';
  /** DER of the subject and issuer Names, compared octet for octet when chaining (RFC 5280 §7.1). */
  readonly subject: Buffer;
  readonly issuer: Buffer;
  /** The subject's single commonName; undefined when it has none or several. */
  readonly subjectCn: string | undefined;
  readonly issuerCn: string | undefined;
  /** The subject as RDNs, for name constraints (RFC 5280 §4.2.1.10); empty for an empty subject. */
  readonly subjectName: DistinguishedName;
  /** subjectAltName entries; undefined when the extension is absent or not well-formed. */
  readonly subjectAltNames: readonly GeneralName[] | undefined;
  /** Why subjectAltName is not well-formed DER GeneralNames (RFC 5280 §4.2.1.6); chain.ts refuses it. */
  readonly subjectAltNameError: string | undefined;
  readonly nameConstraints: NameConstraints | undefined;
  readonly policyConstraints: PolicyConstraints | undefined;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Subject and issuer names are equal (RFC 5280 §6.1: self-issued certificates do not count toward pathLen). */
  readonly selfIssued: boolean;
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: ReadonlySet<KeyUsageBit> | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  readonly extensions: readonly { readonly oid: string; readonly critical: boolean }[];
}

export type CertificateParse =
  | { readonly ok: true; readonly certificate: ParsedCertificate }
  | { readonly ok: false; readonly message: string };

class Malformed extends Error {}
const fail = (message: string): never => {
  throw new Malformed(message);
};

/** Name (RFC 5280 §4.1.2.4): every commonName value, in order. */
function readCommonNames(name: Asn1Node): string[] {
  if (!isSequence(name)) return fail('Name is not a SEQUENCE');
  const cns: string[] = [];
  for (const rdn of name.children) {
    if (!isUniversal(rdn, Tag.SET) || !rdn.constructed) return fail('RDN is not a SET');
    for (const atv of rdn.children) {
      if (!isSequence(atv) || atv.children.length !== 2) return fail('AttributeTypeAndValue is malformed');
      if (readOid(atv.children[0]) === AttributeOid.commonName) {
        cns.push(readText(atv.children[1]) ?? fail('commonName is not a directory string'));
      }
    }
  }
  return cns;
}

/** The single commonName of a Name (e.g. a CRL issuer, for messages); undefined when absent, repeated or malformed. */
export function readSingleCommonName(name: Asn1Node): string | undefined {
  try {
    const cns = readCommonNames(name);
    return cns.length === 1 ? cns[0] : undefined;
  } catch {
    return undefined;
  }
}

const hex = (b: Buffer): string => b.toString('hex');

/** RFC 5280 §4.2.1.9 BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
function readBasicConstraints(value: Asn1Node): BasicConstraints {
  if (!isSequence(value) || value.children.length > 2) return fail('basicConstraints is malformed');
  let ca = false;
  let pathLen: number | undefined;
  for (const child of value.children) {
    if (isUniversal(child, Tag.BOOLEAN)) ca = readBoolean(child) ?? fail('basicConstraints cA is malformed');
    else if (isUniversal(child, Tag.INTEGER))
      pathLen = readSmallUint(child) ?? fail('pathLenConstraint is malformed');
    else fail('basicConstraints has an unexpected field');
  }
  return { ca, pathLen };
}

/** RFC 5280 §4.2.1.3 KeyUsage ::= BIT STRING; bit 0 is the most significant bit of the first octet. */
function readKeyUsage(value: Asn1Node): Set<KeyUsageBit> {
  const bitString = readBits(value) ?? fail('keyUsage is not a BIT STRING');
  const set = new Set<KeyUsageBit>();
  keyUsageBits.forEach((name, i) => {
    const octet = bitString.value[i >> 3];
    if (octet !== undefined && octet & (0x80 >> (i & 7))) set.add(name);
  });
  return set;
}

/** RFC 5280 §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
function readExtKeyUsage(value: Asn1Node): string[] {
  if (!isSequence(value) || value.children.length === 0) return fail('extKeyUsage is malformed');
  return value.children.map((c) => readOid(c) ?? fail('extKeyUsage has a non-OID member'));
}

/** RFC 5280 §4.2.1.1 AuthorityKeyIdentifier: only keyIdentifier [0] is used for chaining. */
function readAuthorityKeyId(value: Asn1Node): string | undefined {
  if (!isSequence(value)) return fail('authorityKeyIdentifier is malformed');
  const keyId = value.children.find((c) => isContext(c, 0));
  return keyId === undefined ? undefined : hex(keyId.content);
}

interface ExtensionFacts {
  basicConstraints: BasicConstraints | undefined;
  keyUsage: Set<KeyUsageBit> | undefined;
  extKeyUsage: string[] | undefined;
  subjectKeyId: string | undefined;
  authorityKeyId: string | undefined;
  subjectAltNames: GeneralName[] | undefined;
  subjectAltNameError: string | undefined;
  nameConstraints: NameConstraints | undefined;
  policyConstraints: PolicyConstraints | undefined;
  list: { oid: string; critical: boolean }[];
}

/** PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL, inhibitPolicyMapping [1] … } */
function readPolicyConstraints(value: Asn1Node): PolicyConstraints {
  // §4.2.1.11: conforming CAs MUST NOT issue an empty sequence.
  if (!isSequence(value) || value.children.length === 0 || value.children.length > 2)
    return fail('policyConstraints is malformed');
  const skip = (node: Asn1Node): number =>
    readSmallUint({ ...node, cls: 'universal', tag: Tag.INTEGER }) ??
    fail('policyConstraints SkipCerts is malformed');
  let requireExplicitPolicy: number | undefined;
  let inhibitPolicyMapping: number | undefined;
  for (const child of value.children) {
    if (isContext(child, 0) && requireExplicitPolicy === undefined && inhibitPolicyMapping === undefined)
      requireExplicitPolicy = skip(child);
    else if (isContext(child, 1) && inhibitPolicyMapping === undefined) inhibitPolicyMapping = skip(child);
    else fail('policyConstraints has an unexpected field');
  }
  return { requireExplicitPolicy, inhibitPolicyMapping };
}

function readExtensions(wrapper: Asn1Node | undefined): ExtensionFacts {
  const facts: ExtensionFacts = {
    basicConstraints: undefined,
    keyUsage: undefined,
    extKeyUsage: undefined,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
    subjectAltNames: undefined,
    subjectAltNameError: undefined,
    nameConstraints: undefined,
    policyConstraints: undefined,
    list: [],
  };
  if (wrapper === undefined) return facts;
  const extensions = wrapper.children[0];
  if (!isSequence(extensions) || extensions.children.length === 0) return fail('extensions are malformed');
  for (const ext of extensions.children) {
    if (!isSequence(ext) || ext.children.length < 2 || ext.children.length > 3)
      return fail('Extension is malformed');
    const oid = readOid(ext.children[0]) ?? fail('Extension has no OID');
    const critical =
      ext.children.length === 3
        ? (readBoolean(ext.children[1]) ?? fail('Extension critical flag is malformed'))
        : false;
    const octets = ext.children[ext.children.length - 1];
    if (!isUniversal(octets, Tag.OCTET_STRING) || octets.constructed)
      return fail('Extension value is not an OCTET STRING');
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of a particular extension.
    if (facts.list.some((e) => e.oid === oid)) return fail(`extension ${oid} appears twice`);
    facts.list.push({ oid, critical });
    const parsed = (): Asn1Node => decodeDer(octets.content) ?? fail(`extension ${oid} value is not DER`);
    switch (oid) {
      case ExtensionOid.basicConstraints:
        facts.basicConstraints = readBasicConstraints(parsed());
        break;
      case ExtensionOid.keyUsage:
        facts.keyUsage = readKeyUsage(parsed());
        break;
      case ExtensionOid.extKeyUsage:
        facts.extKeyUsage = readExtKeyUsage(parsed());
        break;
      case ExtensionOid.subjectKeyIdentifier: {
        const node = parsed();
        if (!isUniversal(node, Tag.OCTET_STRING)) return fail('subjectKeyIdentifier is malformed');
        facts.subjectKeyId = hex(node.content);
        break;
      }
      case ExtensionOid.authorityKeyIdentifier:
        facts.authorityKeyId = readAuthorityKeyId(parsed());
        break;
      case ExtensionOid.subjectAltName: {
        // Not a parse failure: chain.ts refuses an ill-formed SAN with its own reason (RFC 5280 §4.2.1.6).
        const names = readGeneralNames(decodeDer(octets.content));
        if (names.ok) facts.subjectAltNames = names.names;
        else facts.subjectAltNameError = names.message;
        break;
      }
      case ExtensionOid.nameConstraints:
        facts.nameConstraints = readNameConstraints(parsed()) ?? fail('nameConstraints is malformed');
        break;
      case ExtensionOid.policyConstraints:
        facts.policyConstraints = readPolicyConstraints(parsed());
        break;
      default:
        break;
    }
  }
  return facts;
}

function describeKey(key: KeyObject): PublicKeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if ((type === 'rsa' || type === 'rsa-pss') && details.modulusLength !== undefined)
    return { kind: 'rsa', bits: details.modulusLength };
  if (type === 'ec' && details.namedCurve !== undefined) return { kind: 'ec', curve: details.namedCurve };
  if (type === 'ed25519') return { kind: 'ed25519' };
  return { kind: 'other', type };
}

function parse(der: Buffer, sha256: string): ParsedCertificate {
  const root = decodeDer(der) ?? fail('not DER');
  if (!isSequence(root) || root.children.length !== 3) return fail('Certificate is not a SEQUENCE of three');
  const [tbs, outerAlg, signature] = root.children as [Asn1Node, Asn1Node, Asn1Node];
  if (!isSequence(tbs)) return fail('tbsCertificate is not a SEQUENCE');
  if (readBits(signature) === undefined) return fail('signatureValue is not a BIT STRING');

  const fields = [...tbs.children];
  let version = 1;
  if (isContext(fields[0], 0)) {
    const v = readSmallUint(fields.shift()?.children[0]);
    if (v === undefined || v > 2) return fail('unknown certificate version');
    version = v + 1;
  }
  const [serial, innerAlg, issuer, validity, subject, spki, ...rest] = fields;
  if (!isUniversal(serial, Tag.INTEGER) || serial.content.length === 0 || serial.content.length > 21) {
    return fail('serialNumber is malformed');
  }
  // RFC 5280 §4.1.1.2: the signature field inside the TBS MUST equal signatureAlgorithm outside it.
  if (innerAlg === undefined || !encodeDer(innerAlg).equals(encodeDer(outerAlg))) {
    return fail('tbsCertificate.signature differs from signatureAlgorithm');
  }
  if (issuer === undefined || subject === undefined || spki === undefined)
    return fail('tbsCertificate is incomplete');
  if (!isSequence(validity) || validity.children.length !== 2) return fail('validity is malformed');
  const notBefore = readTime(validity.children[0]) ?? fail('notBefore is malformed');
  const notAfter = readTime(validity.children[1]) ?? fail('notAfter is malformed');
  const issuerCns = readCommonNames(issuer);
  const subjectCns = readCommonNames(subject);
  const subjectName = readDistinguishedName(subject) ?? fail('subject is not a well-formed Name');
  const extensionsNode = rest.find((n) => isContext(n, 3));
  if (extensionsNode !== undefined && version !== 3)
    return fail('extensions in a certificate that is not v3');
  const ext = readExtensions(extensionsNode);

  let x509: X509Certificate;
  let publicKey: KeyObject;
  try {
    x509 = new X509Certificate(der);
    publicKey = x509.publicKey;
  } catch {
    return fail('rejected by the X.509 decoder (or its public key type is unsupported)');
  }
  const subjectDer = encodeDer(subject);
  const issuerDer = encodeDer(issuer);
  return {
    der,
    sha256,
    x509,
    publicKey,
    key: describeKey(publicKey),
    version,
    serialHex: hex(serial.content).replace(/^(00)+(?=.)/, ''),
    serialSign:
      (serial.content[0] ?? 0) & 0x80
        ? 'negative'
        : serial.content.every((b) => b === 0)
          ? 'zero'
          : 'positive',
    subject: subjectDer,
    issuer: issuerDer,
    subjectCn: subjectCns.length === 1 ? subjectCns[0] : undefined,
    issuerCn: issuerCns.length === 1 ? issuerCns[0] : undefined,
    subjectName,
    subjectAltNames: ext.subjectAltNames,
    subjectAltNameError: ext.subjectAltNameError,
    nameConstraints: ext.nameConstraints,
    policyConstraints: ext.policyConstraints,
    notBefore,
    notAfter,
    signatureAlgorithm: readSignatureAlgorithm(outerAlg) ?? fail('signatureAlgorithm is malformed'),
    selfIssued: subjectDer.equals(issuerDer),
    basicConstraints: ext.basicConstraints,
    keyUsage: ext.keyUsage,
    extKeyUsage: ext.extKeyUsage,
    subjectKeyId: ext.subjectKeyId,
    authorityKeyId: ext.authorityKeyId,
    extensions: ext.list,
  };
}

/**
 * The same certificates come back on every verification (trust anchors, a partner's x5c, the receiver's
 * chain), and decoding one — node:crypto's X509Certificate above all — costs more than everything else chain
 * validation does with it. A parse depends on nothing but the bytes, so it is kept by their SHA-256: a few
 * hundred entries hold every CA and signer a deployment sees, and a stream of distinct certificates cannot grow
 * memory. Failures are not kept; they are rare and cheap to find again.
 */
const PARSED_CACHE_SIZE = 512;
const parsed = createLruCache<string, ParsedCertificate>(PARSED_CACHE_SIZE);

/** Parses DER into a ParsedCertificate, or says why it is not a certificate we can read. */
export function parseCertificate(der: Uint8Array): CertificateParse {
  const sha256 = sha256Hex(der);
  const known = parsed.get(sha256);
  if (known !== undefined) return { ok: true, certificate: known };
  try {
    // Copied, so a caller reusing its buffer cannot change a certificate others were given; frozen for the same reason.
    const certificate = Object.freeze(parse(Buffer.from(der), sha256));
    parsed.set(sha256, certificate);
    return { ok: true, certificate };
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, message: err.message };
    return { ok: false, message: 'not a certificate' };
  }
}
