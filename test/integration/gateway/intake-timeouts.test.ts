// Intake under slow clients and retries: stalled and trickling uploads are cut off with 408 and leave nothing
// behind; an Idempotency-Key held by a stalled upload answers 409 with Retry-After, and is free again once the
// stalled upload is cut off. In-process gateway, real Redis, a short upload timeout so this stays cheap for CI;
// nothing here asserts how long anything took.
import { expect } from 'chai';
import http from 'node:http';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { multipartFrame } from '../../chaos/support/upload.js';
import { request, routeManifest, startHarness, type Harness } from './gateway-harness.js';

const exporter = '91450100MA5KDEM11G';
const uploadTimeoutMs = 1000;

const manifest = routeManifest(exporter);

interface OpenUpload {
  write(bytes: Buffer): void;
  finish(rest: Buffer): void;
  readonly answer: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>;
}

/** Starts an upload announcing `payloadBytes` and sends only the manifest part; the test sends the rest. */
function openUpload(
  url: string,
  token: string,
  payloadBytes: number,
  headers: Record<string, string> = {},
): OpenUpload {
  const frame = multipartFrame(manifest);
  const req = http.request(`${url}/v1/transfers`, {
    method: 'POST',
    agent: false,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': frame.contentType,
      'Content-Length': String(frame.head.length + payloadBytes + frame.tail.length),
      ...headers,
    },
  });
  const answer = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
    },
  );
  req.write(frame.head);
  return {
    write: (bytes) => req.write(bytes),
    finish: (rest) => req.end(Buffer.concat([rest, frame.tail])),
    answer,
  };
}

describe('gateway intake: slow clients and stalled uploads (in-process, real Redis)', function () {
  this.timeout(30_000);
  let h: Harness;
  let token: string;

  const files = () =>
    readdirSync(path.join(h.dataDir, 'payloads'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.xbp') || f.endsWith('.part'));

  before(async () => {
    h = await startHarness({ XBORDER_UPLOAD_TIMEOUT_MS: String(uploadTimeoutMs) });
    token = await h.token('enterprise', 'ent-1', exporter);
    await h.registerRoute(exporter);
  });
  after(() => h.stop());

  it('answers 408 REQUEST_TIMEOUT to an upload that stalls, stores nothing, and keeps serving', async () => {
    const upload = openUpload(h.url, token, 10_000);
    upload.write(Buffer.alloc(100, 0x61));
    const answer = await upload.answer;
    expect(answer.status).to.equal(408);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).to.equal('REQUEST_TIMEOUT');
    expect(files()).to.deep.equal([]);
    expect((await request(`${h.url}/healthz`)).status).to.equal(200);
  });

  it('answers 408 to an upload that trickles (a few bytes at a time, under 64 KiB per window)', async () => {
    const upload = openUpload(h.url, token, 100_000);
    const trickle = setInterval(() => upload.write(Buffer.alloc(50, 0x62)), 50);
    try {
      expect((await upload.answer).status).to.equal(408);
    } finally {
      clearInterval(trickle);
    }
    expect(files()).to.deep.equal([]);
  });

  it('lets an upload that keeps sending run longer than the timeout', async () => {
    // 128 KiB every 100 ms for 2.4 s: over twice the timeout, at twenty times the minimum rate.
    const chunks = 24;
    const upload = openUpload(h.url, token, chunks * 128 * 1024);
    for (let i = 0; i < chunks - 1; i += 1) {
      upload.write(Buffer.alloc(128 * 1024, 0x63));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    upload.finish(Buffer.alloc(128 * 1024, 0x63));
    const answer = await upload.answer;
    expect(answer.status, answer.body).to.equal(202);
  });

  it('answers 409 with Retry-After while a stalled upload holds the Idempotency-Key, and frees the key when it is cut off', async () => {
    const key = { 'Idempotency-Key': 'stalled-1' };
    const stalled = openUpload(h.url, token, 10_000, key);
    stalled.write(Buffer.alloc(100, 0x61));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const retry = openUpload(h.url, token, 4, key);
    retry.finish(Buffer.from('data'));
    const busy = await retry.answer;
    expect(busy.status).to.equal(409);
    expect((JSON.parse(busy.body) as { error: { code: string } }).error.code).to.equal('CONFLICT');
    expect(Number(busy.headers['retry-after'])).to.be.within(1, 15);
    expect((await stalled.answer).status).to.equal(408);
    const again = openUpload(h.url, token, 4, key);
    again.finish(Buffer.from('data'));
    const accepted = await again.answer;
    expect(accepted.status, accepted.body).to.equal(202);
  });
});
