// The S3 payload store against a real S3-compatible server (Swift with s3api, started here on loopback).
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  createObjectStoreClient,
  type ObjectStore,
  type ObjectStoreClient,
} from '../../../platform/object-store.js';
import { storeBuffer, type PayloadStore } from '../../../registry/payload-store.js';
import { createS3PayloadStore } from '../../../registry/s3-payload-store.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

async function readAll(store: PayloadStore, sha256: string): Promise<Buffer> {
  const { stream } = await store.open(sha256);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function keys(objects: ObjectStore, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const key of objects.listKeys(prefix)) out.push(key);
  return out.sort();
}

async function incompleteUploads(objects: ObjectStore): Promise<number> {
  let n = 0;
  for await (const upload of objects.listIncompleteUploads('')) if (upload.key !== '') n += 1;
  return n;
}

const waitFor = async (condition: () => Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('registry/s3-payload-store (real Swift s3api)', function () {
  this.timeout(300_000);
  let server: TestS3Server;
  let client: ObjectStoreClient;
  let objects: ObjectStore;
  let store: PayloadStore;
  const wrapKey = randomBytes(32);

  before(async () => {
    server = await startS3Server();
    await server.createBucket('payloads');
    client = createObjectStoreClient({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });
  beforeEach(() => {
    // A fresh prefix per test: each starts from an empty store.
    objects = client.open({ bucket: 'payloads', prefix: `t-${randomUUID()}/` });
    store = createS3PayloadStore(objects, wrapKey);
  });

  it('stores a multipart payload under the SHA-256 of the plaintext and reads the same bytes back', async () => {
    const data = randomBytes(11 * 1024 * 1024 + 7);
    const stored = await storeBuffer(store, data);
    expect(stored.bytes).to.equal(data.length);
    expect(await store.has(stored.sha256)).to.equal(true);
    expect((await readAll(store, stored.sha256)).equals(data)).to.equal(true);
    // Only the blob and its digest index remain; the pending marker is gone.
    expect((await keys(objects)).map((k) => k.split('/')[0])).to.deep.equal(['blobs', 'digests']);
  });

  it('keeps the XBP1 envelope: only ciphertext reaches the object store', async () => {
    const data = Buffer.from('450102199001011234 is a resident ID '.repeat(100));
    await storeBuffer(store, data);
    const [blob] = await keys(objects, 'blobs/');
    const stored = Buffer.from((await objects.getObject(blob ?? '')) ?? []);
    expect(stored.subarray(0, 4).toString()).to.equal('XBP1');
    expect(stored.includes(Buffer.from('resident ID'))).to.equal(false);
  });

  it('fails the read of a tampered object instead of returning altered bytes (GCM tag)', async () => {
    const stored = await storeBuffer(store, randomBytes(4096));
    const [blob] = await keys(objects, 'blobs/');
    const bytes = Buffer.from((await objects.getObject(blob ?? '')) ?? []);
    bytes[200] = (bytes[200] ?? 0) ^ 0xff;
    await objects.putObject(blob ?? '', bytes);
    const err = await readAll(store, stored.sha256).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
  });

  it('dedupes by digest: the same bytes twice keep one blob and refresh the stored time', async () => {
    const data = randomBytes(64 * 1024);
    const first = await storeBuffer(store, data);
    const firstAt = await store.storedAt(first.sha256);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await storeBuffer(store, data);
    expect(second.sha256).to.equal(first.sha256);
    expect(await keys(objects, 'blobs/')).to.have.length(1);
    expect((await store.storedAt(first.sha256))?.getTime()).to.be.greaterThan(firstAt?.getTime() ?? Infinity);
    // Concurrent uploads of the same bytes converge on one blob too (no If-None-Match needed).
    await Promise.all([storeBuffer(store, data), storeBuffer(store, data), storeBuffer(store, data)]);
    expect(await keys(objects, 'blobs/')).to.have.length(1);
    expect((await readAll(store, first.sha256)).equals(data)).to.equal(true);
  });

  it('retention removes the objects: the index and the blob', async () => {
    const stored = await storeBuffer(store, randomBytes(1000));
    await store.remove(stored.sha256);
    expect(await store.has(stored.sha256)).to.equal(false);
    expect(await store.storedAt(stored.sha256)).to.equal(null);
    expect(await keys(objects)).to.deep.equal([]);
    const err = await store.open(stored.sha256).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal('ENOENT');
  });

  it('leaves nothing behind when a write is aborted, even mid-multipart', async () => {
    const writer = await store.createWriter();
    for (let i = 0; i < 32; i += 1) writer.write(randomBytes(256 * 1024));
    await writer.abort();
    expect(await keys(objects)).to.deep.equal([]);
    await waitFor(async () => (await incompleteUploads(objects)) === 0, 'the multipart upload to be aborted');
  });

  it('sweeps what crashed writers left (an incomplete multipart upload, an unindexed blob) past the threshold', async () => {
    // A writer that died mid-upload: parts sent, never completed nor aborted.
    const crashed = await store.createWriter();
    for (let i = 0; i < 28; i += 1) crashed.write(randomBytes(256 * 1024));
    await waitFor(async () => (await incompleteUploads(objects)) === 1, 'the multipart upload to start');
    // A writer that died after completing its upload but before the digest index: a blob nobody references.
    const orphan = randomUUID();
    await objects.putObject(`pending/${orphan}`, new Uint8Array(Buffer.from('{}')));
    await objects.putObject(`blobs/${orphan}`, new Uint8Array([1, 2, 3]));
    const kept = await storeBuffer(store, randomBytes(1000));

    // Younger than the threshold: left alone (a live upload on another gateway looks the same).
    expect(await store.sweepTemp(new Date(Date.now() - 3600_000))).to.equal(0);
    expect(await incompleteUploads(objects)).to.equal(1);

    expect(await store.sweepTemp(new Date(Date.now() + 3600_000))).to.equal(2);
    expect(await incompleteUploads(objects)).to.equal(0);
    const left = await keys(objects);
    expect(left.filter((k) => k.startsWith('pending/'))).to.deep.equal([]);
    expect(left).to.not.include(`blobs/${orphan}`);
    expect((await readAll(store, kept.sha256)).length).to.equal(1000);
    await crashed.abort();
  });
});
