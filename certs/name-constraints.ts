// certs/name-constraints: RFC 5280 §4.2.1.10 name constraints — read a CA's permitted and excluded subtrees,
// and judge one certificate's names against them (§6.1.3 (b)(c)). Pure; chain.ts decides which certificates
// are checked against which CA (the accumulation of §6.1.4 (g)). Fails closed: a subtree of a form we cannot
// match makes every name of that form a violation, never a pass.
import type { Asn1Node } from './forge.js';
import { Tag, isContext, isSequence, readSmallUint } from './der.js';
import {
  EMAIL_ADDRESS_OID,
  describeDistinguishedName,
  maskMailbox,
  readGeneralName,
  type DistinguishedName,
  type GeneralName,
  type NameForm,
} from './general-name.js';

/** One GeneralSubtree; `supported` is false when we cannot match it (its form, a minimum/maximum, a bad base). */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly supported: boolean;
}

export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[] | undefined;
  readonly excluded: readonly GeneralSubtree[] | undefined;
}

const SUPPORTED_FORMS: ReadonlySet<NameForm> = new Set([
  'rfc822Name',
  'dNSName',
  'directoryName',
  'iPAddress',
  'uniformResourceIdentifier',
]);

/** GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree, under an IMPLICIT [0] or [1]. */
function readSubtrees(node: Asn1Node): GeneralSubtree[] | undefined {
  if (!node.constructed || node.children.length === 0) return undefined;
  const out: GeneralSubtree[] = [];
  for (const subtree of node.children) {
    if (!isSequence(subtree) || subtree.children.length === 0 || subtree.children.length > 3)
      return undefined;
    const [baseNode, ...bounds] = subtree.children;
    const base = readGeneralName(baseNode);
    if (base === undefined) return undefined;
    let supported = SUPPORTED_FORMS.has(base.form);
    for (const bound of bounds) {
      // minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL: §4.2.1.10 says minimum MUST
      // be zero and maximum MUST be absent; other values we do not interpret, so the subtree fails closed.
      if (isContext(bound, 0)) {
        const min = readSmallUint({ ...bound, cls: 'universal', tag: Tag.INTEGER });
        if (min === undefined) return undefined;
        if (min !== 0) supported = false;
      } else if (isContext(bound, 1)) supported = false;
      else return undefined;
    }
    // A constraint iPAddress is an address and a mask: 8 octets (IPv4) or 32 (IPv6).
    if (base.form === 'iPAddress' && base.value.length !== 8 && base.value.length !== 32) supported = false;
    out.push({ base, supported });
  }
  return out;
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] OPTIONAL, excludedSubtrees [1] OPTIONAL }, not empty. */
export function readNameConstraints(node: Asn1Node | undefined): NameConstraints | undefined {
  if (!isSequence(node) || node.children.length === 0 || node.children.length > 2) return undefined;
  let permitted: GeneralSubtree[] | undefined;
  let excluded: GeneralSubtree[] | undefined;
  for (const child of node.children) {
    if (isContext(child, 0) && permitted === undefined && excluded === undefined) {
      permitted = readSubtrees(child);
      if (permitted === undefined) return undefined;
    } else if (isContext(child, 1) && excluded === undefined) {
      excluded = readSubtrees(child);
      if (excluded === undefined) return undefined;
    } else return undefined;
  }
  return { permitted, excluded };
}

/** Lower-case, no trailing root dot. */
const host = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** §4.2.1.10 dNSName: any name made by adding zero or more labels on the left; ".example.com" only subdomains. */
function dnsWithin(name: string, base: string): boolean {
  const n = host(name);
  const b = host(base);
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/**
 * §4.2.1.10 rfc822Name: "a@host" one mailbox; "host" every mailbox at that host; ".host" every mailbox in a
 * subdomain of it. The local part is compared exactly, the host case-insensitively.
 */
function mailboxWithin(mailbox: string, base: string): boolean | 'syntax' {
  const at = mailbox.lastIndexOf('@');
  if (at <= 0 || at === mailbox.length - 1) return 'syntax';
  const local = mailbox.slice(0, at);
  const domain = host(mailbox.slice(at + 1));
  const baseAt = base.lastIndexOf('@');
  if (baseAt >= 0) return local === base.slice(0, baseAt) && domain === host(base.slice(baseAt + 1));
  const b = host(base);
  if (b === '') return true;
  return b.startsWith('.') ? domain.endsWith(b) : domain === b;
}

/** The host of a URI with an authority (RFC 3986 §3.2.2); undefined when it has none. */
function uriHost(uri: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)/i.exec(uri);
  const h = match?.[1];
  return h === undefined || h === '' ? undefined : host(h);
}

/** §4.2.1.10 URI: the constraint applies to the host part — "host" exactly, ".host" any subdomain of it. */
function uriWithin(uri: string, base: string): boolean | 'syntax' {
  const h = uriHost(uri);
  if (h === undefined) return 'syntax'; // no authority: the constraint cannot be applied, fail closed
  const b = host(base);
  if (b === '') return true;
  return b.startsWith('.') ? h.endsWith(b) : h === b;
}

/** §4.2.1.10 iPAddress: the address, masked, equals the constraint's network; other families never match. */
function ipWithin(address: Buffer, base: Buffer): boolean {
  if (base.length !== address.length * 2) return false;
  for (let i = 0; i < address.length; i += 1) {
    const mask = base[address.length + i] ?? 0;
    if (((address[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** §4.2.1.10 / §7.1 directoryName: the base's RDNs are the first RDNs of the name, each RDN equal as a set. */
function dnWithin(name: DistinguishedName, base: DistinguishedName): boolean {
  if (base.length > name.length) return false;
  return base.every((rdn, i) => {
    const other = name[i] ?? [];
    return (
      rdn.length === other.length && rdn.every((a) => other.some((b) => a.type === b.type && a.key === b.key))
    );
  });
}

function within(name: GeneralName, base: GeneralName): boolean | 'syntax' {
  if (name.form === 'dNSName' && base.form === 'dNSName') return dnsWithin(name.value, base.value);
  if (name.form === 'rfc822Name' && base.form === 'rfc822Name') return mailboxWithin(name.value, base.value);
  if (name.form === 'uniformResourceIdentifier' && base.form === 'uniformResourceIdentifier')
    return uriWithin(name.value, base.value);
  if (name.form === 'iPAddress' && base.form === 'iPAddress') return ipWithin(name.value, base.value);
  if (name.form === 'directoryName' && base.form === 'directoryName') return dnWithin(name.value, base.value);
  return false;
}

/** A name for messages, without personal data (mailboxes lose their local part, URIs their path). */
export function describeName(name: GeneralName): string {
  switch (name.form) {
    case 'dNSName':
      return `dNSName '${name.value}'`;
    case 'rfc822Name':
      return `rfc822Name '${maskMailbox(name.value)}'`;
    case 'uniformResourceIdentifier':
      return `URI host '${uriHost(name.value) ?? '(none)'}'`;
    case 'iPAddress':
      return `iPAddress ${describeIp(name.value)}`;
    case 'directoryName':
      return `directoryName '${describeDistinguishedName(name.value)}'`;
    default:
      return name.form;
  }
}

function describeIp(octets: Buffer): string {
  if (octets.length === 4) return [...octets].join('.');
  if (octets.length === 16) return (octets.toString('hex').match(/.{4}/g) ?? []).join(':');
  return `0x${octets.toString('hex')}`;
}

/**
 * The names of a certificate that name constraints apply to (§4.2.1.10): the subject DN when it is not empty,
 * each emailAddress attribute of the subject as an rfc822Name, and every subjectAltName.
 */
export function constrainedNames(
  subject: DistinguishedName,
  altNames: readonly GeneralName[],
): GeneralName[] {
  const names: GeneralName[] = [];
  if (subject.length > 0) names.push({ form: 'directoryName', value: subject });
  for (const rdn of subject) {
    for (const a of rdn) {
      if (a.type === EMAIL_ADDRESS_OID && a.text !== undefined)
        names.push({ form: 'rfc822Name', value: a.text });
    }
  }
  return [...names, ...altNames];
}

export type NameViolationCode = 'CHAIN-NAME-NOT-PERMITTED' | 'CHAIN-NAME-EXCLUDED' | 'CHAIN-NAME-UNSUPPORTED';

export interface NameViolation {
  readonly code: NameViolationCode;
  readonly detail: string;
}

/** Judges one name against one CA's constraints: undefined when it passes. */
export function checkName(name: GeneralName, constraints: NameConstraints): NameViolation | undefined {
  const described = describeName(name);
  const sameForm = (subtrees: readonly GeneralSubtree[] | undefined): readonly GeneralSubtree[] =>
    (subtrees ?? []).filter((s) => s.base.form === name.form);
  const excluded = sameForm(constraints.excluded);
  const permitted = sameForm(constraints.permitted);
  if (excluded.length === 0 && permitted.length === 0) return undefined; // no constraint on this form
  // §4.2.1.10: a form or subtree we cannot process fails closed for names of that form.
  const unsupported = (why: string): NameViolation => ({
    code: 'CHAIN-NAME-UNSUPPORTED',
    detail: `${described}: ${why}, so the ${name.form} constraints cannot be applied to it`,
  });
  if (!SUPPORTED_FORMS.has(name.form)) return unsupported('xborder does not process this name form');
  if (excluded.some((s) => !s.supported))
    return unsupported('an excluded subtree of this form has a minimum, maximum or base xborder cannot read');
  for (const subtree of excluded) {
    const hit = within(name, subtree.base);
    if (hit === 'syntax') return unsupported('its syntax has no host part');
    if (hit)
      return {
        code: 'CHAIN-NAME-EXCLUDED',
        detail: `${described} is within the excluded subtree ${describeName(subtree.base)}`,
      };
  }
  if (permitted.length === 0) return undefined;
  const results = permitted.map((s) => (s.supported ? within(name, s.base) : 'unsupported'));
  if (results.some((r) => r === true)) return undefined;
  if (results.some((r) => r === 'syntax')) return unsupported('its syntax has no host part');
  if (results.some((r) => r === 'unsupported'))
    return unsupported('a permitted subtree of this form has a minimum, maximum or base xborder cannot read');
  return {
    code: 'CHAIN-NAME-NOT-PERMITTED',
    detail: `${described} is outside every permitted ${name.form} subtree (${permitted.map((s) => describeName(s.base)).join(', ')})`,
  };
}
