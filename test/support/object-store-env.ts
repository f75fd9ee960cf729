// test/support/object-store-env: the variables that point a test deployment's processes at a test S3 server,
// with the one secret set a remote store requires (api.md §2). It names no bucket path: the test adds the
// XBORDER_*_STORE variables it is about.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestS3Server } from './s3-server.js';

export function objectStoreEnv(s3: TestS3Server, dataDir: string): Record<string, string> {
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
