// Object-store wrapper against a real S3-compatible server (Swift with s3api, started here on loopback).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import {
  createObjectStoreClient,
  parseObjectLocation,
  ObjectStoreError,
  type ObjectStore,
  type ObjectStoreClient,
} from '../../../platform/object-store.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('object store (real Swift s3api)', function () {
  this.timeout(300_000);
  let server: TestS3Server;
  let client: ObjectStoreClient;
  let store: ObjectStore;

  before(async () => {
    const started = Date.now();
    server = await startS3Server();
    // Kept in the test output: how long the harness takes on this machine.
    console.log(`      (Swift s3api started in ${Date.now() - started} ms)`);
    await server.createBucket('xborder-test');
    client = createObjectStoreClient({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    });
    const location = parseObjectLocation('s3://xborder-test/unit/store');
    if (location === null) throw new Error('location did not parse');
    store = client.open(location);
  });

  after(async () => {
    client?.close();
    await server?.stop();
  });

  it('parses s3://bucket/prefix and refuses anything else', () => {
    expect(parseObjectLocation('s3://bkt/a/b/')).to.deep.equal({ bucket: 'bkt', prefix: 'a/b/' });
    expect(parseObjectLocation('s3://bkt')).to.deep.equal({ bucket: 'bkt', prefix: '' });
    expect(parseObjectLocation('http://bkt/a')).to.equal(null);
    expect(parseObjectLocation('s3://B/a')).to.equal(null);
    expect(parseObjectLocation('s3://bkt/../x')).to.equal(null);
  });

  it('puts, gets, heads and deletes an object under the prefix; absent objects are undefined', async () => {
    const body = new Uint8Array(randomBytes(1000));
    await store.putObject('a/one', body);
    expect(Buffer.from((await store.getObject('a/one')) ?? [])).to.deep.equal(Buffer.from(body));
    expect((await store.headObject('a/one'))?.size).to.equal(1000);
    await store.deleteObject('a/one');
    expect(await store.getObject('a/one')).to.equal(undefined);
    expect(await store.headObject('a/one')).to.equal(undefined);
    await store.deleteObject('a/one');
  });

  it('lists keys relative to the prefix, only under the prefix asked for', async () => {
    for (let i = 0; i < 5; i += 1) await store.putObject(`list/k${i}`, new Uint8Array([i]));
    await store.putObject('other/k', new Uint8Array([9]));
    const keys = await toArray(store.listKeys('list/'));
    expect(keys.sort()).to.deep.equal(['list/k0', 'list/k1', 'list/k2', 'list/k3', 'list/k4']);
  });

  it('streams a multipart upload and reads it back whole and by byte range', async () => {
    const body = randomBytes(11 * 1024 * 1024 + 17);
    const chunks = (function* () {
      for (let at = 0; at < body.length; at += 1024 * 1024) yield body.subarray(at, at + 1024 * 1024);
    })();
    await store.uploadStream('big/object', chunks);
    expect((await store.headObject('big/object'))?.size).to.equal(body.length);
    const whole = await store.readObject('big/object');
    expect(whole).to.not.equal(undefined);
    expect((await readAll(whole as Readable)).equals(body)).to.equal(true);
    const range = await store.readObject('big/object', {
      start: 5 * 1024 * 1024 - 3,
      end: 5 * 1024 * 1024 + 2,
    });
    expect(await readAll(range as Readable)).to.deep.equal(
      body.subarray(5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 3),
    );
    expect(await store.readObject('big/absent')).to.equal(undefined);
  });

  it('an aborted upload leaves no object, and an interrupted one is listed as incomplete and can be aborted', async () => {
    const controller = new AbortController();
    const slow = (async function* () {
      yield randomBytes(5 * 1024 * 1024);
      controller.abort();
      yield randomBytes(5 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    })();
    const err = await store
      .uploadStream('aborted/x', slow, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ObjectStoreError);
    expect(await store.headObject('aborted/x')).to.equal(undefined);

    // A crashed writer: the upload was created and never completed or aborted.
    const crashed = await startDanglingUpload(server, 'unit/store/dangling/y');
    const incomplete = await toArray(store.listIncompleteUploads('dangling/'));
    expect(incomplete.map((u) => u.key)).to.deep.equal(['dangling/y']);
    expect(incomplete[0]?.uploadId).to.equal(crashed);
    expect(incomplete[0]?.initiated.getTime()).to.be.greaterThan(0);
    for (const upload of incomplete) await store.abortUpload(upload);
    expect(await toArray(store.listIncompleteUploads('dangling/'))).to.deep.equal([]);
  });

  it('reports a missing bucket as an ObjectStoreError with the S3 code', async () => {
    const missing = client.open({ bucket: 'no-such-bucket', prefix: '' });
    const err = await missing.putObject('k', new Uint8Array([1])).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ObjectStoreError);
    expect((err as ObjectStoreError).code).to.equal('NoSuchBucket');
  });
});

/** Starts a multipart upload and walks away, as a gateway killed mid-upload would. Returns its upload id. */
async function startDanglingUpload(server: TestS3Server, key: string): Promise<string> {
  const { S3Client, CreateMultipartUploadCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  const res = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'xborder-test', Key: key }));
  s3.destroy();
  return res.UploadId ?? '';
}
