// certs/general-name: read the names a certificate carries — distinguished names (RFC 5280 §4.1.2.4) and
// GeneralName (§4.2.1.6) — into plain values that name-constraint matching (§4.2.1.10, §7) can compare.
// Pure; readers return undefined for anything malformed and never throw.
import { encodeDer, type Asn1Node } from './forge.js';
import { Tag, isSequence, isUniversal, readOid, readText } from './der.js';
import { AttributeOid, EMAIL_ADDRESS_OID } from './oids.js';

/** One attribute of a relative distinguished name. */
export interface NameAttribute {
  readonly type: string;
  /**
   * What two values are compared by (RFC 5280 §7.1, a simplified RFC 4518 string preparation): text values are
   * trimmed, inner white space collapsed and case-folded, whatever string type carried them; other values are
   * compared by their DER.
   */
  readonly key: string;
  /** The value as text, for messages; undefined when it is not a string. */
  readonly text: string | undefined;
}

/** RDNSequence: a list of RDNs, each a set of attributes (order within an RDN does not matter). */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

/** RFC 5280 §4.2.1.6 GeneralName, by CHOICE tag. The five forms name constraints support carry their value. */
export type GeneralName =
  | { readonly form: 'rfc822Name'; readonly value: string }
  | { readonly form: 'dNSName'; readonly value: string }
  | { readonly form: 'uniformResourceIdentifier'; readonly value: string }
  /** 4 or 16 octets in a name; address then mask (8 or 32 octets) in a constraint (§4.2.1.10). */
  | { readonly form: 'iPAddress'; readonly value: Buffer }
  | { readonly form: 'directoryName'; readonly value: DistinguishedName }
  | { readonly form: UnsupportedNameForm; readonly value: Buffer };

export type UnsupportedNameForm = 'otherName' | 'x400Address' | 'ediPartyName' | 'registeredID';
export type NameForm = GeneralName['form'];

/** GeneralName CHOICE tags [0]..[8] (RFC 5280 Appendix A.2). */
export const generalNameForms = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'uniformResourceIdentifier',
  'iPAddress',
  'registeredID',
] as const satisfies readonly NameForm[];

/** PKCS #9 emailAddress: legacy mailbox in a subject DN, constrained as an rfc822Name (RFC 5280 §4.2.1.10). */
export { EMAIL_ADDRESS_OID };

const comparable = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** Name ::= CHOICE { rdnSequence RDNSequence }; undefined when malformed. */
export function readDistinguishedName(node: Asn1Node | undefined): DistinguishedName | undefined {
  if (!isSequence(node)) return undefined;
  const rdns: NameAttribute[][] = [];
  for (const rdn of node.children) {
    // X.501: RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
    if (!isUniversal(rdn, Tag.SET) || !rdn.constructed || rdn.children.length === 0) return undefined;
    const attributes: NameAttribute[] = [];
    for (const atv of rdn.children) {
      if (!isSequence(atv) || atv.children.length !== 2) return undefined;
      const type = readOid(atv.children[0]);
      const valueNode = atv.children[1];
      if (type === undefined || valueNode === undefined) return undefined;
      let text: string | undefined;
      try {
        text = readText(valueNode);
      } catch {
        return undefined; // UTF8String that is not UTF-8
      }
      const key =
        text === undefined ? `der:${encodeDer(valueNode).toString('hex')}` : `text:${comparable(text)}`;
      attributes.push({ type, key, text });
    }
    rdns.push(attributes);
  }
  return rdns;
}

const shortNames: Readonly<Record<string, string>> = {
  [AttributeOid.commonName]: 'CN',
  [AttributeOid.countryName]: 'C',
  [AttributeOid.organizationName]: 'O',
  [AttributeOid.organizationalUnitName]: 'OU',
  [EMAIL_ADDRESS_OID]: 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** For messages: `C=CN, O=Example, CN=partner`; an emailAddress value shows only its domain (no personal data). */
export function describeDistinguishedName(dn: DistinguishedName): string {
  if (dn.length === 0) return '(empty)';
  return dn
    .map((rdn) =>
      rdn
        .map((a) => {
          const value =
            a.type === EMAIL_ADDRESS_OID && a.text !== undefined ? maskMailbox(a.text) : (a.text ?? '#…');
          return `${shortNames[a.type] ?? a.type}=${value}`;
        })
        .join('+'),
    )
    .join(', ');
}

/** A mailbox without its local part: messages and logs carry no personal data. */
export const maskMailbox = (mailbox: string): string => {
  const at = mailbox.lastIndexOf('@');
  return at < 0 ? '***' : `***${mailbox.slice(at)}`;
};

/** An IA5String value: 7-bit ASCII (X.680 §41) — anything else is malformed. */
function readIa5(content: Buffer): string | undefined {
  return content.every((b) => b < 0x80) ? content.toString('latin1') : undefined;
}

/** One GeneralName (IMPLICIT tags, RFC 5280 Appendix A.2); undefined when malformed. */
export function readGeneralName(node: Asn1Node | undefined): GeneralName | undefined {
  if (node === undefined || node.cls !== 'context' || node.tag > 8) return undefined;
  const form = generalNameForms[node.tag];
  switch (form) {
    case 'rfc822Name':
    case 'dNSName':
    case 'uniformResourceIdentifier': {
      if (node.constructed) return undefined;
      const value = readIa5(node.content);
      return value === undefined ? undefined : { form, value };
    }
    case 'iPAddress':
      return node.constructed ? undefined : { form, value: node.content };
    case 'directoryName': {
      // Name is a CHOICE, so [4] is EXPLICIT: a constructed wrapper around one Name.
      if (!node.constructed || node.children.length !== 1) return undefined;
      const value = readDistinguishedName(node.children[0]);
      return value === undefined ? undefined : { form, value };
    }
    case 'otherName':
    case 'x400Address':
    case 'ediPartyName':
      return node.constructed ? { form, value: encodeDer(node) } : undefined;
    case 'registeredID':
      return node.constructed ? undefined : { form, value: encodeDer(node) };
    default:
      return undefined;
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName; the reason it is not well-formed, or the names. */
export function readGeneralNames(
  node: Asn1Node | undefined,
): { readonly ok: true; readonly names: GeneralName[] } | { readonly ok: false; readonly message: string } {
  if (!isSequence(node)) return { ok: false, message: 'is not a SEQUENCE' };
  if (node.children.length === 0) return { ok: false, message: 'is an empty SEQUENCE' };
  const names: GeneralName[] = [];
  for (const [i, child] of node.children.entries()) {
    const name = readGeneralName(child);
    if (name === undefined) return { ok: false, message: `entry #${i + 1} is not a well-formed GeneralName` };
    // §4.2.1.6: dNSName " " and empty names MUST NOT be used; an iPAddress is 4 or 16 octets.
    if (
      (name.form === 'dNSName' || name.form === 'rfc822Name' || name.form === 'uniformResourceIdentifier') &&
      name.value.trim() === ''
    )
      return { ok: false, message: `entry #${i + 1} is an empty ${name.form}` };
    if (name.form === 'iPAddress' && name.value.length !== 4 && name.value.length !== 16)
      return { ok: false, message: `entry #${i + 1} is an iPAddress of ${name.value.length} octets` };
    names.push(name);
  }
  return { ok: true, names };
}
