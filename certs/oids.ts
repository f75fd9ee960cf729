// certs/oids: the object identifiers and named bits the certificate room knows, in one table.
// Data only; what each one is allowed to mean is decided in certificate.ts and chain.ts.

/** RFC 5280 §4.2.1 extensions. */
export const ExtensionOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  issuerAltName: '2.5.29.18',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

/** RFC 5280 §5.2 CRL extensions and §5.3 CRL entry extensions. */
export const CrlExtensionOid = {
  authorityKeyIdentifier: '2.5.29.35',
  issuerAltName: '2.5.29.18',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

export const CrlEntryExtensionOid = {
  reasonCode: '2.5.29.21',
  holdInstructionCode: '2.5.29.23',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/**
 * CRL and CRL-entry extensions we may meet marked critical and still use the CRL (RFC 5280 §5.2: a CRL with an
 * unrecognised critical extension MUST NOT be used to determine revocation status). Delta CRLs (§5.2.4),
 * partitioned CRLs (issuingDistributionPoint, §5.2.5) and indirect CRLs (certificateIssuer, §5.3.3) are not
 * processed, so those critical extensions make the CRL unusable and the check fails closed.
 */
export const handledCrlExtensions: ReadonlySet<string> = new Set([
  CrlExtensionOid.authorityKeyIdentifier,
  CrlExtensionOid.issuerAltName,
  CrlExtensionOid.crlNumber,
  CrlExtensionOid.freshestCrl,
  CrlExtensionOid.authorityInfoAccess,
  CrlEntryExtensionOid.reasonCode,
  CrlEntryExtensionOid.holdInstructionCode,
  CrlEntryExtensionOid.invalidityDate,
]);

/**
 * Extensions this validator understands well enough to accept when marked critical (RFC 5280 §4.2: a
 * certificate with an unrecognised critical extension MUST be rejected). Name constraints are processed
 * (§6.1.3 (b)(c), name-constraints.ts), and so is policyConstraints as far as it matters without a policy
 * tree (an explicit policy requirement fails closed). Certificate policies, policy mappings and
 * inhibitAnyPolicy are deliberately absent: they are not processed, so a critical one is refused.
 */
export const handledExtensions: ReadonlySet<string> = new Set([
  ExtensionOid.subjectKeyIdentifier,
  ExtensionOid.keyUsage,
  ExtensionOid.subjectAltName,
  ExtensionOid.basicConstraints,
  ExtensionOid.crlDistributionPoints,
  ExtensionOid.authorityKeyIdentifier,
  ExtensionOid.extKeyUsage,
  ExtensionOid.authorityInfoAccess,
  ExtensionOid.nameConstraints,
  ExtensionOid.policyConstraints,
]);

/** RFC 5280 §4.2.1.3 KeyUsage named bits, in bit order. */
export const keyUsageBits = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageBit = (typeof keyUsageBits)[number];

/** RFC 5280 §4.2.1.12 key purposes. */
export const ExtKeyUsageOid = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  any: '2.5.29.37.0',
} as const;
export type ExtKeyUsageName = Exclude<keyof typeof ExtKeyUsageOid, 'any'>;

/** PKCS #9 emailAddress attribute (a legacy mailbox in a DN). */
export const EMAIL_ADDRESS_OID = '1.2.840.113549.1.9.1';

/** X.520 attribute types used in names. */
export const AttributeOid = {
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
} as const;

export const SignatureOid = {
  md5WithRsa: '1.2.840.113549.1.1.4',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

export const HashOid = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;
