import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPayloadStore, storeBuffer, type PayloadStore } from '../../../registry/payload-store.js';

async function readAll(store: PayloadStore, sha256: string): Promise<Buffer> {
  const { stream } = await store.open(sha256);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.xbp') || f.endsWith('.part'));
}

describe('registry/payload-store (real disk)', () => {
  let dir: string;
  let store: PayloadStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-payloads-'));
    store = createPayloadStore(dir, randomBytes(32));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores under the SHA-256 of the plaintext and reads the same bytes back', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const stored = await storeBuffer(store, data);
    expect(stored.bytes).to.equal(data.length);
    expect((await readAll(store, stored.sha256)).equals(data)).to.equal(true);
  });

  it('encrypts at rest: the plaintext does not appear in the file', async () => {
    const data = Buffer.from('450102199001011234 is a resident ID '.repeat(100));
    const stored = await storeBuffer(store, data);
    const [file] = files(dir);
    expect(readFileSync(path.join(dir, file ?? '')).includes(Buffer.from('resident ID'))).to.equal(false);
    expect(stored.sha256).to.have.length(64);
  });

  it('fails the read of a tampered file instead of returning altered bytes (GCM tag)', async () => {
    const stored = await storeBuffer(store, randomBytes(4096));
    const file = path.join(dir, files(dir)[0] ?? '');
    const bytes = readFileSync(file);
    bytes[200] = (bytes[200] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    let failed = false;
    try {
      await readAll(store, stored.sha256);
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });

  it('leaves nothing behind when a write is aborted, even with writes still in flight', async () => {
    const writer = await store.createWriter();
    for (let i = 0; i < 64; i += 1) writer.write(randomBytes(256 * 1024));
    await writer.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(files(dir)).to.deep.equal([]);
  });

  it('sweeps temp files a crashed upload left (untouched since the cut-off) and keeps live ones', async () => {
    const crashed = await store.createWriter();
    crashed.write(randomBytes(1024));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [first] = readdirSync(path.join(dir, 'tmp')).map((f) => path.join(dir, 'tmp', f));
    const live = await store.createWriter();
    live.write(randomBytes(1024));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = readdirSync(path.join(dir, 'tmp'))
      .map((f) => path.join(dir, 'tmp', f))
      .find((f) => f !== first);
    // Both times set from this process's clock, which the cut-off uses too (the kernel's may differ under
    // libfaketime, npm run test:dates).
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(first ?? '', hourAgo, hourAgo);
    utimesSync(second ?? '', new Date(), new Date());
    expect(await store.sweepTemp(new Date(Date.now() - 60_000))).to.equal(1);
    expect(readdirSync(path.join(dir, 'tmp')).map((f) => path.join(dir, 'tmp', f))).to.deep.equal([second]);
    await crashed.abort();
    const stored = await live.commit();
    expect(files(dir)).to.deep.equal([path.join(stored.sha256.slice(0, 2), `${stored.sha256}.xbp`)]);
  });
});
