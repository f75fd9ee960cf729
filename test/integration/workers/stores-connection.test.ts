// workers/stores-connection on a real Redis: commands issued together leave in one socket write, and the
// stores behave over it as over a plain connection — a Lua transition is still atomic, a script Redis has
// forgotten is loaded again, a MULTI still applies whole.
import { expect } from 'chai';
import { createRedis, type Redis } from '../../../platform/redis.js';
import { createId } from '../../../platform/ids.js';
import { keys } from '../../../registry/keys.js';
import { createTransferStore } from '../../../registry/transfer-store.js';
import type { TransferCore } from '../../../registry/transfer.js';
import { openStoresConnection } from '../../../workers/stores-connection.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

function core(id: string): TransferCore {
  return {
    id,
    exporterId: '91450100MA5KDEM11G',
    submittedBy: 'alice',
    createdAt: new Date().toISOString(),
    manifest: {} as TransferCore['manifest'],
    classification: { tier: 'exempt' } as TransferCore['classification'],
    inspection: { bytes: 1, sha256: 'ab'.repeat(32) } as unknown as TransferCore['inspection'],
  };
}

/** Counts the writes on the connection's socket while `run` goes. */
async function socketWrites(connection: Redis, run: () => Promise<unknown>): Promise<number> {
  const stream = connection.stream;
  const original = stream.write.bind(stream);
  let writes = 0;
  stream.write = ((...args: Parameters<typeof stream.write>) => {
    writes += 1;
    return original(...args);
  }) as typeof stream.write;
  try {
    await run();
    return writes;
  } finally {
    stream.write = original;
  }
}

describe('workers/stores-connection (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let connection: Redis;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    connection = openStoresConnection(redis);
    await connection.ping();
  });
  after(async () => {
    connection.disconnect();
    redis.disconnect();
    await server.stop();
  });

  it('sends twenty reads issued together in one socket write, each answered with its own value', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `stores-connection:${i}`);
    await redis.mset(...names.flatMap((name, i) => [name, String(i)]));
    let values: (string | null)[] = [];
    const writes = await socketWrites(connection, async () => {
      values = await Promise.all(names.map((name) => connection.get(name)));
    });
    expect(writes).to.equal(1);
    expect(values).to.deep.equal(names.map((_, i) => String(i)));
  });

  it('keeps a transition atomic: of two moving one transfer out of checking at once, one wins', async () => {
    const store = createTransferStore(connection);
    const id = createId(new Date());
    await store.create(core(id), 'checking', []);
    const now = new Date();
    const results = await Promise.all([
      store.transition(id, ['checking'], 'releasing', now),
      store.transition(id, ['checking'], 'held', now),
    ]);
    expect(results.filter((r) => r.ok)).to.have.length(1);
    const record = await store.get(id);
    expect(record?.status).to.equal(results[0]?.ok === true ? 'releasing' : 'held');
    expect(await redis.zscore(keys.transfersByStatus('checking'), id)).to.equal(null);
  });

  it('loads a script again when Redis has forgotten it (SCRIPT FLUSH) while other commands share the write', async () => {
    const store = createTransferStore(connection);
    const id = createId(new Date());
    await store.create(core(id), 'checking', []);
    await redis.script('FLUSH');
    const [moved, record] = await Promise.all([
      store.transition(id, ['checking'], 'releasing', new Date()),
      connection.hget(keys.transfer(id), 'id'),
    ]);
    expect(moved.ok).to.equal(true);
    expect(record).to.equal(id);
    expect((await store.get(id))?.status).to.equal('releasing');
  });
});
