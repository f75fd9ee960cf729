// receiver/receiver-handler: the offshore side of the release protocol (api.md §7). The TLS layer has already
// required a client certificate from the gateway's CA; this checks the signed release manifest, that the
// body's length and SHA-256 match it, stores the bytes, and answers with a signed receipt.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyRelease } from '../certs/release.js';
import { signReceipt } from '../certs/receipt.js';
import type { Signer } from '../certs/signer.js';
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import type { DeliveryStore } from './delivery-store.js';

export interface ReceiverDeps {
  readonly store: DeliveryStore;
  /** PEM trust anchors for the gateway's release-signing certificate. */
  readonly anchors: () => Promise<readonly string[]>;
  readonly signer: Signer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxBytes: number;
  /** Subject CN of the gateway's release-signing certificate. */
  readonly gatewayCn: string;
}

const route = /^\/v1\/deliveries\/([A-Za-z0-9._-]{1,128})$/;

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  // Stop reading a body we will not keep; the connection closes after the answer.
  res.setHeader('Connection', 'close');
  answer(res, status, { error: { code, message } });
  req.resume();
}

export function createReceiverHandler(deps: ReceiverDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method === 'GET' && req.url === '/healthz') return answer(res, 200, { status: 'ok' });
      const match = route.exec(req.url ?? '');
      if (req.method !== 'POST' || match === null || match[1] === undefined)
        return refuse(req, res, 404, 'NOT_FOUND', 'No such route');
      const transferId = match[1];
      const jws = req.headers['x-xborder-release'];
      if (typeof jws !== 'string')
        return refuse(req, res, 401, 'RELEASE_MISSING', 'The X-Xborder-Release header is required');
      // Pin the signer's CN: another certificate from the same CA (a partner's) must not be able to sign releases.
      const verified = verifyRelease(jws, {
        anchors: await deps.anchors(),
        now: deps.clock.now(),
        expectedSignerCn: deps.gatewayCn,
      });
      if (!verified.ok)
        return refuse(req, res, 401, 'RELEASE_INVALID', verified.reasons.map((r) => r.code).join(', '));
      const claims = verified.claims;
      if (claims.transferId !== transferId)
        return refuse(req, res, 400, 'RELEASE_MISMATCH', 'The release manifest names another transfer');
      const length = Number(req.headers['content-length']);
      if (!Number.isSafeInteger(length))
        return refuse(req, res, 411, 'LENGTH_REQUIRED', 'Content-Length is required');
      if (length !== claims.bytes)
        return refuse(req, res, 400, 'LENGTH_MISMATCH', 'Content-Length differs from the release manifest');
      if (length > deps.maxBytes)
        return refuse(req, res, 413, 'PAYLOAD_TOO_LARGE', "The payload exceeds this receiver's limit");

      const known = await deps.store.find(transferId);
      if (known !== null) {
        if (known.sha256 !== claims.sha256)
          return refuse(
            req,
            res,
            409,
            'CONFLICT',
            'A different payload was already delivered for this transfer',
          );
        req.resume();
        return answer(res, 200, { receipt: known.receipt });
      }

      const received = await deps.store.receive(req);
      if (received.bytes !== claims.bytes || received.sha256 !== claims.sha256) {
        await received.discard();
        return answer(res, 400, {
          error: { code: 'DIGEST_MISMATCH', message: 'The body does not match the release manifest' },
        });
      }
      const receivedAt = deps.clock.now().toISOString();
      const receipt = await signReceipt(
        { transferId, sha256: received.sha256, bytes: received.bytes, receivedAt },
        deps.signer,
      );
      const kept = await received.keep({
        transferId,
        sha256: received.sha256,
        bytes: received.bytes,
        receipt,
        receivedAt,
      });
      if (kept.sha256 !== received.sha256)
        return answer(res, 409, {
          error: { code: 'CONFLICT', message: 'A different payload was already delivered for this transfer' },
        });
      deps.logger.info('delivery stored', { transferId, bytes: received.bytes });
      answer(res, 200, { receipt: kept.receipt });
    } catch (err) {
      deps.logger.error('delivery failed', { error: describeError(err) });
      if (!res.headersSent)
        answer(res, 500, {
          error: { code: 'INTERNAL', message: 'The receiver could not store the delivery' },
        });
      else res.destroy();
    }
  };
}
