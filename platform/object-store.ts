// platform/object-store: the one file that wraps the AWS SDK (@aws-sdk/client-s3, @aws-sdk/lib-storage) for an
// S3-compatible object store (design.md "Beyond one machine"). Must not know what it stores; SDK types and
// errors do not leave this file.
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Where the store answers; credentials default to the SDK's standard chain (AWS_ACCESS_KEY_ID, profiles, …). */
export interface ObjectStoreSettings {
  /** Undefined = AWS itself; set for Swift, Ceph RGW, MinIO and the like. */
  readonly endpoint?: string | undefined;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/** `s3://bucket/prefix` parsed: the bucket and the key prefix ('' or ending in '/'). */
export interface ObjectLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** A multipart upload that was started and neither completed nor aborted (a crashed writer's leftover). */
export interface IncompleteUpload {
  /** Relative to the store's prefix. */
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
}

export interface ObjectMetadata {
  readonly size: number;
  readonly lastModified: Date;
}

export interface UploadOptions {
  /** Aborts the multipart upload (its parts are discarded by the store). */
  readonly signal?: AbortSignal;
  /** Bytes per part, at least 5 MiB (the S3 minimum for every part but the last). */
  readonly partSize?: number;
}

/** Keys are relative to the store's prefix; the store never sees absolute keys from its callers. */
export interface ObjectStore {
  /** `s3://bucket/prefix`, for logs and /readyz (no credentials in it). */
  readonly location: string;
  putObject(key: string, body: Uint8Array): Promise<void>;
  /** Undefined when the object does not exist. */
  getObject(key: string): Promise<Uint8Array | undefined>;
  headObject(key: string): Promise<ObjectMetadata | undefined>;
  /**
   * A stream of the object's bytes, optionally of `[start, end]` inclusive (RFC 9110 §14.1.2 byte ranges);
   * undefined when the object does not exist.
   */
  readObject(key: string, range?: { start: number; end?: number }): Promise<Readable | undefined>;
  /** Deleting an absent object is not an error (S3 semantics). */
  deleteObject(key: string): Promise<void>;
  listKeys(prefix: string): AsyncIterable<string>;
  /**
   * Streams `body` as a multipart upload (one PUT when it fits in one part). The object appears only when the
   * upload completes; a crash before that leaves an incomplete upload for `listIncompleteUploads` to find.
   */
  uploadStream(
    key: string,
    body: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options?: UploadOptions,
  ): Promise<void>;
  listIncompleteUploads(prefix: string): AsyncIterable<IncompleteUpload>;
  abortUpload(upload: IncompleteUpload): Promise<void>;
}

export interface ObjectStoreClient {
  /** Creating a bucket that already exists and is ours succeeds. */
  createBucket(name: string): Promise<void>;
  open(location: ObjectLocation): ObjectStore;
  close(): void;
}

/** Any failure of the object store, with the S3 error code when the server gave one (SDK errors stay here). */
export class ObjectStoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

const minPartSize = 5 * 1024 * 1024;

/** Parses `s3://bucket[/prefix]`; null when it is not such a URL (config.ts names the variable). */
export function parseObjectLocation(raw: string): ObjectLocation | null {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(raw);
  if (match?.[1] === undefined) return null;
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) return null;
  return { bucket: match[1], prefix: prefix === '' ? '' : `${prefix}/` };
}

function errorStatus(err: unknown): number | undefined {
  if (err instanceof S3ServiceException) return err.$metadata.httpStatusCode;
  return undefined;
}

function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404;
}

function wrap(operation: string, key: string, err: unknown): ObjectStoreError {
  if (err instanceof ObjectStoreError) return err;
  const code = err instanceof Error ? err.name : 'Unknown';
  const message = err instanceof Error ? err.message : String(err);
  return new ObjectStoreError(
    `object store ${operation} ${key}: ${code}: ${message}`,
    code,
    errorStatus(err),
  );
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  }
  throw new ObjectStoreError('object store returned a body that is not a stream', 'BadBody', undefined);
}

export function createObjectStoreClient(settings: ObjectStoreSettings): ObjectStoreClient {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    // Checksums only where S3 requires them: the default CRC32 trailers (aws-chunked uploads) are not spoken by
    // every S3-compatible server (Swift's s3api, older Ceph); payloads carry their own AEAD tags anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  const open = (location: ObjectLocation): ObjectStore => {
    const { bucket, prefix } = location;
    const full = (key: string): string => `${prefix}${key}`;
    const relative = (key: string): string => key.slice(prefix.length);

    return {
      location: `s3://${bucket}/${prefix}`,
      async putObject(key, body) {
        try {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: full(key), Body: body }));
        } catch (err) {
          throw wrap('put', key, err);
        }
      },
      async getObject(key) {
        try {
          const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
          return await collect(res.Body);
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw wrap('get', key, err);
        }
      },
      async headObject(key) {
        try {
          const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: full(key) }));
          return { size: res.ContentLength ?? 0, lastModified: res.LastModified ?? new Date(0) };
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw wrap('head', key, err);
        }
      },
      async readObject(key, range) {
        try {
          const res = await client.send(
            new GetObjectCommand({
              Bucket: bucket,
              Key: full(key),
              ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end ?? ''}` }),
            }),
          );
          if (!(res.Body instanceof Readable)) {
            throw new ObjectStoreError(
              'object store returned a body that is not a stream',
              'BadBody',
              undefined,
            );
          }
          return res.Body;
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw wrap('read', key, err);
        }
      },
      async deleteObject(key) {
        try {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: full(key) }));
        } catch (err) {
          if (isNotFound(err)) return;
          throw wrap('delete', key, err);
        }
      },
      async *listKeys(keyPrefix) {
        let token: string | undefined;
        do {
          let page;
          try {
            page = await client.send(
              new ListObjectsV2Command({
                Bucket: bucket,
                Prefix: full(keyPrefix),
                ...(token === undefined ? {} : { ContinuationToken: token }),
              }),
            );
          } catch (err) {
            throw wrap('list', keyPrefix, err);
          }
          for (const entry of page.Contents ?? []) if (entry.Key !== undefined) yield relative(entry.Key);
          token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
      },
      async uploadStream(key, body, options = {}) {
        const upload = new Upload({
          client,
          params: {
            Bucket: bucket,
            Key: full(key),
            Body: body instanceof Readable ? body : Readable.from(body),
          },
          partSize: Math.max(options.partSize ?? minPartSize, minPartSize),
          // Two parts in flight bound memory to 2 × partSize per upload whatever the payload size.
          queueSize: 2,
          // On an error lib-storage aborts the upload itself; after a crash the sweeper does.
          leavePartsOnError: false,
        });
        const onAbort = (): void => void upload.abort().catch(() => undefined);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          if (options.signal?.aborted === true)
            throw new ObjectStoreError('upload aborted', 'Aborted', undefined);
          await upload.done();
        } catch (err) {
          throw wrap('upload', key, err);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
        }
      },
      async *listIncompleteUploads(keyPrefix) {
        let keyMarker: string | undefined;
        let uploadIdMarker: string | undefined;
        for (;;) {
          let page;
          try {
            page = await client.send(
              new ListMultipartUploadsCommand({
                Bucket: bucket,
                Prefix: full(keyPrefix),
                ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
                ...(uploadIdMarker === undefined ? {} : { UploadIdMarker: uploadIdMarker }),
              }),
            );
          } catch (err) {
            throw wrap('list-uploads', keyPrefix, err);
          }
          for (const upload of page.Uploads ?? []) {
            if (upload.Key === undefined || upload.UploadId === undefined) continue;
            yield {
              key: relative(upload.Key),
              uploadId: upload.UploadId,
              initiated: upload.Initiated ?? new Date(0),
            };
          }
          if (page.IsTruncated !== true) return;
          keyMarker = page.NextKeyMarker;
          uploadIdMarker = page.NextUploadIdMarker;
        }
      },
      async abortUpload(upload) {
        try {
          await client.send(
            new AbortMultipartUploadCommand({
              Bucket: bucket,
              Key: full(upload.key),
              UploadId: upload.uploadId,
            }),
          );
        } catch (err) {
          // Already completed or aborted by another sweeper: nothing left to free.
          if (err instanceof S3ServiceException && err.name === 'NoSuchUpload') return;
          throw wrap('abort-upload', upload.key, err);
        }
      },
    };
  };

  return {
    async createBucket(name) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (err) {
        if (err instanceof S3ServiceException && err.name === 'BucketAlreadyOwnedByYou') return;
        throw wrap('create-bucket', name, err);
      }
    },
    open,
    close: () => client.destroy(),
  };
}
