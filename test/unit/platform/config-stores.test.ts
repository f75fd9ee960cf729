import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../platform/config.js';

const secrets = {
  XBORDER_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  XBORDER_SIGNING_KEY: '/etc/xborder/signing.key',
  XBORDER_SIGNING_CERT: '/etc/xborder/signing-chain.pem',
};

describe('platform/config: payload and ledger stores', () => {
  it('keeps both stores on files by default, with the object store on AWS defaults', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.payloadStore).to.deep.equal({ kind: 'file' });
    expect(config.ledgerStore).to.deep.equal({ kind: 'file' });
    expect(config.objectStore).to.deep.equal({ region: 'us-east-1', forcePathStyle: false });
  });

  it('parses s3://bucket/prefix and path-style addressing when an endpoint is set', () => {
    const config = loadConfig(
      {
        ...secrets,
        XBORDER_PAYLOAD_STORE: 's3://xborder-prod/payloads',
        XBORDER_LEDGER_STORE: 's3://xborder-prod/ledger/',
        XBORDER_S3_ENDPOINT: 'https://objects.internal:8080',
        XBORDER_S3_REGION: 'cn-south-1',
      },
      '/',
    );
    expect(config.payloadStore).to.deep.equal({ kind: 's3', bucket: 'xborder-prod', prefix: 'payloads/' });
    expect(config.ledgerStore).to.deep.equal({ kind: 's3', bucket: 'xborder-prod', prefix: 'ledger/' });
    expect(config.objectStore).to.deep.equal({
      endpoint: 'https://objects.internal:8080',
      region: 'cn-south-1',
      forcePathStyle: true,
    });
    expect(
      loadConfig({ XBORDER_S3_ENDPOINT: 'http://127.0.0.1:9000', XBORDER_S3_FORCE_PATH_STYLE: 'false' }, '/')
        .objectStore.forcePathStyle,
    ).to.equal(false);
  });

  const bad: [string, string][] = [
    ['XBORDER_PAYLOAD_STORE', 'disk'],
    ['XBORDER_PAYLOAD_STORE', 's3://Upper/x'],
    ['XBORDER_LEDGER_STORE', 'https://bucket/x'],
    ['XBORDER_S3_ENDPOINT', 'ftp://objects'],
    ['XBORDER_S3_ENDPOINT', 'not a url'],
    ['XBORDER_S3_REGION', 'US East'],
    ['XBORDER_S3_FORCE_PATH_STYLE', 'yes'],
  ];
  for (const [variable, value] of bad) {
    it(`stops at boot naming ${variable} when it is "${value}"`, () => {
      expect(() => loadConfig({ ...secrets, [variable]: value }, '/'))
        .to.throw(ConfigError)
        .with.property('variable', variable);
    });
  }
});

describe('platform/config: one secret set when a store is remote (api.md §2)', () => {
  for (const store of ['XBORDER_PAYLOAD_STORE', 'XBORDER_LEDGER_STORE']) {
    for (const missing of Object.keys(secrets)) {
      it(`refuses ${store}=s3://… without ${missing}, naming ${missing} (no per-host generation)`, () => {
        const env: Record<string, string> = { ...secrets, [store]: 's3://xborder/x' };
        delete env[missing];
        expect(() => loadConfig(env, '/'))
          .to.throw(ConfigError, store)
          .with.property('variable', missing);
      });
    }
  }

  it('accepts a remote store with the whole secret set, and file stores without it', () => {
    expect(loadConfig({ ...secrets, XBORDER_PAYLOAD_STORE: 's3://xborder/p' }, '/').masterKey).to.equal(
      secrets.XBORDER_MASTER_KEY,
    );
    expect(
      loadConfig({ XBORDER_PAYLOAD_STORE: 'file', XBORDER_LEDGER_STORE: 'file' }, '/').masterKey,
    ).to.equal(undefined);
  });
});
