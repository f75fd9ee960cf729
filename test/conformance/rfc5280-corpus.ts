// test/conformance/rfc5280-corpus: an RFC 5280 path-validation conformance corpus, made at run time with the
// project's certificate and CRL builders (real EC P-256 keys and signatures). Each case is one path to validate
// at one instant, the RFC's verdict on it and the section that decides it, and — when the RFC says invalid —
// the reason codes xborder must give. Used by test/unit/certs/rfc5280-conformance.test.ts, which also runs every
// case through `openssl verify -x509_strict` and prints the two verdicts side by side. Not a test file itself.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  buildCertificate,
  type CertificateSpec,
  type GeneralNameSpec,
  type NameSpec,
} from '../../certs/certificate-builder.js';
import { buildCrl } from '../../certs/crl-builder.js';
import type { ChainReasonCode } from '../../certs/chain-reason.js';
import { encodeDer } from '../../certs/forge.js';
import { ia5, implicit, oid, seq } from '../../certs/der.js';
import { ExtensionOid } from '../../certs/oids.js';

/** The validation instant of every case (fixed: the corpus must judge the same at any hour or date). */
export const AT = new Date('2025-06-01T00:00:00Z');
const day = 86_400_000;

export interface ConformanceCase {
  readonly id: string;
  /** The RFC 5280 section whose rule decides the case. */
  readonly rfc: string;
  readonly title: string;
  /** The RFC's verdict on the path. */
  readonly expected: 'valid' | 'invalid';
  /** When invalid: exactly the reason codes xborder gives. */
  readonly codes?: readonly ChainReasonCode[];
  /** When the RFC says valid but xborder refuses on purpose: why (and its codes above). */
  readonly stricter?: string;
  /** A known, understood difference of `openssl verify -x509_strict` from the RFC's verdict. */
  readonly opensslNote?: string;
  readonly leaf: Buffer;
  readonly intermediates: readonly Buffer[];
  readonly anchors: readonly Buffer[];
  /** DER CRLs, given to xborder as trust-dir CRLs and to openssl with -crl_check. */
  readonly crls?: readonly Buffer[];
  readonly at: Date;
}

interface Key {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}
interface Cert {
  readonly der: Buffer;
  readonly key: Key;
}

const p256 = (): Key => generateKeyPairSync('ec', { namedCurve: 'P-256' });

type Options = Partial<Omit<CertificateSpec, 'subject' | 'subjectKey' | 'issuer'>>;

function make(subject: NameSpec, key: Key, issuer: Cert | undefined, o: Options = {}): Cert {
  const isCa = o.ca !== undefined;
  const der = buildCertificate({
    subject,
    subjectKey: key.publicKey,
    issuer:
      issuer === undefined
        ? { selfSignedWith: key.privateKey }
        : { certificate: issuer.der, privateKey: issuer.key.privateKey },
    notBefore: new Date(AT.getTime() - day),
    notAfter: new Date(AT.getTime() + 365 * day),
    keyUsage: isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature'],
    ...o,
  });
  return { der, key };
}

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
/** RFC 5280 §4.2.2.1: caIssuers pointing at an HTTP URI. */
const aiaValue = encodeDer(
  seq(seq(oid('1.3.6.1.5.5.7.48.2'), implicit(6, ia5('http://ca.example.com/ca.crt').content))),
);

/** Builds the whole corpus: a handful of P-256 keys, reused across cases, and a few dozen certificates. */
export function buildCorpus(): ConformanceCase[] {
  const keys = { root: p256(), ca: p256(), sub: p256(), leaf: p256(), other: p256(), next: p256() };
  const org = { c: 'CN', o: 'xborder corpus' };
  const root = make({ ...org, cn: 'Corpus Root' }, keys.root, undefined, { ca: {} });
  const ca = make({ ...org, cn: 'Corpus Issuing CA' }, keys.ca, root, { ca: {} });
  const leafName = { ...org, cn: 'partner-a' };
  const leafUnder = (issuer: Cert, o: Options = {}, subject: NameSpec = leafName): Buffer =>
    make(subject, keys.leaf, issuer, o).der;
  /** An intermediate under the root with these options (e.g. name constraints), and its leaf. */
  const caWith = (o: Options, subject: NameSpec = { ...org, cn: 'Corpus Constrained CA' }): Cert =>
    make(subject, keys.sub, root, { ca: {}, ...o });

  const cases: ConformanceCase[] = [];
  const add = (
    c: Omit<ConformanceCase, 'intermediates' | 'anchors' | 'at'> &
      Partial<Pick<ConformanceCase, 'intermediates' | 'anchors' | 'at'>>,
  ): void => {
    cases.push({ intermediates: [ca.der], anchors: [root.der], at: AT, ...c });
  };
  const underCa = (issuer: Cert, leaf: Buffer) => ({ leaf, intermediates: [issuer.der] });

  // ---- §4.1.2.2 serial number ----
  add({
    id: 'serial-positive',
    rfc: '§4.1.2.2',
    title: 'baseline path, positive serials throughout',
    expected: 'valid',
    leaf: leafUnder(ca, { subjectAltNames: { dns: ['partner-a.example.com'] } }),
  });
  add({
    id: 'serial-zero',
    rfc: '§4.1.2.2',
    title: 'leaf serial number 0',
    expected: 'invalid',
    codes: ['CHAIN-SERIAL'],
    opensslNote: 'OpenSSL 3.0 -x509_strict does not check the sign of serial numbers',
    leaf: leafUnder(ca, { serialContent: hex('00') }),
  });
  add({
    id: 'serial-negative',
    rfc: '§4.1.2.2',
    title: 'leaf serial number -1',
    expected: 'invalid',
    codes: ['CHAIN-SERIAL'],
    opensslNote: 'OpenSSL 3.0 -x509_strict does not check the sign of serial numbers',
    leaf: leafUnder(ca, { serialContent: hex('ff') }),
  });

  // ---- §4.1.2.6 subject ----
  add({
    id: 'subject-empty-leaf',
    rfc: '§4.1.2.6',
    title: 'end entity with an empty subject and a critical SAN',
    expected: 'valid',
    leaf: leafUnder(ca, { subjectAltNames: { dns: ['partner-a.example.com'] } }, {}),
  });
  {
    const emptyCa = make({}, keys.sub, root, { ca: {}, subjectAltNames: { dns: ['ca.example.com'] } });
    add({
      id: 'subject-empty-ca',
      rfc: '§4.1.2.6',
      title: 'CA with an empty subject (critical SAN beside it)',
      expected: 'invalid',
      codes: ['CHAIN-CA-SUBJECT-EMPTY'],
      ...underCa(emptyCa, leafUnder(emptyCa)),
    });
  }

  // ---- §4.2.1.1 authority key identifier ----
  {
    const bareRoot = make({ ...org, cn: 'Corpus Root Without AKI' }, keys.root, undefined, {
      ca: {},
      extensionOverrides: { [ExtensionOid.authorityKeyIdentifier]: 'omit' },
    });
    const caOfBare = make({ ...org, cn: 'Corpus Issuing CA 2' }, keys.ca, bareRoot, { ca: {} });
    add({
      id: 'aki-absent-self-signed-root',
      rfc: '§4.2.1.1',
      title: 'self-signed root without authorityKeyIdentifier',
      expected: 'valid',
      leaf: leafUnder(caOfBare),
      intermediates: [caOfBare.der],
      anchors: [bareRoot.der],
    });
  }
  {
    const noAki = make({ ...org, cn: 'Corpus CA Without AKI' }, keys.sub, root, {
      ca: {},
      extensionOverrides: { [ExtensionOid.authorityKeyIdentifier]: 'omit' },
    });
    add({
      id: 'aki-absent-intermediate',
      rfc: '§4.2.1.1',
      title: 'intermediate without authorityKeyIdentifier',
      expected: 'invalid',
      codes: ['CHAIN-AKI'],
      ...underCa(noAki, leafUnder(noAki)),
    });
  }
  add({
    id: 'aki-without-keyid',
    rfc: '§4.2.1.1',
    title: 'leaf authorityKeyIdentifier without the keyIdentifier field',
    expected: 'invalid',
    codes: ['CHAIN-AKI'],
    leaf: leafUnder(ca, {
      extensionOverrides: { [ExtensionOid.authorityKeyIdentifier]: 'omit' },
      extraExtensions: [{ oid: ExtensionOid.authorityKeyIdentifier, critical: false, value: hex('3000') }],
    }),
  });
  add({
    id: 'aki-critical',
    rfc: '§4.2.1.1',
    title: 'leaf authorityKeyIdentifier marked critical',
    expected: 'invalid',
    codes: ['CHAIN-AKI'],
    leaf: leafUnder(ca, { extensionOverrides: { [ExtensionOid.authorityKeyIdentifier]: true } }),
  });

  // ---- §4.2.1.2 subject key identifier ----
  add({
    id: 'ski-absent-leaf',
    rfc: '§4.2.1.2',
    title: 'end entity without subjectKeyIdentifier (SHOULD, not MUST)',
    expected: 'valid',
    leaf: leafUnder(ca, { extensionOverrides: { [ExtensionOid.subjectKeyIdentifier]: 'omit' } }),
  });
  {
    const noSki = make({ ...org, cn: 'Corpus CA Without SKI' }, keys.sub, root, {
      ca: {},
      extensionOverrides: { [ExtensionOid.subjectKeyIdentifier]: 'omit' },
    });
    add({
      id: 'ski-absent-ca',
      rfc: '§4.2.1.2',
      title: 'intermediate CA without subjectKeyIdentifier',
      expected: 'invalid',
      codes: ['CHAIN-SKI-MISSING'],
      ...underCa(noSki, leafUnder(noSki)),
    });
  }

  // ---- §4.2.1.6 subject alternative name ----
  add({
    id: 'san-well-formed',
    rfc: '§4.2.1.6',
    title: 'leaf SAN with dNSName, iPAddress, rfc822Name and URI',
    expected: 'valid',
    leaf: leafUnder(ca, {
      subjectAltNames: {
        dns: ['partner-a.example.com'],
        ip: ['192.0.2.1'],
        email: ['ops@example.com'],
        uri: ['https://partner-a.example.com/'],
      },
    }),
  });
  add({
    id: 'san-empty-subject-not-critical',
    rfc: '§4.2.1.6',
    title: 'empty subject with a non-critical SAN',
    expected: 'invalid',
    codes: ['CHAIN-SAN'],
    leaf: leafUnder(ca, { subjectAltNames: { dns: ['partner-a.example.com'], critical: false } }, {}),
  });
  add({
    id: 'san-not-der',
    rfc: '§4.2.1.6',
    title: 'SAN whose value is not DER (length overruns the content)',
    expected: 'invalid',
    codes: ['CHAIN-SAN'],
    leaf: leafUnder(ca, {
      extraExtensions: [{ oid: ExtensionOid.subjectAltName, critical: false, value: hex('3005 8203 6162') }],
    }),
  });
  add({
    id: 'san-empty-sequence',
    rfc: '§4.2.1.6',
    title: 'SAN that is an empty SEQUENCE (GeneralNames is SIZE (1..MAX))',
    expected: 'invalid',
    codes: ['CHAIN-SAN'],
    leaf: leafUnder(ca, {
      extraExtensions: [{ oid: ExtensionOid.subjectAltName, critical: false, value: hex('3000') }],
    }),
  });

  // ---- §4.2.1.9 basic constraints ----
  add({
    id: 'bc-absent-leaf',
    rfc: '§4.2.1.9',
    title: 'end entity without basicConstraints',
    expected: 'valid',
    leaf: leafUnder(ca, { basicConstraints: false }),
  });
  {
    const softCa = make({ ...org, cn: 'Corpus CA Non-critical BC' }, keys.sub, root, {
      ca: {},
      extensionOverrides: { [ExtensionOid.basicConstraints]: false },
    });
    add({
      id: 'bc-not-critical-ca',
      rfc: '§4.2.1.9',
      title: 'intermediate CA with non-critical basicConstraints',
      expected: 'invalid',
      codes: ['CHAIN-BC-NOT-CRITICAL'],
      ...underCa(softCa, leafUnder(softCa)),
    });
  }
  add({
    id: 'keycertsign-not-ca',
    rfc: '§4.2.1.9',
    title: 'leaf asserting keyCertSign with cA=FALSE',
    expected: 'invalid',
    codes: ['CHAIN-KEYCERTSIGN-NOT-CA'],
    leaf: leafUnder(ca, { keyUsage: ['digitalSignature', 'keyCertSign'] }),
  });

  // ---- §4.2.1.10 name constraints: the extension itself ----
  const permitExample = { nameConstraints: { permitted: [{ dns: 'example.com' }] } };
  {
    const nc = caWith(permitExample);
    add({
      id: 'nc-critical-ca',
      rfc: '§4.2.1.10',
      title: 'critical nameConstraints in a CA, leaf name inside',
      expected: 'valid',
      ...underCa(nc, leafUnder(nc, { subjectAltNames: { dns: ['partner-a.example.com'] } })),
    });
    const soft = caWith({ nameConstraints: { ...permitExample.nameConstraints, critical: false } });
    add({
      id: 'nc-not-critical',
      rfc: '§4.2.1.10',
      title: 'non-critical nameConstraints, leaf name inside',
      expected: 'invalid',
      codes: ['CHAIN-NC-NOT-CRITICAL'],
      opensslNote: 'OpenSSL does not require nameConstraints to be critical',
      ...underCa(soft, leafUnder(soft, { subjectAltNames: { dns: ['partner-a.example.com'] } })),
    });
    add({
      id: 'nc-not-critical-still-enforced',
      rfc: '§4.2.1.10',
      title: 'non-critical nameConstraints, leaf name outside: refused and enforced',
      expected: 'invalid',
      codes: ['CHAIN-NC-NOT-CRITICAL', 'CHAIN-NAME-NOT-PERMITTED'],
      ...underCa(soft, leafUnder(soft, { subjectAltNames: { dns: ['partner-a.example.net'] } })),
    });
    add({
      id: 'nc-in-leaf',
      rfc: '§4.2.1.10',
      title: 'nameConstraints in an end-entity certificate',
      expected: 'invalid',
      codes: ['CHAIN-NC-NOT-CA'],
      opensslNote: 'OpenSSL does not refuse nameConstraints in an end entity',
      leaf: leafUnder(ca, permitExample),
    });
  }

  // ---- §4.2.1.10 / §6.1.3 (b)(c): each form, permitted and excluded ----
  const formCase = (
    id: string,
    title: string,
    constraints: { permitted?: GeneralNameSpec[]; excluded?: GeneralNameSpec[] },
    leaf: Options,
    verdict: 'valid' | ChainReasonCode,
    subject: NameSpec = leafName,
    opensslNote?: string,
  ): void => {
    const nc = caWith({ nameConstraints: constraints });
    add({
      id,
      rfc: verdict === 'CHAIN-NAME-EXCLUDED' ? '§4.2.1.10, §6.1.3 (c)' : '§4.2.1.10, §6.1.3 (b)',
      title,
      expected: verdict === 'valid' ? 'valid' : 'invalid',
      ...(verdict === 'valid' ? {} : { codes: [verdict] }),
      ...(opensslNote === undefined ? {} : { opensslNote }),
      ...underCa(nc, leafUnder(nc, leaf, subject)),
    });
  };
  const dns = (...names: string[]): Options => ({ subjectAltNames: { dns: names } });
  const email = (...names: string[]): Options => ({ subjectAltNames: { email: names } });
  const ip = (...names: string[]): Options => ({ subjectAltNames: { ip: names } });
  const uri = (...names: string[]): Options => ({ subjectAltNames: { uri: names } });

  // dNSName
  formCase(
    'dns-permitted-in',
    'dNSName inside permitted example.com',
    { permitted: [{ dns: 'example.com' }] },
    dns('a.b.example.com'),
    'valid',
  );
  formCase(
    'dns-permitted-out',
    'dNSName outside permitted example.com',
    { permitted: [{ dns: 'example.com' }] },
    dns('example.com.evil.org'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'dns-permitted-label-boundary',
    'dNSName badexample.com is not within example.com',
    { permitted: [{ dns: 'example.com' }] },
    dns('badexample.com'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'dns-excluded-in',
    'dNSName inside excluded bad.example.com',
    { excluded: [{ dns: 'bad.example.com' }] },
    dns('x.bad.example.com'),
    'CHAIN-NAME-EXCLUDED',
  );
  formCase(
    'dns-excluded-out',
    'dNSName outside excluded bad.example.com',
    { excluded: [{ dns: 'bad.example.com' }] },
    dns('good.example.com'),
    'valid',
  );
  formCase(
    'dns-excluded-wins',
    'dNSName inside both permitted and excluded: excluded wins',
    { permitted: [{ dns: 'example.com' }], excluded: [{ dns: 'bad.example.com' }] },
    dns('BAD.Example.com'),
    'CHAIN-NAME-EXCLUDED',
  );
  // rfc822Name
  formCase(
    'email-permitted-host',
    'rfc822Name at the permitted host',
    { permitted: [{ email: 'example.com' }] },
    email('ops@example.com'),
    'valid',
  );
  formCase(
    'email-permitted-out',
    'rfc822Name at another host',
    { permitted: [{ email: 'example.com' }] },
    email('ops@example.org'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'email-permitted-mailbox',
    'rfc822Name constraint naming one mailbox, another mailbox there',
    { permitted: [{ email: 'ops@example.com' }] },
    email('dev@example.com'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'email-excluded-subdomain',
    'rfc822Name in a subdomain of excluded .example.com',
    { excluded: [{ email: '.example.com' }] },
    email('ops@mail.example.com'),
    'CHAIN-NAME-EXCLUDED',
  );
  formCase(
    'email-excluded-out',
    'rfc822Name at the host itself is outside excluded .example.com',
    { excluded: [{ email: '.example.com' }] },
    email('ops@example.com'),
    'valid',
  );
  formCase(
    'email-subject-dn',
    'emailAddress in the subject DN is constrained as an rfc822Name',
    { permitted: [{ email: 'example.com' }] },
    {},
    'CHAIN-NAME-NOT-PERMITTED',
    { ...leafName, email: 'ops@example.org' },
  );
  formCase(
    'email-subject-dn-in',
    'emailAddress in the subject DN inside permitted',
    { permitted: [{ email: 'example.com' }] },
    {},
    'valid',
    { ...leafName, email: 'ops@example.com' },
  );
  // directoryName
  const partnerOrg = { c: 'CN', o: 'Partner Org' };
  formCase(
    'dn-permitted-in',
    'subject DN below permitted C=CN, O=Partner Org',
    { permitted: [{ dirName: partnerOrg }] },
    {},
    'valid',
    { ...partnerOrg, cn: 'partner-a' },
  );
  formCase(
    'dn-permitted-out',
    'subject DN outside permitted C=CN, O=Partner Org',
    { permitted: [{ dirName: partnerOrg }] },
    {},
    'CHAIN-NAME-NOT-PERMITTED',
    { c: 'CN', o: 'Other Org', cn: 'partner-a' },
  );
  formCase(
    'dn-permitted-san-out',
    'SAN directoryName outside permitted, subject inside',
    { permitted: [{ dirName: partnerOrg }] },
    { subjectAltNames: { dirName: [{ c: 'CN', o: 'Other Org' }] } },
    'CHAIN-NAME-NOT-PERMITTED',
    { ...partnerOrg, cn: 'partner-a' },
  );
  formCase(
    'dn-excluded-in',
    'subject DN below excluded C=CN, O=Partner Org, OU=Blocked',
    { excluded: [{ dirName: { ...partnerOrg, ou: 'Blocked' } }] },
    {},
    'CHAIN-NAME-EXCLUDED',
    { ...partnerOrg, ou: 'Blocked', cn: 'partner-a' },
  );
  formCase(
    'dn-excluded-out',
    'subject DN beside excluded OU=Blocked',
    { excluded: [{ dirName: { ...partnerOrg, ou: 'Blocked' } }] },
    {},
    'valid',
    { ...partnerOrg, ou: 'Allowed', cn: 'partner-a' },
  );
  formCase(
    'dn-case-insensitive',
    'subject DN matches permitted O=Partner Org in another case and spacing',
    { permitted: [{ dirName: partnerOrg }] },
    {},
    'valid',
    { c: 'CN', o: '  partner   ORG ', cn: 'partner-a' },
  );
  // iPAddress
  formCase(
    'ip-permitted-in',
    'IPv4 address inside permitted 10.0.0.0/8',
    { permitted: [{ ip: '10.0.0.0/8' }] },
    ip('10.1.2.3'),
    'valid',
  );
  formCase(
    'ip-permitted-out',
    'IPv4 address outside permitted 10.0.0.0/8',
    { permitted: [{ ip: '10.0.0.0/8' }] },
    ip('192.168.1.1'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'ip-excluded-in',
    'IPv4 address inside excluded 10.9.0.0/16',
    { excluded: [{ ip: '10.9.0.0/16' }] },
    ip('10.9.1.1'),
    'CHAIN-NAME-EXCLUDED',
  );
  formCase(
    'ip-excluded-out',
    'IPv4 address outside excluded 10.9.0.0/16',
    { excluded: [{ ip: '10.9.0.0/16' }] },
    ip('10.8.1.1'),
    'valid',
  );
  formCase(
    'ipv6-permitted-in',
    'IPv6 address inside permitted 2001:db8::/32',
    { permitted: [{ ip: '2001:db8::/32' }] },
    ip('2001:db8::1'),
    'valid',
  );
  formCase(
    'ipv6-only-ipv4-name',
    'IPv4 address under an IPv6-only permitted subtree',
    { permitted: [{ ip: '2001:db8::/32' }] },
    ip('10.1.2.3'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  // URI
  formCase(
    'uri-permitted-in',
    'URI host in permitted .example.com',
    { permitted: [{ uri: '.example.com' }] },
    uri('https://api.example.com/v1'),
    'valid',
  );
  formCase(
    'uri-permitted-out',
    'URI host outside permitted .example.com',
    { permitted: [{ uri: '.example.com' }] },
    uri('https://api.example.org/v1'),
    'CHAIN-NAME-NOT-PERMITTED',
  );
  formCase(
    'uri-excluded-in',
    'URI host equal to excluded bad.example.com',
    { excluded: [{ uri: 'bad.example.com' }] },
    uri('https://bad.example.com:8443/x'),
    'CHAIN-NAME-EXCLUDED',
  );
  formCase(
    'uri-excluded-out',
    'URI host beside excluded bad.example.com',
    { excluded: [{ uri: 'bad.example.com' }] },
    uri('https://good.example.com/'),
    'valid',
  );
  formCase(
    'uri-no-host',
    'URI without an authority under a URI constraint fails closed',
    { permitted: [{ uri: '.example.com' }] },
    uri('urn:example:partner-a'),
    'CHAIN-NAME-UNSUPPORTED',
  );
  // Constraints of one form leave other forms alone.
  formCase(
    'other-form-unconstrained',
    'IP address under dNSName-only constraints',
    { permitted: [{ dns: 'example.com' }] },
    ip('192.0.2.7'),
    'valid',
  );
  // A form xborder cannot evaluate fails closed for names of that form only.
  formCase(
    'unsupported-form-name',
    'registeredID name under a registeredID constraint',
    { permitted: [{ dns: 'example.com' }, { rid: '1.3.6.1.4.1.55555.1' }] },
    { subjectAltNames: { other: [{ rid: '1.3.6.1.4.1.55555.1' }], dns: ['a.example.com'] } },
    'CHAIN-NAME-UNSUPPORTED',
  );
  formCase(
    'unsupported-form-other-names',
    'registeredID constraint, leaf has only dNSName names',
    { permitted: [{ dns: 'example.com' }, { rid: '1.3.6.1.4.1.55555.1' }] },
    dns('a.example.com'),
    'valid',
  );

  // ---- nested intermediates: intersection of permitted, union of excluded (§6.1.4 (g)) ----
  {
    const outer = caWith(
      { nameConstraints: { permitted: [{ dns: 'example.com' }], excluded: [{ dns: 'bad.example.com' }] } },
      { ...org, cn: 'Corpus Outer CA' },
    );
    const inner = make({ ...org, cn: 'Corpus Inner CA' }, keys.other, outer, {
      ca: {},
      nameConstraints: { permitted: [{ dns: 'a.example.com' }] },
    });
    const plain = make({ ...org, cn: 'Corpus Plain Inner CA' }, keys.other, outer, { ca: {} });
    const nested = (leaf: Buffer, via: Cert = inner) => ({ leaf, intermediates: [via.der, outer.der] });
    add({
      id: 'nested-both-permit',
      rfc: '§6.1.4 (g)',
      title: 'leaf inside both nested permitted subtrees',
      expected: 'valid',
      ...nested(leafUnder(inner, dns('x.a.example.com'))),
    });
    add({
      id: 'nested-outer-only',
      rfc: '§6.1.4 (g)',
      title: 'leaf inside the outer permitted subtree only (intersection)',
      expected: 'invalid',
      codes: ['CHAIN-NAME-NOT-PERMITTED'],
      ...nested(leafUnder(inner, dns('x.b.example.com'))),
    });
    add({
      id: 'nested-excluded-inherited',
      rfc: '§6.1.4 (g)',
      title: "outer CA's excluded subtree applies two levels down",
      expected: 'invalid',
      codes: ['CHAIN-NAME-EXCLUDED'],
      ...nested(leafUnder(plain, dns('x.bad.example.com')), plain),
    });
    const disjoint = make({ ...org, cn: 'Corpus Disjoint Inner CA' }, keys.other, outer, {
      ca: {},
      nameConstraints: { permitted: [{ dns: 'example.org' }] },
    });
    add({
      id: 'nested-disjoint',
      rfc: '§6.1.4 (g)',
      title: 'disjoint nested permitted subtrees admit no dNSName',
      expected: 'invalid',
      codes: ['CHAIN-NAME-NOT-PERMITTED'],
      ...nested(leafUnder(disjoint, dns('a.example.org')), disjoint),
    });
    const bad = make({ ...org, cn: 'Corpus Inner CA' }, keys.other, outer, {
      ca: {},
      subjectAltNames: { dns: ['ca.example.net'] },
    });
    add({
      id: 'nested-intermediate-name',
      rfc: '§6.1.3 (b)',
      title: "an intermediate's own SAN outside its issuer's permitted subtree",
      expected: 'invalid',
      codes: ['CHAIN-NAME-NOT-PERMITTED'],
      ...nested(leafUnder(bad, dns('x.a.example.com')), bad),
    });
  }
  {
    // §6.1.3 (b): a self-issued intermediate (key rollover) is not checked against the constraints above it.
    const constrained = caWith({
      nameConstraints: { permitted: [{ dirName: { c: 'CN', o: 'Partner Org' } }] },
    });
    const rollover = make({ ...org, cn: 'Corpus Constrained CA' }, keys.next, constrained, { ca: {} });
    const leaf = make({ c: 'CN', o: 'Partner Org', cn: 'partner-a' }, keys.leaf, rollover).der;
    add({
      id: 'self-issued-exempt',
      rfc: '§6.1.3 (b)',
      title: 'self-issued rollover CA outside the DN constraints above it; leaf inside',
      expected: 'valid',
      leaf,
      intermediates: [rollover.der, constrained.der],
    });
    const leafOut = make({ c: 'CN', o: 'Other Org', cn: 'partner-a' }, keys.leaf, rollover).der;
    add({
      id: 'self-issued-leaf-checked',
      rfc: '§6.1.3 (b)',
      title: 'below a self-issued rollover CA the leaf is still checked',
      expected: 'invalid',
      codes: ['CHAIN-NAME-NOT-PERMITTED'],
      leaf: leafOut,
      intermediates: [rollover.der, constrained.der],
    });
  }

  // ---- cross-signed paths: the constraints of the path actually taken ----
  {
    const rootB = make({ ...org, cn: 'Corpus Root B' }, keys.other, undefined, { ca: {} });
    const bridgeName = { ...org, cn: 'Corpus Bridge CA' };
    const bridgeByA = make(bridgeName, keys.sub, root, { ca: {} });
    const bridgeByB = make(bridgeName, keys.sub, rootB, {
      ca: {},
      nameConstraints: { permitted: [{ dns: 'example.com' }] },
    });
    const outside = leafUnder(bridgeByA, dns('partner-a.example.net'));
    const inside = leafUnder(bridgeByA, dns('partner-a.example.com'));
    add({
      id: 'cross-constrained-only',
      rfc: '§6.1.3 (b)',
      title: 'cross-signed CA: only the constrained cross-certificate reaches the anchor; leaf outside',
      expected: 'invalid',
      codes: ['CHAIN-NAME-NOT-PERMITTED'],
      leaf: outside,
      intermediates: [bridgeByA.der, bridgeByB.der],
      anchors: [rootB.der],
    });
    add({
      id: 'cross-constrained-inside',
      rfc: '§6.1.3 (b)',
      title: 'cross-signed CA: constrained cross-certificate, leaf inside',
      expected: 'valid',
      opensslNote:
        'OpenSSL takes the first same-named issuer among the untrusted certificates (the one from a root it does not trust) and does not backtrack',
      leaf: inside,
      intermediates: [bridgeByA.der, bridgeByB.der],
      anchors: [rootB.der],
    });
    add({
      id: 'cross-constrained-inside-reordered',
      rfc: '§6.1.3 (b)',
      title: 'the same, the constrained cross-certificate sent first',
      expected: 'valid',
      leaf: inside,
      intermediates: [bridgeByB.der, bridgeByA.der],
      anchors: [rootB.der],
    });
    add({
      id: 'cross-unconstrained-path',
      rfc: '§6.1',
      title: 'cross-signed CA: an unconstrained path to another anchor exists; leaf outside',
      expected: 'valid',
      opensslNote:
        'OpenSSL builds one path and may take the constrained cross-certificate first; xborder tries each path',
      leaf: outside,
      intermediates: [bridgeByB.der, bridgeByA.der],
      anchors: [rootB.der, root.der],
    });
  }

  // ---- §4.2.1.11 policy constraints ----
  {
    const inhibitMapping = hex('3003 8101 00'); // inhibitPolicyMapping 0
    const requireExplicit = hex('3003 8001 00'); // requireExplicitPolicy 0
    const pcCa = (critical: boolean, value: Buffer) =>
      caWith({ extraExtensions: [{ oid: ExtensionOid.policyConstraints, critical, value }] });
    const fine = pcCa(true, inhibitMapping);
    add({
      id: 'pc-critical',
      rfc: '§4.2.1.11',
      title: 'critical policyConstraints (inhibitPolicyMapping 0)',
      expected: 'valid',
      ...underCa(fine, leafUnder(fine)),
    });
    const soft = pcCa(false, inhibitMapping);
    add({
      id: 'pc-not-critical',
      rfc: '§4.2.1.11',
      title: 'non-critical policyConstraints',
      expected: 'invalid',
      codes: ['CHAIN-PC-NOT-CRITICAL'],
      opensslNote: 'OpenSSL does not require policyConstraints to be critical',
      ...underCa(soft, leafUnder(soft)),
    });
    const explicit = pcCa(true, requireExplicit);
    add({
      id: 'pc-require-explicit-no-policy',
      rfc: '§4.2.1.11, §6.1.5 (g)',
      title: 'requireExplicitPolicy 0 and no certificate policies anywhere',
      expected: 'invalid',
      codes: ['CHAIN-EXPLICIT-POLICY'],
      opensslNote: 'OpenSSL processes policies only when asked (-policy_check, -explicit_policy)',
      ...underCa(explicit, leafUnder(explicit)),
    });
  }

  // ---- stricter than the RFC on purpose ----
  add({
    id: 'policies-critical',
    rfc: '§4.2.1.4',
    title: 'leaf with critical certificatePolicies (anyPolicy)',
    expected: 'valid',
    codes: ['CHAIN-CRITICAL-EXT'],
    stricter:
      'certificate policies are not processed (no policy tree is built), so a critical certificatePolicies is refused as an unprocessed critical extension (§4.2)',
    leaf: leafUnder(ca, {
      extraExtensions: [
        { oid: ExtensionOid.certificatePolicies, critical: true, value: hex('3008 3006 0604 551d2000') },
      ],
    }),
  });

  // ---- §4.2.2.1 authority information access ----
  add({
    id: 'aia-not-critical',
    rfc: '§4.2.2.1',
    title: 'leaf with a non-critical authorityInfoAccess',
    expected: 'valid',
    leaf: leafUnder(ca, {
      extraExtensions: [{ oid: ExtensionOid.authorityInfoAccess, critical: false, value: aiaValue }],
    }),
  });
  add({
    id: 'aia-critical',
    rfc: '§4.2.2.1',
    title: 'leaf with a critical authorityInfoAccess',
    expected: 'invalid',
    codes: ['CHAIN-AIA-CRITICAL'],
    opensslNote: 'OpenSSL does not require authorityInfoAccess to be non-critical',
    leaf: leafUnder(ca, {
      extraExtensions: [{ oid: ExtensionOid.authorityInfoAccess, critical: true, value: aiaValue }],
    }),
  });

  // ---- §5.2.3 CRL number ----
  {
    const crl = (o: { crlNumber?: number | null; crlNumberCritical?: boolean }): Buffer =>
      buildCrl({
        issuer: { certificate: ca.der, privateKey: keys.ca.privateKey },
        thisUpdate: new Date(AT.getTime() - day),
        nextUpdate: new Date(AT.getTime() + 7 * day),
        revoked: [],
        ...o,
      });
    const rootCrl = buildCrl({
      issuer: { certificate: root.der, privateKey: keys.root.privateKey },
      thisUpdate: new Date(AT.getTime() - day),
      nextUpdate: new Date(AT.getTime() + 7 * day),
      revoked: [],
    });
    const leaf = leafUnder(ca);
    add({
      id: 'crl-number-present',
      rfc: '§5.2.3',
      title: 'CRLs with a non-critical cRLNumber, nothing revoked',
      expected: 'valid',
      leaf,
      crls: [crl({ crlNumber: 7 }), rootCrl],
    });
    add({
      id: 'crl-number-absent',
      rfc: '§5.2.3',
      title: "the issuing CA's CRL has no cRLNumber",
      expected: 'invalid',
      codes: ['CHAIN-CRL-NUMBER'],
      opensslNote: 'OpenSSL uses a CRL without cRLNumber',
      leaf,
      crls: [crl({ crlNumber: null }), rootCrl],
    });
    add({
      id: 'crl-number-critical',
      rfc: '§5.2.3',
      title: "the issuing CA's CRL marks cRLNumber critical",
      expected: 'invalid',
      codes: ['CHAIN-CRL-NUMBER'],
      opensslNote: 'OpenSSL uses a CRL whose cRLNumber is critical',
      leaf,
      crls: [crl({ crlNumber: 8, crlNumberCritical: true }), rootCrl],
    });
  }
  return cases;
}
