// platform/outbound-address: which IP addresses the gateway may open a connection to (api.md §2
// XBORDER_ENDPOINT_ALLOWED_NETS, §5 ENDPOINT_NOT_ALLOWED, §11 webhooks). Pure judgement on address text: no DNS,
// no sockets — outbound-guard.ts does the I/O and asks this file. A partner endpoint (or any URL an API client
// hands us) must not make the gateway reach into its own network: loopback, private, link-local, CGNAT, cloud
// metadata and other special-purpose ranges (IANA special-purpose registries, RFC 6890) are refused unless an
// operator lists them in the allowed nets.
import net from 'node:net';

/** Why an address is not public; `public` is a global unicast address outside every special range. */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

/** An IP network: family, first address as a number, prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  /** As written in the configuration, for messages. */
  readonly text: string;
}

interface ParsedIp {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function parseIpv4(text: string): bigint | null {
  if (net.isIPv4(text) === false) return null;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | null {
  // A zone id (fe80::1%eth0) names an interface, not an address: the address part is what is classified.
  const bare = text.replace(/%.*$/, '');
  if (!net.isIPv6(bare)) return null;
  let head = bare;
  let tail: bigint[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (dotted?.[1] !== undefined) {
    const v4 = parseIpv4(dotted[1]);
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    head = `${head.slice(0, dotted.index)}:`;
  }
  const halves = head.split('::');
  const groups = (part: string | undefined): bigint[] =>
    part === undefined || part === ''
      ? []
      : part
          .split(':')
          .filter((g) => g !== '')
          .map((g) => BigInt(`0x${g}`));
  const left = groups(halves[0]);
  const right = [...groups(halves[1]), ...tail];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  const all = [...left, ...Array<bigint>(fill).fill(0n), ...right];
  if (all.length !== 8) return null;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseIp(text: string): ParsedIp | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === null ? null : { family: 6, value: v6 };
}

const bits = (family: 4 | 6): number => (family === 4 ? 32 : 128);

function contains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt(bits(cidr.family) - cidr.prefix);
  return ip.value >> shift === cidr.base >> shift;
}

/** Parses `a.b.c.d/n` or `x:y::/n` (a bare address is its own /32 or /128); host bits must be zero. */
export function parseCidr(text: string): { ok: true; cidr: Cidr } | { ok: false; message: string } {
  const trimmed = text.trim();
  const [addr = '', prefixText, ...rest] = trimmed.split('/');
  const ip = parseIp(addr);
  if (ip === null || rest.length > 0) return { ok: false, message: `"${trimmed}" is not an IP network` };
  const max = bits(ip.family);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
    return { ok: false, message: `"${trimmed}" has a prefix length that is not a number` };
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return { ok: false, message: `"${trimmed}" has a prefix length above ${max}` };
  const hostMask = (1n << BigInt(max - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n)
    return { ok: false, message: `"${trimmed}" has host bits set (did you mean a /${prefix} network base?)` };
  return { ok: true, cidr: { family: ip.family, base: ip.value, prefix, text: trimmed } };
}

/** A comma-separated list of CIDRs (XBORDER_ENDPOINT_ALLOWED_NETS); empty text is an empty list. */
export function parseCidrList(
  text: string,
): { ok: true; nets: readonly Cidr[] } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, nets: [] };
  const nets: Cidr[] = [];
  for (const entry of text.split(',')) {
    if (entry.trim() === '') return { ok: false, message: 'has an empty entry (stray comma)' };
    const parsed = parseCidr(entry);
    if (!parsed.ok) return parsed;
    nets.push(parsed.cidr);
  }
  return { ok: true, nets: Object.freeze(nets) };
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.cidr;
}

/**
 * Special-purpose ranges, most specific first (the first that contains an address names its class).
 * IPv4: RFC 6890 / IANA IPv4 special-purpose registry, plus cloud metadata addresses. IPv6: IANA IPv6
 * special-purpose registry; mapped, NAT64 and 6to4 forms are classified by the IPv4 address inside them.
 */
const ipv4Ranges: readonly (readonly [Cidr, AddressClass])[] = [
  // AWS/GCP/Azure/OpenStack instance metadata (link-local), Alibaba Cloud metadata (inside CGNAT).
  [cidr('169.254.169.254/32'), 'metadata'],
  [cidr('100.100.100.200/32'), 'metadata'],
  [cidr('0.0.0.0/8'), 'unspecified'], // RFC 1122 §3.2.1.3 "this network"
  [cidr('10.0.0.0/8'), 'private'], // RFC 1918
  [cidr('100.64.0.0/10'), 'cgnat'], // RFC 6598 shared address space
  [cidr('127.0.0.0/8'), 'loopback'], // RFC 1122
  [cidr('169.254.0.0/16'), 'link_local'], // RFC 3927
  [cidr('172.16.0.0/12'), 'private'], // RFC 1918
  [cidr('192.0.0.0/24'), 'reserved'], // RFC 6890 IETF protocol assignments (incl. 192.0.0.192 metadata)
  [cidr('192.0.2.0/24'), 'documentation'], // RFC 5737 TEST-NET-1
  [cidr('192.88.99.0/24'), 'reserved'], // RFC 7526 deprecated 6to4 relay anycast
  [cidr('192.168.0.0/16'), 'private'], // RFC 1918
  [cidr('198.18.0.0/15'), 'benchmarking'], // RFC 2544
  [cidr('198.51.100.0/24'), 'documentation'], // RFC 5737 TEST-NET-2
  [cidr('203.0.113.0/24'), 'documentation'], // RFC 5737 TEST-NET-3
  [cidr('224.0.0.0/4'), 'multicast'], // RFC 5771
  [cidr('255.255.255.255/32'), 'broadcast'], // RFC 919
  [cidr('240.0.0.0/4'), 'reserved'], // RFC 1112 §4 future use
];

const ipv6Ranges: readonly (readonly [Cidr, AddressClass])[] = [
  [cidr('fd00:ec2::254/128'), 'metadata'], // AWS instance metadata over IPv6
  [cidr('::/128'), 'unspecified'], // RFC 4291 §2.5.2
  [cidr('::1/128'), 'loopback'], // RFC 4291 §2.5.3
  [cidr('::/96'), 'reserved'], // RFC 4291 §2.5.5.1 deprecated IPv4-compatible
  [cidr('64:ff9b:1::/48'), 'private'], // RFC 8215 local-use NAT64
  [cidr('100::/64'), 'reserved'], // RFC 6666 discard-only
  [cidr('2001:db8::/32'), 'documentation'], // RFC 3849
  [cidr('2001::/23'), 'reserved'], // RFC 2928 IETF protocol assignments (Teredo, ORCHID, …)
  [cidr('3fff::/20'), 'documentation'], // RFC 9637
  [cidr('fc00::/7'), 'private'], // RFC 4193 unique local
  [cidr('fe80::/10'), 'link_local'], // RFC 4291 §2.5.6
  [cidr('fec0::/10'), 'private'], // RFC 3879 deprecated site-local
  [cidr('ff00::/8'), 'multicast'], // RFC 4291 §2.7
];

const mapped = cidr('::ffff:0:0/96'); // RFC 4291 §2.5.5.2 IPv4-mapped
const nat64 = cidr('64:ff9b::/96'); // RFC 6052 well-known NAT64 prefix
const sixToFour = cidr('2002::/16'); // RFC 3056 6to4: bits 16..47 are an IPv4 address
const globalUnicast = cidr('2000::/3'); // RFC 4291 §2.4: everything else is unassigned

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any. */
function embeddedIpv4(ip: ParsedIp): ParsedIp | null {
  if (ip.family !== 6) return null;
  if (contains(mapped, ip) || contains(nat64, ip)) return { family: 4, value: ip.value & 0xffffffffn };
  if (contains(sixToFour, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return null;
}

function classifyParsed(ip: ParsedIp): AddressClass {
  const inner = embeddedIpv4(ip);
  if (inner !== null) return classifyParsed(inner);
  const table = ip.family === 4 ? ipv4Ranges : ipv6Ranges;
  for (const [range, kind] of table) if (contains(range, ip)) return kind;
  if (ip.family === 6 && !contains(globalUnicast, ip)) return 'reserved';
  return 'public';
}

/** The class of an IP address given as text; `null` when the text is not an IP address. */
export function classifyAddress(address: string): AddressClass | null {
  const ip = parseIp(address);
  return ip === null ? null : classifyParsed(ip);
}

export type AddressVerdict =
  | { readonly ok: true; readonly address: string; readonly class: AddressClass; readonly allowedBy?: string }
  | { readonly ok: false; readonly address: string; readonly class: AddressClass | 'invalid' };

/**
 * May the gateway connect to `address`? Public addresses always; any other only inside one of `allowedNets`
 * (checked against the address as written and, for mapped/NAT64/6to4 forms, against the IPv4 inside it, so
 * `::ffff:10.0.0.1` is neither refused when 10.0.0.0/8 is allowed nor let through when it is not).
 */
export function checkAddress(address: string, allowedNets: readonly Cidr[]): AddressVerdict {
  const ip = parseIp(address);
  if (ip === null) return { ok: false, address, class: 'invalid' };
  const kind = classifyParsed(ip);
  if (kind === 'public') return { ok: true, address, class: kind };
  const inner = embeddedIpv4(ip);
  const allowed = allowedNets.find((n) => contains(n, ip) || (inner !== null && contains(n, inner)));
  return allowed === undefined
    ? { ok: false, address, class: kind }
    : { ok: true, address, class: kind, allowedBy: allowed.text };
}
