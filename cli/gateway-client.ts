// cli/gateway-client: the enterprise client's HTTP side — a streamed multipart upload (the payload is never
// read into memory) with progress callbacks, and JSON GETs. Errors carry the gateway's error body.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';

export interface GatewayAnswer {
  readonly status: number;
  readonly body: unknown;
}

function send(
  url: URL,
  options: http.RequestOptions,
  write: (req: http.ClientRequest) => void,
): Promise<GatewayAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    write(req);
  });
}

export async function uploadTransfer(options: {
  gatewayUrl: string;
  token: string;
  manifestJson: string;
  payloadFile: string;
  idempotencyKey?: string;
  onProgress?: (sent: number, total: number) => void;
}): Promise<GatewayAnswer> {
  const boundary = `xborder-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\nContent-Type: application/json\r\n\r\n${options.manifestJson}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="payload"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { size } = await stat(options.payloadFile);
  const url = new URL('/v1/transfers', options.gatewayUrl);
  return send(
    url,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + size + tail.length),
        ...(options.idempotencyKey === undefined ? {} : { 'Idempotency-Key': options.idempotencyKey }),
      },
    },
    (req) => {
      req.write(head);
      let sent = 0;
      const file = createReadStream(options.payloadFile, { highWaterMark: 1 << 20 });
      file.on('data', (chunk) => {
        sent += chunk.length;
        options.onProgress?.(sent, size);
      });
      file.on('error', (err) => req.destroy(err));
      file.on('end', () => req.end(tail));
      file.pipe(req, { end: false });
    },
  );
}

export function getJson(gatewayUrl: string, token: string, path: string): Promise<GatewayAnswer> {
  return send(
    new URL(path, gatewayUrl),
    { method: 'GET', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } },
    (req) => req.end(),
  );
}
