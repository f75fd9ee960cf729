// platform/outbound-guard: the I/O side of outbound-address — resolves a URL's host and asks which addresses
// the gateway may connect to (api.md §2 XBORDER_ENDPOINT_ALLOWED_NETS, §5, §11). Two uses: at registration
// (checkOutboundUrl: every address the host resolves to must be allowed) and at connect time
// (createGuardedLookup: the `lookup` of an http(s) request, so the address the socket connects to is the one
// that was checked — DNS may answer differently than at registration, and a second lookup would reopen that
// gap). Judgement stays in outbound-address.ts.
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { checkAddress, type AddressVerdict, type Cidr } from './outbound-address.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to all its addresses, as the operating system would for a connection. */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** getaddrinfo through libuv: /etc/hosts and the system resolver, exactly what net.connect would use. */
export const systemResolve: Resolve = (hostname) =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Node's error code on a connection the guard refused; deliver-http turns it into `address_not_allowed`. */
export const ADDRESS_NOT_ALLOWED = 'ERR_XBORDER_ADDRESS_NOT_ALLOWED';

export class AddressNotAllowedError extends Error {
  readonly code = ADDRESS_NOT_ALLOWED;
  constructor(
    readonly hostname: string,
    readonly refused: readonly AddressVerdict[],
  ) {
    super(
      `${hostname} resolves to ${refused.map((v) => `${v.address} (${v.class})`).join(', ')}, outside the allowed networks`,
    );
    this.name = 'AddressNotAllowedError';
  }
}

export type UrlVerdict =
  | { readonly ok: true; readonly addresses: readonly AddressVerdict[] }
  | {
      readonly ok: false;
      readonly reason: 'not_a_url' | 'unresolvable' | 'not_allowed';
      readonly message: string;
    };

/** `[::1]` → `::1`: WHATWG URL keeps the brackets of an IPv6 literal in `hostname`. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** A DNS answer that takes longer than this is a refusal, not a request hanging on the resolver. */
const resolveTimeoutMs = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Registration check: the URL's host (an IP literal, or every address its name resolves to now) must be public
 * or inside `allowedNets`. A host that does not resolve is refused too: it cannot be shown to be public.
 */
export async function checkOutboundUrl(
  text: string,
  allowedNets: readonly Cidr[],
  resolve: Resolve = systemResolve,
): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not_a_url', message: 'is not a URL' };
  }
  const host = hostOf(url);
  let addresses: readonly ResolvedAddress[];
  if (net.isIP(host) !== 0) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await withTimeout(resolve(host), resolveTimeoutMs);
    } catch {
      return { ok: false, reason: 'unresolvable', message: `host ${host} does not resolve` };
    }
    if (addresses.length === 0)
      return { ok: false, reason: 'unresolvable', message: `host ${host} does not resolve` };
  }
  const verdicts = addresses.map((a) => checkAddress(a.address, allowedNets));
  const refused = verdicts.filter((v) => !v.ok);
  if (refused.length > 0)
    return {
      ok: false,
      reason: 'not_allowed',
      message: `host ${host} resolves to ${refused.map((v) => `${v.address} (${v.class})`).join(', ')}, which XBORDER_ENDPOINT_ALLOWED_NETS does not allow`,
    };
  return { ok: true, addresses: verdicts };
}

/**
 * Connect-time check of an IP-literal host: net.connect does not call `lookup` for those, so the caller asks
 * here before opening the socket. Names are left to the guarded lookup.
 */
export function checkLiteralHost(
  hostname: string,
  allowedNets: readonly Cidr[],
): AddressNotAllowedError | null {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host) === 0) return null;
  const verdict = checkAddress(host, allowedNets);
  return verdict.ok ? null : new AddressNotAllowedError(host, [verdict]);
}

/**
 * A `lookup` for net/tls/https that resolves with `resolve` and hands the socket only allowed addresses (the
 * refused ones are dropped; if none is left the connection fails with ADDRESS_NOT_ALLOWED). Handles both call
 * shapes Node uses: `all: true` (happy eyeballs, Node ≥ 20) and a single address.
 */
export function createGuardedLookup(
  allowedNets: readonly Cidr[],
  resolve: Resolve = systemResolve,
): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    withTimeout(resolve(hostname), resolveTimeoutMs).then(
      (addresses) => {
        const candidates = addresses.filter((a) => wanted === 0 || a.family === wanted);
        const verdicts = candidates.map((a) => ({ a, v: checkAddress(a.address, allowedNets) }));
        const allowed = verdicts.filter((x) => x.v.ok).map((x) => x.a);
        const first = allowed[0];
        if (first === undefined) {
          const err = new AddressNotAllowedError(
            hostname,
            verdicts.map((x) => x.v),
          ) as unknown as NodeJS.ErrnoException;
          callback(err, '', 0);
          return;
        }
        if (options.all === true)
          callback(
            null,
            allowed.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, first.address, first.family);
      },
      (err: unknown) => {
        callback(err as NodeJS.ErrnoException, '', 0);
      },
    );
  };
}
