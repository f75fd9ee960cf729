// test/support/s3-deployment: a test deployment whose processes keep their stores in a test S3 server (Swift with
// s3api), with the one secret set a remote store requires (api.md §2), and a client on that server for the test
// to look inside. It registers nothing: see registered-gateway.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  createObjectStoreClient,
  parseObjectLocation,
  type ObjectStoreClient,
} from '../../platform/object-store.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { startS3Server, type TestS3Server } from './s3-server.js';
import { createTestDeployment, roles, type TestDeployment } from './test-deployment.js';

export interface S3DeploymentOptions {
  readonly partner: string;
  readonly dataDirPrefix: string;
  /** Store variables and their `s3://bucket/prefix` values (XBORDER_PAYLOAD_STORE, …); each bucket is made. */
  readonly stores: Readonly<Record<string, string>>;
}

/** What a process on the test server needs beside its stores: the endpoint, credentials and one secret set. */
function s3Env(s3: TestS3Server, dataDir: string): Record<string, string> {
  const pki = path.join(dataDir, 'pki', 'gateway');
  return {
    XBORDER_S3_ENDPOINT: s3.endpoint,
    XBORDER_S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    // One secret set: with a remote store the master key and signing identity must be given (api.md §2).
    XBORDER_MASTER_KEY: randomBytes(32).toString('base64'),
    XBORDER_SIGNING_KEY: path.join(pki, 'signing.key'),
    XBORDER_SIGNING_CERT: path.join(pki, 'signing-chain.pem'),
  };
}

/**
 * The configuration of a role run inside the test process on the test server: `env` (with its stores) and the
 * signing identity of `dataDir`'s development PKI. A process takes the credentials from AWS_* in its environment;
 * this one is given them in the configuration, leaving the test's environment alone.
 */
export function s3Config(s3: TestS3Server, dataDir: string, env: Readonly<Record<string, string>>): Config {
  const loaded = loadConfig({ ...env, ...s3Env(s3, dataDir) });
  const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  return Object.freeze({ ...loaded, objectStore: { ...loaded.objectStore, credentials } });
}

/** Starts the S3 server and every role against it; on a failure stops what started and throws. */
export async function startS3Deployment(
  options: S3DeploymentOptions,
): Promise<{ readonly s3: TestS3Server; readonly deployment: TestDeployment }> {
  const [s3, deployment] = await Promise.all([
    startS3Server(),
    createTestDeployment({ partner: options.partner, dataDirPrefix: options.dataDirPrefix }),
  ]);
  try {
    for (const url of Object.values(options.stores)) {
      const bucket = parseObjectLocation(url)?.bucket;
      if (bucket === undefined) throw new Error(`not an s3:// store: ${url}`);
      await s3.createBucket(bucket);
    }
    const env = { ...options.stores, ...s3Env(s3, deployment.dataDir) };
    await Promise.all(roles.map((role) => deployment.start(role, env)));
    return { s3, deployment };
  } catch (err) {
    await deployment.stop();
    await s3.stop();
    throw err;
  }
}

/** A client on the test server, path-style as Swift's s3api wants; the caller closes it. */
export function s3ClientFor(s3: TestS3Server): ObjectStoreClient {
  return createObjectStoreClient({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}
