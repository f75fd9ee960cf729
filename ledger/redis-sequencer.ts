// ledger/redis-sequencer: exactly one sequencer among many processes sharing one ledger directory on one machine.
//
// Design. Producers (any process) XADD {id, leaf} to the stream <prefix>:pending and wait. One process holds the
// lease <prefix>:lease (sequencer-lease.ts: SET NX PX under a fresh epoch, renewed every leaseMs/3); it opens the
// store for writing fenced by that epoch (write-fence.ts), reads the stream from its cursor in batches (XREAD BLOCK),
// drops ids already integrated (MGET <prefix>:done:<id>), appends the rest in one group commit (fsync), and then
// publishIntegrated (Lua, fenced by the lease value — epoch and owner — and expected size) sets done keys, advances size and cursor, trims
// the stream and PUBLISHes [[id, index, duplicate], ...] on <prefix>:integrated.
// Waiting: each process has one subscriber; a producer's promise settles on the pub/sub message, with a poll of
// the done keys every pollMs as the fallback for messages missed while disconnected; it fails with TIMEOUT after
// timeoutMs (the event stays queued; retrying with the same id is safe).
// Crashes. Holder dies → its lease expires → another candidate takes it with a higher epoch, recovers the store (torn tail cut) and reconciles: entries on disk past the acknowledged size (fsynced but not published)
// are published from the ids inside their leaves, so when their stream entries are read again the done keys
// make them no-ops. Hence no gaps (size only moves with the disk) and no duplicates (integration is idempotent by
// event id while its done key lives). A paused holder that lost its lease stops before writing (local lease
// deadline with a safety margin), its store refuses writes once a newer epoch opened it, and its publish is
// refused by the fence (the lease value carries the epoch).
// Done keys expire, so Redis holds only the ids that may still come again, not one key per event ever written:
// a caller's own id (a retry repeats it) for retentionMs; an id the ledger made up for one submission (`once`,
// flagged in its stream entry) only while its producer may wait (onceRetentionMs), since nobody submits it again
// and its stream entry is behind the cursor once the key is set (a copy ioredis resends after a reconnect sits
// right behind it in the stream). Reconciled ids get retentionMs whatever their kind: their stream entries are
// still ahead of the cursor, and the next holder may read them much later.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { duplicateRedis, type Redis } from '../platform/redis.js';
import { readEventId } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import { openLedgerStore } from './ledger-store.js';
import { loadLuaScript } from '../platform/lua-script.js';
import { createSequencerLease } from './sequencer-lease.js';
import type { Sequenced, Sequencer, SequencerItem, SequencerStore } from './sequencer.js';
import type { WriteFence } from './write-fence.js';

export interface RedisSequencerOptions {
  /** The ledger directory, on a filesystem every process of this machine shares (unless `openStore` is given). */
  readonly dir: string;
  /** Opens the store the sequencer writes, fenced by its lease term; default: the file store in `dir`. */
  readonly openStore?: (fence: WriteFence) => Promise<SequencerStore>;
  /** Command connection (platform/redis createRedis); the sequencer duplicates it for pub/sub and blocking reads. */
  readonly redis: Redis;
  /** Key prefix; keep a {hash tag} so the Lua scripts' keys share one Redis Cluster slot. */
  readonly prefix?: string;
  /** Lease time-to-live; a dead holder is replaced after at most this long. */
  readonly leaseMs?: number;
  /** Most stream entries integrated in one group commit. */
  readonly batchMax?: number;
  /** Fallback poll period of waiting producers. */
  readonly pollMs?: number;
  /** A submit() not acknowledged within this fails with TIMEOUT. */
  readonly timeoutMs?: number;
  /** How long a caller's event id → index is kept: the window in which a retried id is recognised. */
  readonly retentionMs?: number;
  /**
   * How long the index of a `once` id (made up by the ledger, never retried) is kept: past the producer's
   * timeoutMs, so its poll fallback still finds it.
   */
  readonly onceRetentionMs?: number;
  /** Whether this process may become the sequencer (false: produce and read only). */
  readonly candidate?: boolean;
  readonly owner?: string;
  /** Background failures (Redis trouble, a corrupt store); default: ignored. */
  readonly onError?: (err: unknown) => void;
}

interface Waiter {
  readonly resolve: (answer: Sequenced) => void;
  readonly reject: (err: unknown) => void;
  readonly since: number;
  readonly deadline: number;
}

/** [event id, index, 1 if it had been integrated before] — one element of a pub/sub acknowledgement. */
type Ack = [string, number, 0 | 1];

interface StreamEntry {
  readonly streamId: string;
  readonly id: string;
  readonly leaf: Buffer;
  readonly once: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const RECONCILE_CHUNK = 1000;
const POLL_CHUNK = 500;

export function createRedisSequencer(options: RedisSequencerOptions): Sequencer {
  const { dir, redis } = options;
  const prefix = options.prefix ?? 'xborder:{ledger}';
  const leaseMs = options.leaseMs ?? 10_000;
  const batchMax = options.batchMax ?? 1000;
  const pollMs = options.pollMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retentionMs = options.retentionMs ?? DAY_MS;
  const onceRetentionMs = options.onceRetentionMs ?? 2 * timeoutMs;
  const candidate = options.candidate ?? true;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const onError = options.onError ?? (() => undefined);
  // XREAD blocks at most this long, so a leader re-checks its lease several times per lease period.
  const blockMs = Math.max(10, Math.min(1000, Math.floor(leaseMs / 4)));
  // Stop writing this long before the lease would lapse: room for one batch's write + fsync.
  const safetyMs = Math.max(50, Math.floor(leaseMs / 5));
  const keys = {
    pending: `${prefix}:pending`,
    lease: `${prefix}:lease`,
    state: `${prefix}:state`,
    channel: `${prefix}:integrated`,
    done: (id: string): string => `${prefix}:done:${id}`,
  };

  const lease = createSequencerLease({ redis, key: keys.lease, token: owner, ttlMs: leaseMs, safetyMs });
  const openStore = options.openStore ?? ((fence: WriteFence) => openLedgerStore(dir, { fence }));
  const publishIntegrated = loadLuaScript(redis, 'ledger/scripts/publish-integrated.lua');

  let closed = false;
  const listeners: ((size: number) => void)[] = [];

  // ---- producers: queue, then wait for the acknowledgement --------------------------------------------------

  const waiting = new Map<string, Waiter[]>();
  const settle = (id: string, index: number, duplicate: boolean | undefined): void => {
    const waiters = waiting.get(id);
    if (waiters === undefined) return;
    waiting.delete(id);
    for (const w of waiters) w.resolve({ index, duplicate });
  };

  const subscriber = duplicateRedis(redis);
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.channel) return;
    let pairs: unknown;
    try {
      pairs = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(pairs)) return;
    for (const pair of pairs as unknown[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number')
        settle(pair[0], pair[1], pair[2] === 1);
    }
  });
  const subscribed = subscriber.subscribe(keys.channel);
  subscribed.catch(onError);

  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling || waiting.size === 0) return;
    polling = true;
    try {
      const t = Date.now();
      const due = [...waiting].filter(([, ws]) => ws.some((w) => t - w.since >= pollMs)).map(([id]) => id);
      for (let i = 0; i < due.length; i += POLL_CHUNK) {
        const chunk = due.slice(i, i + POLL_CHUNK);
        const values = await redis.mget(...chunk.map(keys.done));
        values.forEach((v, k) => {
          if (v !== null) settle(chunk[k] as string, Number(v), undefined);
        });
      }
      for (const [id, ws] of waiting) {
        const expired = ws.filter((w) => w.deadline <= t);
        if (expired.length === 0) continue;
        const rest = ws.filter((w) => w.deadline > t);
        if (rest.length > 0) waiting.set(id, rest);
        else waiting.delete(id);
        const err = new LedgerError(
          'TIMEOUT',
          `event ${id} was not acknowledged within ${timeoutMs} ms; retry with the same id`,
        );
        for (const w of expired) w.reject(err);
      }
    } catch (err) {
      onError(err);
    } finally {
      polling = false;
    }
  };
  const pollTimer = setInterval(() => void poll(), pollMs);
  pollTimer.unref();

  async function submit(items: readonly SequencerItem[]): Promise<Sequenced[]> {
    if (closed) throw new LedgerError('CLOSED', 'the sequencer is closed');
    // Subscribed before queueing, so the acknowledgement cannot be published before we listen.
    await subscribed;
    const t = Date.now();
    const answers = items.map(
      (item) =>
        new Promise<Sequenced>((resolve, reject) => {
          const list = waiting.get(item.id) ?? [];
          list.push({ resolve, reject, since: t, deadline: t + timeoutMs });
          waiting.set(item.id, list);
        }),
    );
    const pipeline = redis.pipeline();
    for (const item of items) {
      if (item.once === true) pipeline.xadd(keys.pending, '*', 'id', item.id, 'leaf', item.leaf, 'once', '1');
      else pipeline.xadd(keys.pending, '*', 'id', item.id, 'leaf', item.leaf);
    }
    const results = await pipeline.exec().catch((err: unknown) => [[err, null] as [unknown, unknown]]);
    const failed = (results ?? [[new Error('pipeline discarded'), null]]).find(([err]) => err !== null)?.[0];
    if (failed !== undefined) {
      const err = new LedgerError('TIMEOUT', 'could not queue the event in Redis; retry with the same id', {
        cause: failed,
      });
      for (const item of items) {
        const ws = waiting.get(item.id);
        waiting.delete(item.id);
        for (const w of ws ?? []) w.reject(err);
      }
    }
    return Promise.all(answers);
  }

  // ---- the sequencer: lease, recovery, batches -----------------------------------------------------------------

  let sequencing = false;
  let leading: Promise<void> | undefined;
  let blocking: Redis | undefined;
  let cooldownUntil = 0;
  let ticking = false;

  const holding = (): boolean => !closed && lease.holding();

  async function tick(): Promise<void> {
    if (closed || ticking) return;
    ticking = true;
    try {
      if (leading !== undefined) {
        await lease.renew();
      } else if (candidate && Date.now() >= cooldownUntil) {
        const epoch = await lease.tryAcquire();
        if (epoch !== undefined) {
          leading = lead(epoch).finally(() => {
            leading = undefined;
          });
        }
      }
    } catch (err) {
      onError(err);
    } finally {
      ticking = false;
    }
  }
  const electionTimer = setInterval(() => void tick(), Math.max(10, Math.floor(leaseMs / 3)));
  electionTimer.unref();
  void tick();

  /**
   * Publishes durable entries, `fresh` as [event id, index, how long its done key is kept (ms)]; false when the
   * fence refuses (lease lost or another sequencer wrote).
   */
  async function publish(
    store: SequencerStore,
    before: number,
    after: number,
    cursor: string,
    acks: readonly Ack[],
    fresh: readonly [string, number, number][],
  ): Promise<boolean> {
    const result = await publishIntegrated(
      [keys.lease, keys.state, keys.pending, ...fresh.map(([id]) => keys.done(id))],
      [
        lease.value() ?? '',
        before,
        after,
        cursor,
        keys.channel,
        JSON.stringify(acks),
        ...fresh.flatMap(([, index, keepMs]) => [index, keepMs]),
      ],
    );
    if (result === -1)
      onError(new LedgerError('CORRUPT', `another sequencer recorded entries in ${prefix}; stepping down`));
    if (result !== 1) {
      await lease.release().catch(() => undefined);
      return false;
    }
    // Acknowledged: a store that publishes derived data only for acknowledged entries (tiles) may now.
    await store.published?.(after);
    for (const [id, index, duplicate] of acks) settle(id, index, duplicate === 1);
    for (const listener of listeners) listener(after);
    return true;
  }

  /** Publishes what is on disk beyond what Redis acknowledged (integrated, fsynced, then the holder died). */
  async function reconcile(store: SequencerStore): Promise<string | undefined> {
    const [sizeText, cursor] = await redis.hmget(keys.state, 'size', 'cursor');
    const acknowledged = sizeText === null ? 0 : Number(sizeText);
    const disk = store.size();
    if (!(disk >= acknowledged)) {
      throw new LedgerError(
        'CORRUPT',
        `Redis acknowledged ${acknowledged} entries but ${dir} holds ${disk}: refusing to sequence`,
      );
    }
    for (let from = acknowledged; from < disk; from += RECONCILE_CHUNK) {
      if (!holding()) return undefined;
      const to = Math.min(disk, from + RECONCILE_CHUNK);
      const fresh: [string, number, number][] = [];
      for (let i = from; i < to; i += 1) {
        const id = readEventId(store.getLeaf(i));
        if (id !== undefined) fresh.push([id, i, retentionMs]);
      }
      if (
        !(await publish(
          store,
          from,
          to,
          '',
          fresh.map(([id, index]): Ack => [id, index, 0]),
          fresh,
        ))
      )
        return undefined;
    }
    return cursor ?? '0';
  }

  async function integrate(
    store: SequencerStore,
    entries: readonly StreamEntry[],
    cursor: string,
  ): Promise<boolean> {
    const leaves = new Map<string, Buffer>();
    // An id counts as `once` only when every entry of it says so: a caller's id is kept for its retries.
    const once = new Map<string, boolean>();
    for (const e of entries) {
      if (!leaves.has(e.id)) leaves.set(e.id, e.leaf);
      once.set(e.id, (once.get(e.id) ?? true) && e.once);
    }
    const ids = [...leaves.keys()];
    const known = ids.length > 0 ? await redis.mget(...ids.map(keys.done)) : [];
    const acks: Ack[] = [];
    const freshIds: string[] = [];
    ids.forEach((id, i) => {
      const v = known[i];
      if (v !== null && v !== undefined) acks.push([id, Number(v), 1]);
      else freshIds.push(id);
    });
    // Never start a write the lease might not cover.
    if (!holding()) return false;
    const before = store.size();
    const first =
      freshIds.length > 0 ? await store.append(freshIds.map((id) => leaves.get(id) as Buffer)) : before;
    const fresh = freshIds.map((id, k): [string, number, number] => [
      id,
      first + k,
      once.get(id) === true ? onceRetentionMs : retentionMs,
    ]);
    return publish(
      store,
      before,
      store.size(),
      cursor,
      [...acks, ...fresh.map(([id, index]): Ack => [id, index, 0])],
      fresh,
    );
  }

  async function lead(epoch: number): Promise<void> {
    let store: SequencerStore | undefined;
    try {
      if (!holding()) return;
      // A previous holder still running (paused past its lease) is shut out by the store's epoch fence.
      // The store checks the lease itself (not `closed`): a clean close may still write its last checkpoint.
      store = await openStore({ epoch, holding: () => lease.holding() });
      let cursor = await reconcile(store);
      if (cursor === undefined) return;
      blocking = duplicateRedis(redis);
      blocking.on('error', () => undefined);
      sequencing = true;
      while (holding()) {
        const { entries, lastId } = parseStreamReply(
          await blocking.callBuffer(
            'XREAD',
            'COUNT',
            batchMax,
            'BLOCK',
            blockMs,
            'STREAMS',
            keys.pending,
            cursor,
          ),
        );
        if (lastId === undefined) continue;
        if (!(await integrate(store, entries, lastId))) break;
        cursor = lastId;
      }
    } catch (err) {
      if (!closed) {
        onError(err);
        // After a failed term let the other candidates go first.
        cooldownUntil = Date.now() + leaseMs;
      }
    } finally {
      sequencing = false;
      blocking?.disconnect();
      blocking = undefined;
      // Close the store before giving the lease up: the next holder then finds nothing of this term in flight.
      await store?.close().catch(onError);
      await lease.release().catch(() => undefined);
    }
  }

  return {
    submit,
    isSequencing: () => sequencing,
    onIntegrated(listener) {
      listeners.push(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(electionTimer);
      clearInterval(pollTimer);
      blocking?.disconnect();
      await leading;
      const err = new LedgerError(
        'CLOSED',
        'the sequencer closed before the event was acknowledged; retry with the same id',
      );
      for (const ws of waiting.values()) for (const w of ws) w.reject(err);
      waiting.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}

/**
 * XREAD reply → the entries read and the last stream id (which advances the cursor even past a malformed entry).
 * RESP2 gives [[stream, [[id, [field, value, ...]], ...]]]; some client versions unwrap a single stream to
 * [stream, [...]] or answer a Map of stream → entries, so all three shapes are read.
 */
function parseStreamReply(reply: unknown): { entries: StreamEntry[]; lastId: string | undefined } {
  const streams: unknown[] =
    reply instanceof Map
      ? [...(reply as Map<unknown, unknown>).values()]
      : Array.isArray(reply)
        ? Buffer.isBuffer(reply[0])
          ? [reply[1] as unknown]
          : (reply as unknown[]).map((stream): unknown =>
              Array.isArray(stream) ? (stream as unknown[])[1] : undefined,
            )
        : [];
  const entries: StreamEntry[] = [];
  let lastId: string | undefined;
  for (const items of streams) {
    if (!Array.isArray(items)) continue;
    for (const item of items as unknown[]) {
      if (!Array.isArray(item) || !Buffer.isBuffer(item[0])) continue;
      lastId = item[0].toString();
      const fields = Array.isArray(item[1]) ? (item[1] as unknown[]) : [];
      let id: string | undefined;
      let leaf: Buffer | undefined;
      let once = false;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = fields[i];
        const value = fields[i + 1];
        if (!Buffer.isBuffer(name) || !Buffer.isBuffer(value)) continue;
        if (name.toString() === 'id') id = value.toString('utf8');
        else if (name.toString() === 'leaf') leaf = value;
        else if (name.toString() === 'once') once = value.toString() === '1';
      }
      if (id !== undefined && id !== '' && leaf !== undefined && leaf.length > 0)
        entries.push({ streamId: lastId, id, leaf, once });
    }
  }
  return { entries, lastId };
}
