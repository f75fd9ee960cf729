// certs/certificate-builder: issue an X.509 v3 certificate (RFC 5280 §4.1) for any key type — RSA, EC or
// Ed25519 — by encoding the TBSCertificate with forge's DER codec and signing it with node:crypto.
// For the development PKI and tests; throws on a bad spec (a programming error), never touches the disk.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { encodeDer, type Asn1Node } from './forge.js';
import {
  bits,
  bool,
  explicit,
  ia5,
  implicit,
  nul,
  octets,
  oid,
  printable,
  raw,
  readBits,
  readOid,
  seq,
  set,
  time,
  uint,
  utf8,
} from './der.js';
import {
  AttributeOid,
  EMAIL_ADDRESS_OID,
  ExtKeyUsageOid,
  ExtensionOid,
  SignatureOid,
  keyUsageBits,
  type ExtKeyUsageName,
  type KeyUsageBit,
} from './oids.js';
import { parseCertificate } from './certificate.js';

/** A distinguished name, most significant RDN first (C, O, OU, CN, emailAddress); none at all = empty. */
export interface NameSpec {
  readonly cn?: string;
  readonly o?: string;
  readonly ou?: string;
  /** ISO 3166 alpha-2. */
  readonly c?: string;
  /** PKCS #9 emailAddress (legacy; RFC 5280 §4.2.1.6 prefers the SAN), last. */
  readonly email?: string;
}

/** One GeneralName (RFC 5280 §4.2.1.6). `ip` in a name constraint is a network, `address/prefix`. */
export type GeneralNameSpec =
  | { readonly dns: string }
  | { readonly email: string }
  | { readonly uri: string }
  | { readonly ip: string }
  | { readonly dirName: NameSpec }
  /** registeredID [8]: a form name constraints do not support (for fail-closed tests). */
  | { readonly rid: string };

/** Who signs: an issuing CA (its certificate and key), or the subject itself (a self-signed root). */
export type IssuerSpec =
  | { readonly certificate: Uint8Array; readonly privateKey: KeyObject }
  | { readonly selfSignedWith: KeyObject };

export type CertificateHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface CertificateSpec {
  readonly subject: NameSpec;
  readonly subjectKey: KeyObject;
  readonly issuer: IssuerSpec;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Positive serial magnitude; default 16 random octets (CA/B BR §7.1: at least 64 bits of entropy). */
  readonly serial?: Uint8Array;
  /** The serialNumber INTEGER's exact content octets, e.g. zero or negative (non-conforming; for tests). */
  readonly serialContent?: Uint8Array;
  /** A CA certificate (basicConstraints cA=TRUE, optional pathLen); absent = an end entity (cA=FALSE). */
  readonly ca?: { readonly pathLen?: number };
  /** false = leave basicConstraints out altogether (to build bad certificates in tests). */
  readonly basicConstraints?: false;
  /** Empty = leave keyUsage out. */
  readonly keyUsage: readonly KeyUsageBit[];
  readonly extKeyUsage?: readonly ExtKeyUsageName[];
  readonly subjectAltNames?: {
    readonly dns?: readonly string[];
    readonly ip?: readonly string[];
    readonly email?: readonly string[];
    readonly uri?: readonly string[];
    readonly dirName?: readonly NameSpec[];
    readonly other?: readonly GeneralNameSpec[];
    /** Default: critical exactly when the subject is empty (RFC 5280 §4.2.1.6). */
    readonly critical?: boolean;
  };
  /** RFC 5280 §4.2.1.10 name constraints (CA certificates); critical unless said otherwise. */
  readonly nameConstraints?: {
    readonly permitted?: readonly GeneralNameSpec[];
    readonly excluded?: readonly GeneralNameSpec[];
    readonly critical?: boolean;
  };
  /**
   * Overrides for the extensions built from the fields above, by OID: true/false sets the critical flag,
   * 'omit' leaves the extension out (to build non-conforming certificates in tests).
   */
  readonly extensionOverrides?: Readonly<Record<string, boolean | 'omit'>>;
  /** Digest for RSA/ECDSA issuers (default sha256); Ed25519 has its own (RFC 8410 §3). */
  readonly hash?: CertificateHash;
  readonly extraExtensions?: readonly {
    readonly oid: string;
    readonly critical: boolean;
    readonly value: Uint8Array;
  }[];
}

function encodeName(name: NameSpec): Asn1Node {
  const rdn = (type: string, value: Asn1Node): Asn1Node => set(seq(oid(type), value));
  const rdns: Asn1Node[] = [];
  // RFC 5280 §4.1.2.4 / Appendix A: countryName is a PrintableString; the rest UTF8String.
  if (name.c !== undefined) rdns.push(rdn(AttributeOid.countryName, printable(name.c)));
  if (name.o !== undefined) rdns.push(rdn(AttributeOid.organizationName, utf8(name.o)));
  if (name.ou !== undefined) rdns.push(rdn(AttributeOid.organizationalUnitName, utf8(name.ou)));
  if (name.cn !== undefined) rdns.push(rdn(AttributeOid.commonName, utf8(name.cn)));
  // PKCS #9: emailAddress is an IA5String.
  if (name.email !== undefined) rdns.push(rdn(EMAIL_ADDRESS_OID, ia5(name.email)));
  return seq(...rdns);
}

/** RFC 5280 §4.2.1.10: a network as address octets followed by mask octets. */
function networkOctets(cidr: string): Buffer {
  const [address = '', prefixText] = cidr.split('/');
  const octets = ipOctets(address);
  const prefix = prefixText === undefined ? octets.length * 8 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > octets.length * 8)
    throw new TypeError(`bad network ${cidr}`);
  const mask = Buffer.alloc(octets.length);
  for (let bit = 0; bit < prefix; bit += 1) mask[bit >> 3] = (mask[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return Buffer.concat([octets, mask]);
}

/** GeneralName with IMPLICIT tags (RFC 5280 Appendix A.2); `inConstraint` reads `ip` as a network. */
export function encodeGeneralName(name: GeneralNameSpec, inConstraint = false): Asn1Node {
  if ('dns' in name) return implicit(2, ia5(name.dns).content);
  if ('email' in name) return implicit(1, ia5(name.email).content);
  if ('uri' in name) return implicit(6, ia5(name.uri).content);
  if ('ip' in name) return implicit(7, inConstraint ? networkOctets(name.ip) : ipOctets(name.ip));
  if ('dirName' in name) return explicit(4, encodeName(name.dirName)); // Name is a CHOICE: [4] is explicit
  return implicit(8, oid(name.rid).content);
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] IMPLICIT, excludedSubtrees [1] IMPLICIT } */
function encodeNameConstraints(spec: NonNullable<CertificateSpec['nameConstraints']>): Asn1Node {
  const subtrees = (tag: number, names: readonly GeneralNameSpec[]): Asn1Node => ({
    ...explicit(tag, seq()),
    children: names.map((n) => seq(encodeGeneralName(n, true))),
  });
  const fields: Asn1Node[] = [];
  if (spec.permitted !== undefined && spec.permitted.length > 0) fields.push(subtrees(0, spec.permitted));
  if (spec.excluded !== undefined && spec.excluded.length > 0) fields.push(subtrees(1, spec.excluded));
  return seq(...fields);
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = raw(publicKey.export({ type: 'spki', format: 'der' }));
  const keyBits = readBits(spki.children[1]);
  if (keyBits === undefined) throw new TypeError('SubjectPublicKeyInfo without a key');
  return createHash('sha256').update(keyBits.value).digest().subarray(0, 20);
}

function ipOctets(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('.')) throw new TypeError(`unsupported IP address ${ip}`);
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(all.map((g) => g.padStart(4, '0')).join(''), 'hex');
}

function keyUsageBitString(usages: readonly KeyUsageBit[]): Asn1Node {
  const positions = usages.map((u) => keyUsageBits.indexOf(u));
  const highest = Math.max(...positions);
  const value = Buffer.alloc((highest >> 3) + 1);
  for (const p of positions) value[p >> 3] = (value[p >> 3] ?? 0) | (0x80 >> (p & 7));
  // X.690 §11.2.2: a named bit list drops trailing zero bits.
  return bits(value, 7 - (highest & 7));
}

function extension(extOid: string, critical: boolean, value: Asn1Node | Uint8Array): Asn1Node {
  const content = value instanceof Uint8Array ? value : encodeDer(value);
  // DER: critical DEFAULT FALSE is omitted when false (X.690 §11.5).
  return critical ? seq(oid(extOid), bool(true), octets(content)) : seq(oid(extOid), octets(content));
}

/** The AlgorithmIdentifier and node:crypto digest for signing with `key` (certificates and CRLs). */
export function signatureAlgorithmFor(
  key: KeyObject,
  hash: CertificateHash,
): { id: Asn1Node; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const oids = {
        sha1: SignatureOid.sha1WithRsa,
        sha256: SignatureOid.sha256WithRsa,
        sha384: SignatureOid.sha384WithRsa,
        sha512: SignatureOid.sha512WithRsa,
      };
      // RFC 4055 §5: PKCS#1 v1.5 algorithm identifiers carry an explicit NULL.
      return { id: seq(oid(oids[hash]), nul()), digest: hash };
    }
    case 'ec': {
      const oids = {
        sha1: SignatureOid.ecdsaWithSha1,
        sha256: SignatureOid.ecdsaWithSha256,
        sha384: SignatureOid.ecdsaWithSha384,
        sha512: SignatureOid.ecdsaWithSha512,
      };
      // RFC 5758 §3.2: ECDSA algorithm identifiers have absent parameters.
      return { id: seq(oid(oids[hash])), digest: hash };
    }
    case 'ed25519':
      // RFC 8410 §3: parameters absent.
      return { id: seq(oid(SignatureOid.ed25519)), digest: null };
    default:
      throw new TypeError(`cannot sign certificates with a ${key.asymmetricKeyType ?? 'unknown'} key`);
  }
}

/** Builds and signs the certificate; returns its DER. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const signingKey = 'selfSignedWith' in spec.issuer ? spec.issuer.selfSignedWith : spec.issuer.privateKey;
  const subjectName = encodeName(spec.subject);
  let issuerName: Asn1Node;
  let authorityKeyId: Buffer;
  if ('certificate' in spec.issuer) {
    const parsed = parseCertificate(spec.issuer.certificate);
    if (!parsed.ok) throw new TypeError(`issuer certificate: ${parsed.message}`);
    issuerName = raw(parsed.certificate.subject);
    authorityKeyId =
      parsed.certificate.subjectKeyId === undefined
        ? keyIdentifier(parsed.certificate.publicKey)
        : Buffer.from(parsed.certificate.subjectKeyId, 'hex');
  } else {
    issuerName = subjectName;
    authorityKeyId = keyIdentifier(spec.subjectKey);
  }

  const serial = Buffer.from(spec.serial ?? randomBytes(16));
  // RFC 5280 §4.1.2.2: positive and non-zero; clear the top bit so the magnitude needs no padding octet.
  if (spec.serial === undefined) serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const serialNode: Asn1Node =
    spec.serialContent === undefined
      ? uint(serial)
      : { ...uint(0), content: Buffer.from(spec.serialContent) };

  const exts: Asn1Node[] = [];
  if (spec.basicConstraints !== false) {
    const fields: Asn1Node[] = [];
    if (spec.ca !== undefined) {
      fields.push(bool(true));
      if (spec.ca.pathLen !== undefined) fields.push(uint(spec.ca.pathLen));
    }
    // RFC 5280 §4.2.1.9: MUST be critical in CA certificates; we mark it critical everywhere.
    exts.push(extension(ExtensionOid.basicConstraints, true, seq(...fields)));
  }
  // RFC 5280 §4.2.1.3: SHOULD be critical.
  if (spec.keyUsage.length > 0)
    exts.push(extension(ExtensionOid.keyUsage, true, keyUsageBitString(spec.keyUsage)));
  if (spec.extKeyUsage !== undefined && spec.extKeyUsage.length > 0) {
    exts.push(
      extension(ExtensionOid.extKeyUsage, false, seq(...spec.extKeyUsage.map((u) => oid(ExtKeyUsageOid[u])))),
    );
  }
  const names = spec.subjectAltNames;
  const san: GeneralNameSpec[] = [
    ...(names?.dns ?? []).map((dns) => ({ dns })),
    ...(names?.ip ?? []).map((ip) => ({ ip })),
    ...(names?.email ?? []).map((email) => ({ email })),
    ...(names?.uri ?? []).map((uri) => ({ uri })),
    ...(names?.dirName ?? []).map((dirName) => ({ dirName })),
    ...(names?.other ?? []),
  ];
  // RFC 5280 §4.2.1.6: critical when the subject is empty, otherwise SHOULD NOT be.
  const subjectEmpty = subjectName.children.length === 0;
  if (san.length > 0)
    exts.push(
      extension(
        ExtensionOid.subjectAltName,
        names?.critical ?? subjectEmpty,
        seq(...san.map((n) => encodeGeneralName(n))),
      ),
    );
  // RFC 5280 §4.2.1.10: MUST be critical.
  if (spec.nameConstraints !== undefined)
    exts.push(
      extension(
        ExtensionOid.nameConstraints,
        spec.nameConstraints.critical ?? true,
        encodeNameConstraints(spec.nameConstraints),
      ),
    );
  exts.push(extension(ExtensionOid.subjectKeyIdentifier, false, octets(keyIdentifier(spec.subjectKey))));
  exts.push(extension(ExtensionOid.authorityKeyIdentifier, false, seq(implicit(0, authorityKeyId))));
  const overrides = spec.extensionOverrides ?? {};
  const built = exts.flatMap((ext) => {
    const extOid = readOid(ext.children[0]) ?? '';
    const override = overrides[extOid];
    if (override === undefined) return [ext];
    if (override === 'omit') return [];
    const value = ext.children[ext.children.length - 1] as Asn1Node;
    return [extension(extOid, override, value.content)];
  });
  for (const extra of spec.extraExtensions ?? [])
    built.push(extension(extra.oid, extra.critical, extra.value));

  const algorithm = signatureAlgorithmFor(signingKey, spec.hash ?? 'sha256');
  const tbs = seq(
    explicit(0, uint(2)), // v3
    serialNode,
    algorithm.id,
    issuerName,
    seq(time(spec.notBefore), time(spec.notAfter)),
    subjectName,
    raw(spec.subjectKey.export({ type: 'spki', format: 'der' })),
    ...(built.length === 0 ? [] : [explicit(3, seq(...built))]),
  );
  const tbsDer = encodeDer(tbs);
  const signature = sign(algorithm.digest, tbsDer, { key: signingKey, dsaEncoding: 'der' });
  return encodeDer(seq(tbs, algorithm.id, bits(signature)));
}
