import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../platform/config.js';

describe('platform/config', () => {
  it('applies the api.md §2 defaults and resolves the data dir against cwd', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.redisUrl).to.equal('redis://127.0.0.1:6379');
    expect(config.httpPort).to.equal(8080);
    expect(config.metricsPort).to.equal(9464);
    expect(config.receiverPort).to.equal(8443);
    expect(config.dataDir).to.equal('/srv/app/.xborder');
    expect(config.policyDir).to.equal('/srv/app/policies');
    expect(config.trustDir).to.equal('/srv/app/.xborder/pki/trust');
    expect(config.authIssuer).to.equal('xborder-dev');
    expect(config.authAudience).to.equal('xborder');
    expect(config.maxPayloadBytes).to.equal(1073741824);
    expect(config.masterKey).to.equal(undefined);
    expect(config.logLevel).to.equal('info');
  });

  it('says whether XBORDER_REDIS_URL was set, so xborder start may use a non-empty database only then', () => {
    expect(loadConfig({}, '/srv/app').redisUrlExplicit).to.equal(false);
    expect(loadConfig({ XBORDER_REDIS_URL: '' }, '/srv/app').redisUrlExplicit).to.equal(false);
    expect(loadConfig({ XBORDER_REDIS_URL: 'redis://127.0.0.1:6379' }, '/srv/app').redisUrlExplicit).to.equal(
      true,
    );
  });

  it('reads the notification settings (api.md §11): webhook retries and the review SLA in hours', () => {
    const defaults = loadConfig({}, '/srv/app');
    expect(defaults.webhookAttempts).to.equal(8);
    expect(defaults.webhookBackoffMs).to.equal(5000);
    expect(defaults.reviewSlaMs).to.equal(24 * 3_600_000);
    expect(defaults.notifySweepMs).to.equal(60_000);
    expect(loadConfig({ XBORDER_REVIEW_SLA_HOURS: '0.5' }, '/srv/app').reviewSlaMs).to.equal(1_800_000);
    for (const bad of ['0', '-1', 'abc', '1e3', '9000'])
      expect(() => loadConfig({ XBORDER_REVIEW_SLA_HOURS: bad }, '/srv/app'), bad)
        .to.throw(ConfigError)
        .with.property('variable', 'XBORDER_REVIEW_SLA_HOURS');
    expect(() => loadConfig({ XBORDER_WEBHOOK_ATTEMPTS: '0' }, '/srv/app'))
      .to.throw(ConfigError)
      .with.property('variable', 'XBORDER_WEBHOOK_ATTEMPTS');
  });

  it('is frozen', () => {
    const config = loadConfig({}, '/srv/app');
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.tls)).to.equal(true);
  });

  const bad: [string, string][] = [
    ['XBORDER_HTTP_PORT', 'eighty'],
    ['XBORDER_HTTP_PORT', '70000'],
    ['XBORDER_REDIS_URL', 'http://localhost:6379'],
    ['XBORDER_REDIS_URL', 'not a url'],
    ['XBORDER_MAX_PAYLOAD_BYTES', '-1'],
    ['XBORDER_MASTER_KEY', Buffer.alloc(16).toString('base64')],
    ['XBORDER_LOG_LEVEL', 'verbose'],
    ['XBORDER_AUTH_JWKS', 'http://insecure.example/jwks.json'],
    ['XBORDER_ENDPOINT_ALLOWED_NETS', '127.0.0.1/8'],
    ['XBORDER_ENDPOINT_ALLOWED_NETS', '10.0.0.0/33'],
    ['XBORDER_ENDPOINT_ALLOWED_NETS', '127.0.0.0/8,'],
    ['XBORDER_ENDPOINT_ALLOWED_NETS', 'localhost'],
  ];
  for (const [variable, value] of bad) {
    it(`stops at boot naming ${variable} when it is "${value}"`, () => {
      expect(() => loadConfig({ [variable]: value }, '/srv/app'))
        .to.throw(ConfigError)
        .with.property('variable', variable);
    });
  }

  it('parses XBORDER_ENDPOINT_ALLOWED_NETS once into networks; none by default', () => {
    expect(loadConfig({}, '/').endpointAllowedNets).to.deep.equal([]);
    const nets = loadConfig(
      { XBORDER_ENDPOINT_ALLOWED_NETS: '127.0.0.0/8, fd00::/8,10.1.2.3' },
      '/',
    ).endpointAllowedNets;
    expect(nets.map((n) => [n.text, n.family, n.prefix])).to.deep.equal([
      ['127.0.0.0/8', 4, 8],
      ['fd00::/8', 6, 8],
      ['10.1.2.3', 4, 32],
    ]);
  });

  it('accepts port 0 as "pick a free port"', () => {
    expect(loadConfig({ XBORDER_HTTP_PORT: '0' }, '/').httpPort).to.equal(0);
  });
});

describe('docs/configuration.md', () => {
  it('documents every variable platform/config.ts reads, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const read = new Set(readFileSync('platform/config.ts', 'utf8').match(/XBORDER_[A-Z0-9_]+/g));
    const documented = new Set(
      [...readFileSync('docs/configuration.md', 'utf8').matchAll(/^\|\s*`(XBORDER_[A-Z0-9_]+)`\s*\|/gm)].map(
        (m) => m[1],
      ),
    );
    expect([...documented].sort()).to.deep.equal([...read].sort());
  });
});

describe('platform/config: Redis Sentinel', () => {
  it('reads the sentinels and the master name together', () => {
    const config = loadConfig(
      {
        XBORDER_REDIS_SENTINELS: 'redis-a:26379, 10.0.0.2:26380,[::1]:26381',
        XBORDER_REDIS_SENTINEL_MASTER: 'xborder',
      },
      '/',
    );
    expect(config.redisSentinels).to.deep.equal({
      master: 'xborder',
      nodes: [
        { host: 'redis-a', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
    });
    expect(loadConfig({}, '/').redisSentinels).to.equal(null);
  });

  const bad: [Record<string, string>, string][] = [
    [{ XBORDER_REDIS_SENTINELS: 'a:1' }, 'XBORDER_REDIS_SENTINEL_MASTER'],
    [{ XBORDER_REDIS_SENTINEL_MASTER: 'm' }, 'XBORDER_REDIS_SENTINELS'],
    [{ XBORDER_REDIS_SENTINELS: 'no-port', XBORDER_REDIS_SENTINEL_MASTER: 'm' }, 'XBORDER_REDIS_SENTINELS'],
    [{ XBORDER_REDIS_SENTINELS: 'a:70000', XBORDER_REDIS_SENTINEL_MASTER: 'm' }, 'XBORDER_REDIS_SENTINELS'],
  ];
  for (const [env, variable] of bad) {
    it(`stops at boot naming ${variable} for ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env, '/'))
        .to.throw(ConfigError)
        .with.property('variable', variable);
    });
  }
});

describe('platform/config: key prefixes and Redis Cluster', () => {
  it('keeps xb and bull by default, and uses the hash tags {xb} and {xborder} on a cluster', () => {
    const single = loadConfig({}, '/');
    expect([single.redisPrefix, single.queuePrefix, single.redisClusterNodes]).to.deep.equal([
      'xb',
      'bull',
      [],
    ]);
    const cluster = loadConfig({ XBORDER_REDIS_CLUSTER_NODES: 'redis-a:7000,10.0.0.2:7001,[::1]:7002' }, '/');
    expect([cluster.redisPrefix, cluster.queuePrefix]).to.deep.equal(['{xb}', '{xborder}']);
    expect(cluster.redisClusterNodes).to.deep.equal([
      { host: 'redis-a', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('takes prefixes as given', () => {
    const config = loadConfig(
      {
        XBORDER_REDIS_CLUSTER_NODES: 'a:7000',
        XBORDER_REDIS_PREFIX: 'gx-{xb}',
        XBORDER_QUEUE_PREFIX: '{xborder}',
      },
      '/',
    );
    expect([config.redisPrefix, config.queuePrefix]).to.deep.equal(['gx-{xb}', '{xborder}']);
  });

  const bad: [Record<string, string>, string][] = [
    [{ XBORDER_REDIS_PREFIX: 'xb:records' }, 'XBORDER_REDIS_PREFIX'],
    [{ XBORDER_QUEUE_PREFIX: 'bull queue' }, 'XBORDER_QUEUE_PREFIX'],
    // Without a hash tag a cluster would spread one script's keys over slots: refused at start.
    [{ XBORDER_REDIS_CLUSTER_NODES: 'a:7000', XBORDER_REDIS_PREFIX: 'xb' }, 'XBORDER_REDIS_PREFIX'],
    [{ XBORDER_REDIS_CLUSTER_NODES: 'a:7000', XBORDER_QUEUE_PREFIX: '{}' }, 'XBORDER_QUEUE_PREFIX'],
    [{ XBORDER_REDIS_CLUSTER_NODES: 'a' }, 'XBORDER_REDIS_CLUSTER_NODES'],
    [
      {
        XBORDER_REDIS_CLUSTER_NODES: 'a:7000',
        XBORDER_REDIS_SENTINELS: 'b:1',
        XBORDER_REDIS_SENTINEL_MASTER: 'm',
      },
      'XBORDER_REDIS_CLUSTER_NODES',
    ],
    [{ XBORDER_REDIS_CLUSTER_NODES: 'a:7000', XBORDER_REDIS_URL: 'redis://a:7000/2' }, 'XBORDER_REDIS_URL'],
  ];
  for (const [env, variable] of bad) {
    it(`stops at boot naming ${variable} for ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env, '/'))
        .to.throw(ConfigError)
        .with.property('variable', variable);
    });
  }
});
