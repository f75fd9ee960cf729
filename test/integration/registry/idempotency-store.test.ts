import { expect } from 'chai';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createIdempotencyStore, type IdempotencyStore } from '../../../registry/idempotency-store.js';
import { keys } from '../../../registry/keys.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const exporter = '91450100MA5KDEM11G';
/** Short leases keep the test quick; renewals come four times per lease, so a slow machine does not lose them. */
const leaseMs = 600;
const lapse = () => new Promise((resolve) => setTimeout(resolve, leaseMs + 100));

function ownerOf(state: Awaited<ReturnType<IdempotencyStore['claim']>>): string {
  if (state.state !== 'claimed') throw new Error(`expected a claim, got ${state.state}`);
  return state.owner;
}

describe('registry/idempotency-store (real Redis): claims are leases', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: IdempotencyStore;
  let n = 0;
  let key: string;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    store = createIdempotencyStore(redis, { leaseMs });
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(() => {
    key = `key-${(n += 1)}`;
  });

  it('gives a key to one request; another with the same key is told it is in progress, with the time left', async () => {
    ownerOf(await store.claim(exporter, key, 'digest-a'));
    const second = await store.claim(exporter, key, 'digest-a');
    expect(second.state).to.equal('in_progress');
    if (second.state !== 'in_progress') return;
    expect(second.manifestSha256).to.equal('digest-a');
    expect(second.retryAfterMs).to.be.within(1, leaseMs);
  });

  it('keeps a renewed claim past its lease, and frees an abandoned one after a lease (a crashed holder)', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'digest-a'));
    for (let i = 0; i < 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, leaseMs / 4));
      expect(await store.renew(exporter, key, owner)).to.equal(true);
    }
    expect((await store.claim(exporter, key, 'digest-a')).state).to.equal('in_progress');
    await lapse();
    const retry = ownerOf(await store.claim(exporter, key, 'digest-a'));
    expect(retry).to.not.equal(owner);
    // The old holder, back from a stall, has lost the key: it can neither renew, bind, complete nor release it.
    expect(await store.renew(exporter, key, owner)).to.equal(false);
    expect(await store.bind(exporter, key, owner, 'T-OLD')).to.equal(false);
    expect(await store.complete(exporter, key, owner, 'T-OLD')).to.equal(false);
    await store.release(exporter, key, owner);
    expect((await store.claim(exporter, key, 'digest-a')).state).to.equal('in_progress');
  });

  it('answers the bound transfer when its holder died after creating it', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'digest-a'));
    expect(await store.bind(exporter, key, owner, 'T-CREATED')).to.equal(true);
    await redis.hset(keys.transfer('T-CREATED'), 'id', 'T-CREATED');
    await lapse();
    expect(await store.claim(exporter, key, 'digest-a')).to.deep.equal({
      state: 'done',
      manifestSha256: 'digest-a',
      transferId: 'T-CREATED',
    });
  });

  it('frees the key when its holder died after binding an id but before creating the transfer', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'digest-a'));
    expect(await store.bind(exporter, key, owner, 'T-NEVER')).to.equal(true);
    await lapse();
    expect((await store.claim(exporter, key, 'digest-b')).state).to.equal('claimed');
  });

  it('answers a completed key with its transfer and keeps its manifest digest for the reuse check', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'digest-a'));
    expect(await store.complete(exporter, key, owner, 'T-1')).to.equal(true);
    await lapse();
    expect(await store.claim(exporter, key, 'digest-b')).to.deep.equal({
      state: 'done',
      manifestSha256: 'digest-a',
      transferId: 'T-1',
    });
    expect(await redis.ttl(keys.idempotency(exporter, key))).to.be.greaterThan(3600);
  });

  it('lets only the holder release a key', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'digest-a'));
    await store.release(exporter, key, 'someone-else');
    expect((await store.claim(exporter, key, 'digest-a')).state).to.equal('in_progress');
    await store.release(exporter, key, owner);
    expect((await store.claim(exporter, key, 'digest-a')).state).to.equal('claimed');
  });

  it('gives a fresh key, and a lapsed one, to exactly one of 50 concurrent requests', async () => {
    const fresh = await Promise.all(Array.from({ length: 50 }, () => store.claim(exporter, key, 'd')));
    expect(fresh.filter((s) => s.state === 'claimed')).to.have.length(1);
    await lapse();
    const lapsed = await Promise.all(Array.from({ length: 50 }, () => store.claim(exporter, key, 'd')));
    expect(lapsed.filter((s) => s.state === 'claimed')).to.have.length(1);
  });

  it('gives a lapsed key with a bound id that was never created to exactly one of 50 concurrent retries', async () => {
    const owner = ownerOf(await store.claim(exporter, key, 'd'));
    await store.bind(exporter, key, owner, 'T-GONE');
    await lapse();
    const states = await Promise.all(Array.from({ length: 50 }, () => store.claim(exporter, key, 'd')));
    expect(states.filter((s) => s.state === 'claimed')).to.have.length(1);
    expect(states.filter((s) => s.state === 'in_progress')).to.have.length(49);
  });
});
