// workers/deliver-http: the gateway's side of the release protocol (api.md §7) on the wire — an mTLS POST of
// the payload stream with the signed release manifest, and the endpoint's answer. No judgement here: the
// delivery processor verifies the receipt.
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface DeliveryRequest {
  readonly endpointUrl: string;
  readonly transferId: string;
  readonly releaseJws: string;
  readonly body: Readable;
  readonly bytes: number;
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly timeoutMs: number;
}

export interface DeliveryResponse {
  readonly status: number;
  readonly body: string;
}

/** The endpoint's answer is a small JSON receipt; anything longer is cut off rather than buffered. */
const maxAnswerBytes = 64 * 1024;

export function postDelivery(request: DeliveryRequest): Promise<DeliveryResponse> {
  const url = new URL(
    `${request.endpointUrl.replace(/\/+$/, '')}/v1/deliveries/${encodeURIComponent(request.transferId)}`,
  );
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        cert: request.tls.cert,
        key: request.tls.key,
        ca: request.tls.ca,
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
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`endpoint did not answer within ${request.timeoutMs} ms`)));
    req.on('error', reject);
    request.body.on('error', (err) => req.destroy(err));
    request.body.pipe(req);
  });
}
