// workers/deliver-http: the gateway's side of the release protocol (api.md §7) on the wire — an mTLS POST of
// the payload stream with the signed release manifest, and the endpoint's answer. No judgement on the receipt
// here: the delivery processor verifies it. The socket only ever connects to an address the outbound guard
// allowed (api.md §2 XBORDER_ENDPOINT_ALLOWED_NETS): the guard is the request's DNS `lookup`, so the address
// checked is the address connected to. A failure is reported as a closed outcome code (api.md §5).
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { Cidr } from '../platform/outbound-address.js';
import {
  ADDRESS_NOT_ALLOWED,
  checkLiteralHost,
  createGuardedLookup,
  type Resolve,
} from '../platform/outbound-guard.js';
import type { AttemptOutcome } from '../registry/transfer.js';

export interface DeliveryRequest {
  readonly endpointUrl: string;
  readonly transferId: string;
  readonly releaseJws: string;
  readonly body: Readable;
  readonly bytes: number;
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly timeoutMs: number;
  /** Networks besides public addresses the endpoint may resolve to (Config.endpointAllowedNets). */
  readonly allowedNets: readonly Cidr[];
  /** The resolver behind the guard; the system's by default (tests give one they control). */
  readonly resolve?: Resolve;
}

export interface DeliveryResponse {
  readonly status: number;
  readonly body: string;
}

/** The connection failed before an HTTP answer: `outcome` is for records, `cause` for the operator's log only. */
export class DeliveryNetworkError extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    override readonly cause: unknown,
  ) {
    super(`delivery connection failed (${outcome})`);
    this.name = 'DeliveryNetworkError';
  }
}

const tlsCodes = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH$)/;

/** Maps Node's error codes on a client socket to the closed outcome set (never the message text). */
export function classifyNetworkError(err: unknown): AttemptOutcome {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'network_error';
  if (code === ADDRESS_NOT_ALLOWED) return 'address_not_allowed';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA')
    return 'dns_error';
  if (code === 'ECONNREFUSED') return 'connect_refused';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN')
    return 'unreachable';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (tlsCodes.test(code)) return 'tls_error';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  return 'network_error';
}

/** The endpoint's answer is a small JSON receipt; anything longer is cut off rather than buffered. */
const maxAnswerBytes = 64 * 1024;

export function postDelivery(request: DeliveryRequest): Promise<DeliveryResponse> {
  const url = new URL(
    `${request.endpointUrl.replace(/\/+$/, '')}/v1/deliveries/${encodeURIComponent(request.transferId)}`,
  );
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => reject(new DeliveryNetworkError(classifyNetworkError(err), err));
    // net.connect skips `lookup` for an IP literal: that address is checked here, before any socket exists.
    const literal = checkLiteralHost(url.hostname, request.allowedNets);
    if (literal !== null) {
      request.body.destroy();
      fail(literal);
      return;
    }
    const req = https.request(
      url,
      {
        method: 'POST',
        cert: request.tls.cert,
        key: request.tls.key,
        ca: request.tls.ca,
        // A fresh connection per delivery: a pooled socket would skip the lookup (and so the address check).
        agent: false,
        lookup: createGuardedLookup(request.allowedNets, request.resolve),
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(request.bytes),
          'X-Xborder-Release': request.releaseJws,
        },
        timeout: request.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxAnswerBytes) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', fail);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        Object.assign(new Error(`endpoint did not answer within ${request.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', fail);
    request.body.on('error', (err) => req.destroy(err));
    request.body.pipe(req);
  });
}
