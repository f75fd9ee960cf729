// test/chaos/support/upload: POST /v1/transfers from a file or a buffer with node:http, streaming the multipart
// body with a known Content-Length, so a 1 GiB upload costs the client a read and a write, no buffering.
// Benchmarks use the same client for xborder and for their baselines.
import { createReadStream } from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';

export interface MultipartFrame {
  readonly contentType: string;
  /** Everything before the payload bytes: the manifest part and the payload part's headers. */
  readonly head: Buffer;
  /** The closing boundary. */
  readonly tail: Buffer;
}

export function multipartFrame(manifest: unknown): MultipartFrame {
  const boundary = `xborder-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\n${JSON.stringify(manifest)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="payload"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head,
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

export type PayloadSource = Buffer | { readonly file: string; readonly bytes: number };

export interface UploadAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface UploadOptions {
  readonly url: string;
  readonly token?: string;
  readonly manifest: unknown;
  readonly payload: PayloadSource;
  readonly headers?: Readonly<Record<string, string>>;
  readonly agent?: http.Agent;
  readonly timeoutMs?: number;
}

/** Uploads and resolves with the answer; rejects on a connection error or after `timeoutMs` (default 10 min). */
export function upload(options: UploadOptions): Promise<UploadAnswer> {
  const frame = multipartFrame(options.manifest);
  const payloadBytes = Buffer.isBuffer(options.payload) ? options.payload.length : options.payload.bytes;
  return new Promise((resolve, reject) => {
    const req = http.request(
      options.url,
      {
        method: 'POST',
        agent: options.agent ?? false,
        headers: {
          'Content-Type': frame.contentType,
          'Content-Length': String(frame.head.length + payloadBytes + frame.tail.length),
          ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 600_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('upload timed out')));
    req.on('error', reject);
    req.write(frame.head);
    if (Buffer.isBuffer(options.payload)) {
      req.write(options.payload);
      req.end(frame.tail);
      return;
    }
    const source = createReadStream(options.payload.file, { highWaterMark: 1 << 20 });
    source.on('error', (err) => req.destroy(err));
    source.on('end', () => req.end(frame.tail));
    source.pipe(req, { end: false });
  });
}
