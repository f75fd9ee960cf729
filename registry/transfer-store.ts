// registry/transfer-store: transfer records in Redis — one hash per transfer, lex-sorted indexes (ids are
// time-sortable) by exporter, status, tier and hold-reason code for paging and search without scans, and
// every status change as one Lua script (registry/scripts/*.lua) so concurrent workers and reviewers cannot race
// and the indexes never drift from the records. It never judges: callers decide, this store applies atomically.
// Every key a script touches is passed in KEYS (Redis Cluster): the store reads the record first, names the
// index keys from what it read, and the script writes only if the record is still what was read (else the
// store reads again).
import type { Redis } from '../platform/redis.js';
import { loadLuaScript } from '../platform/lua-script.js';
import type { CheckName, Reason, Tier } from '../policies/classification.js';
import { createId } from '../platform/ids.js';
import { keys as defaultKeys, type Keys } from './keys.js';
import {
  transferStatuses,
  type CheckOutcome,
  type Decision,
  type DeliveryAttempt,
  type ReceiptInfo,
  type ReleaseInfo,
  type TransferCore,
  type TransferRecord,
  type TransferStatus,
} from './transfer.js';

export type TransitionResult =
  | { readonly ok: true; readonly from: TransferStatus }
  | { readonly ok: false; readonly current: TransferStatus | null };

/** What a reviewer's decision reads of a transfer; `version` identifies the decisions read (compare-and-set). */
export interface StoredReview {
  readonly status: TransferStatus;
  readonly submittedBy: string;
  readonly decisions: readonly Decision[];
  readonly version: string;
}

/** What a judged decision writes (transfers/judge-review.ts decides it). */
export interface ReviewWrite {
  readonly status: TransferStatus;
  readonly decisions: readonly Decision[];
  readonly release: ReleaseInfo | null;
  readonly at: string;
}

/** `changed`: the transfer moved since it was read; nothing was written. */
export type WriteResult = 'ok' | 'missing' | 'changed';

export interface ListQuery {
  readonly status?: TransferStatus;
  readonly exporterId?: string;
  readonly tier?: Tier;
  /** A reason code among the transfer's current hold reasons. */
  readonly holdReason?: string;
  /** Submitted at or after this instant (ids are ULIDs: a time range is an id range). */
  readonly from?: Date;
  /** Submitted before this instant (exclusive). */
  readonly to?: Date;
  /** `newest` (default) or `oldest` first — the held queue serves the longest waiting first. */
  readonly order?: 'newest' | 'oldest';
  /** Exclusive: the last id of the previous page. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface TransferPage {
  readonly items: TransferRecord[];
  /** Where to go on from; may come with fewer than `limit` items when a sparse filter hit the scan bound. */
  readonly nextCursor: string | null;
}

/** One list request looks at most this many ids (rounds × batch), so a sparse filter cannot stall Redis. */
const scanBatch = 200;
const scanRounds = 25;

/** The smallest id of a millisecond: its ULID time prefix with all-zero random bits. */
const lowestIdAt = (at: Date) => createId(at, (n) => Buffer.alloc(n, 0));

export interface TransferStore {
  create(core: TransferCore, status: TransferStatus, holdReasons: readonly Reason[]): Promise<void>;
  get(id: string): Promise<TransferRecord | null>;
  /** The transfer if it belongs to `exporterId` (by its exporter index), else null: a tenant's read. */
  getOwned(id: string, exporterId: string): Promise<TransferRecord | null>;
  transition(
    id: string,
    from: readonly TransferStatus[],
    to: TransferStatus,
    now: Date,
    set?: TransitionFields,
  ): Promise<TransitionResult>;
  recordCheck(id: string, outcome: CheckOutcome): Promise<void>;
  /** Sets fields without a status change, e.g. the release's ledger index once it is durable. */
  annotate(id: string, set: TransitionFields): Promise<void>;
  /** The transfer's review state, or null when it is missing. */
  reviewState(id: string): Promise<StoredReview | null>;
  /** Writes a judged decision if the transfer is still as `read` (same status, same decisions). */
  recordReview(id: string, read: StoredReview, write: ReviewWrite): Promise<WriteResult>;
  appendAttempt(id: string, attempt: DeliveryAttempt): Promise<number>;
  list(query: ListQuery): Promise<TransferPage>;
  /** One transfer by exact id, if it also meets the query's filters (search by id). */
  find(id: string, query: Omit<ListQuery, 'limit' | 'cursor' | 'order'>): Promise<TransferRecord | null>;
  countByStatus(status: TransferStatus): Promise<number>;
  /** Ids in a status, oldest first, created before `beforeId` (exclusive): ULIDs make this a time range. */
  oldestInStatus(
    status: TransferStatus,
    beforeId: string,
    count: number,
    afterId?: string,
  ): Promise<string[]>;
  /** When each transfer last changed (ISO time), or null when it is gone. */
  updatedAt(ids: readonly string[]): Promise<(string | null)[]>;
  /** Deletes a transfer in one of `statuses` and its index entries; answers its payload digest, or null. */
  purge(id: string, statuses: readonly TransferStatus[]): Promise<string | null>;
}

export interface TransitionFields {
  readonly holdReasons?: readonly Reason[];
  readonly release?: ReleaseInfo;
  readonly receipt?: ReceiptInfo;
  /** A delivery attempt recorded in the same write as the status change, so no reader sees one without the other. */
  readonly attempt?: DeliveryAttempt;
}

/** Distinct hold-reason codes of a stored `holdReasons` field or of new reasons. */
function holdCodes(reasons: readonly Reason[]): string[] {
  return [...new Set(reasons.map((r) => r.code))];
}

/** Rounds of read, then compare-and-set, before a write gives up: each repeats only after a concurrent change. */
const maxRounds = 20;

function encodeFields(set: TransitionFields): string[] {
  const fields: string[] = [];
  if (set.holdReasons !== undefined) fields.push('holdReasons', JSON.stringify(set.holdReasons));
  if (set.release !== undefined) fields.push('release', JSON.stringify(set.release));
  if (set.receipt !== undefined) fields.push('receipt', JSON.stringify(set.receipt));
  return fields;
}

function isStatus(value: string): value is TransferStatus {
  return (transferStatuses as readonly string[]).includes(value);
}

function parseJson<T>(text: string | undefined, fallback: T): T {
  return text === undefined || text === '' ? fallback : (JSON.parse(text) as T);
}

/** Rebuilds a record from its hash; every field was written by this store. */
function decodeRecord(hash: Record<string, string>): TransferRecord | null {
  const core = hash['core'];
  const status = hash['status'];
  if (core === undefined || status === undefined || !isStatus(status)) return null;
  const checks: Partial<Record<CheckName, CheckOutcome>> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('check:')) {
      const outcome = JSON.parse(value) as CheckOutcome;
      checks[outcome.check] = outcome;
    }
  }
  const decisions = parseJson<Decision[]>(hash['decisions'], []);
  const approvals = [...new Set(decisions.filter((d) => d.decision === 'approve').map((d) => d.reviewer))];
  return {
    ...(JSON.parse(core) as TransferCore),
    status,
    updatedAt: hash['updatedAt'] ?? '',
    statusSince: hash['statusAt'] ?? hash['updatedAt'] ?? '',
    checks,
    holdReasons: parseJson<Reason[]>(hash['holdReasons'], []),
    decisions,
    approvals,
    deliveryAttempts: parseJson<DeliveryAttempt[]>(hash['attempts'], []),
    release: parseJson<ReleaseInfo | null>(hash['release'], null),
    receipt: parseJson<ReceiptInfo | null>(hash['receipt'], null),
  };
}

export function createTransferStore(redis: Redis, keys: Keys = defaultKeys): TransferStore {
  const setStatusScript = loadLuaScript(redis, 'registry/scripts/set-status.lua');
  const appendScript = loadLuaScript(redis, 'registry/scripts/append-to-list.lua');
  const purgeScript = loadLuaScript(redis, 'registry/scripts/purge-transfer.lua');
  const getOwnedScript = loadLuaScript(redis, 'registry/scripts/get-owned-transfer.lua');

  /** One compare-and-set status write (registry/scripts/set-status.lua). */
  async function setStatus(
    id: string,
    change: {
      readonly from: TransferStatus;
      readonly to: TransferStatus;
      readonly at: string;
      readonly leave?: readonly string[];
      readonly join?: readonly string[];
      readonly guard?: { readonly field: string; readonly value: string };
      readonly attempt?: DeliveryAttempt;
      readonly fields?: readonly string[];
    },
  ): Promise<WriteResult> {
    const leave = change.leave ?? [];
    const result = await setStatusScript(
      [
        keys.transfer(id),
        keys.transfersByStatus(change.from),
        keys.transfersByStatus(change.to),
        ...leave,
        ...(change.join ?? []),
      ],
      [
        id,
        change.from,
        change.to,
        change.at,
        leave.length,
        change.guard?.field ?? '',
        change.guard?.value ?? '',
        change.attempt === undefined ? '' : JSON.stringify(change.attempt),
        ...(change.fields ?? []),
      ],
    );
    if (result === 'ok' || result === 'missing' || result === 'changed') return result;
    throw new Error(`set-status.lua answered an unexpected reply for transfer ${id}`);
  }

  async function get(id: string): Promise<TransferRecord | null> {
    const hash = await redis.hgetall(keys.transfer(id));
    return decodeRecord(hash);
  }

  async function getOwned(id: string, exporterId: string): Promise<TransferRecord | null> {
    const flat = await getOwnedScript([keys.transfer(id), keys.transfersByExporter(exporterId)], [id]);
    if (!Array.isArray(flat)) return null;
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) hash[String(flat[i])] = String(flat[i + 1]);
    const record = decodeRecord(hash);
    return record !== null && record.exporterId === exporterId ? record : null;
  }

  /** The lex range of ids a query covers: its date range, narrowed past the cursor in the paging direction. */
  function rangeOf(query: ListQuery, cursor: string | undefined): { min: string; max: string } {
    let min = query.from === undefined ? '-' : `[${lowestIdAt(query.from)}`;
    let max = query.to === undefined ? '+' : `(${lowestIdAt(query.to)}`;
    if (cursor !== undefined) {
      if (query.order === 'oldest') min = `(${cursor}`;
      else max = `(${cursor}`;
    }
    return { min, max };
  }

  async function idsIn(index: string, query: ListQuery, cursor: string | undefined, count: number) {
    const { min, max } = rangeOf(query, cursor);
    return query.order === 'oldest'
      ? redis.zrangebylex(index, min, max, 'LIMIT', 0, count)
      : redis.zrevrangebylex(index, max, min, 'LIMIT', 0, count);
  }

  /** Every index the query constrains; an id must be in all of them. */
  function indexesOf(query: ListQuery): string[] {
    const indexes: string[] = [];
    if (query.exporterId !== undefined) indexes.push(keys.transfersByExporter(query.exporterId));
    if (query.holdReason !== undefined) indexes.push(keys.transfersByHoldReason(query.holdReason));
    if (query.status !== undefined) indexes.push(keys.transfersByStatus(query.status));
    if (query.tier !== undefined) indexes.push(keys.transfersByTier(query.tier));
    return indexes.length === 0 ? [keys.transfersAll()] : indexes;
  }

  async function getMany(ids: readonly string[]): Promise<TransferRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.transfer(id));
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([, hash]) => {
      const record = decodeRecord(hash as Record<string, string>);
      return record === null ? [] : [record];
    });
  }

  return {
    async create(core, status, holdReasons) {
      const multi = redis
        .multi()
        .hset(keys.transfer(core.id), {
          id: core.id,
          core: JSON.stringify(core),
          submittedBy: core.submittedBy,
          status,
          updatedAt: core.createdAt,
          statusAt: core.createdAt,
          holdReasons: JSON.stringify(holdReasons),
          decisions: '[]',
          attempts: '[]',
        })
        .zadd(keys.transfersAll(), 0, core.id)
        .zadd(keys.transfersByExporter(core.exporterId), 0, core.id)
        .zadd(keys.transfersByStatus(status), 0, core.id)
        .zadd(keys.transfersByTier(core.classification.tier), 0, core.id)
        // The payload file is shared by digest: retention deletes it only when no transfer references it.
        .sadd(keys.payloadRefs(core.inspection.sha256), core.id);
      for (const code of new Set(holdReasons.map((r) => r.code)))
        multi.zadd(keys.transfersByHoldReason(code), 0, core.id);
      await multi.exec();
    },

    get,

    getOwned,

    async transition(id, from, to, now, set = {}) {
      const fields = encodeFields(set);
      for (let round = 0; round < maxRounds; round += 1) {
        const [status, holdText] = await redis.hmget(keys.transfer(id), 'status', 'holdReasons');
        if (status === null || status === undefined || !isStatus(status)) return { ok: false, current: null };
        if (!from.includes(status)) return { ok: false, current: status };
        // The hold-reason indexes to leave are named from the reasons stored now: guarded by the script.
        const replacing = set.holdReasons !== undefined;
        const written = await setStatus(id, {
          from: status,
          to,
          at: now.toISOString(),
          ...(replacing
            ? {
                leave: holdCodes(parseJson<Reason[]>(holdText ?? undefined, [])).map(
                  keys.transfersByHoldReason,
                ),
                join: holdCodes(set.holdReasons).map(keys.transfersByHoldReason),
                guard: { field: 'holdReasons', value: holdText ?? '' },
              }
            : {}),
          ...(set.attempt === undefined ? {} : { attempt: set.attempt }),
          fields,
        });
        if (written === 'missing') return { ok: false, current: null };
        if (written === 'ok') return { ok: true, from: status };
      }
      throw new Error(`transfer ${id}: its status kept changing; transition not applied`);
    },

    async annotate(id, set) {
      const fields = encodeFields(set);
      if (fields.length > 0) await redis.hset(keys.transfer(id), ...fields);
    },

    async recordCheck(id, outcome) {
      await redis.hset(keys.transfer(id), `check:${outcome.check}`, JSON.stringify(outcome));
    },

    async reviewState(id) {
      const [status, submittedBy, decisions] = await redis.hmget(
        keys.transfer(id),
        'status',
        'submittedBy',
        'decisions',
      );
      if (status === null || status === undefined || !isStatus(status)) return null;
      return {
        status,
        submittedBy: submittedBy ?? '',
        decisions: parseJson<Decision[]>(decisions ?? undefined, []),
        version: decisions ?? '',
      };
    },

    async recordReview(id, read, write) {
      return setStatus(id, {
        from: read.status,
        to: write.status,
        at: write.at,
        guard: { field: 'decisions', value: read.version },
        fields: [
          'decisions',
          JSON.stringify(write.decisions),
          ...(write.release === null ? [] : ['release', JSON.stringify(write.release)]),
        ],
      });
    },

    async appendAttempt(id, attempt) {
      return Number(await appendScript([keys.transfer(id)], ['attempts', JSON.stringify(attempt)]));
    },

    async list(query) {
      // Walk the constraining index with the fewest ids in range; check membership of the others per id
      // (ZSCORE, no record reads), then read only the records that match. Bounded per request.
      const indexes = indexesOf(query);
      const { min, max } = rangeOf(query, query.cursor);
      const sizes = await Promise.all(indexes.map((index) => redis.zlexcount(index, min, max)));
      const smallest = sizes.indexOf(Math.min(...sizes));
      const walk = indexes[smallest] ?? keys.transfersAll();
      const others = indexes.filter((_, i) => i !== smallest);
      const matched: string[] = [];
      let cursor = query.cursor;
      for (let round = 0; round < scanRounds; round += 1) {
        const ids = await idsIn(walk, query, cursor, scanBatch);
        if (ids.length === 0) return { items: await getMany(matched), nextCursor: null };
        const pipeline = redis.pipeline();
        for (const id of ids) for (const index of others) pipeline.zscore(index, id);
        const scores = (await pipeline.exec()) ?? [];
        for (const [i, id] of ids.entries()) {
          cursor = id;
          const row = scores.slice(i * others.length, (i + 1) * others.length);
          if (row.some(([, score]) => score === null)) continue;
          matched.push(id);
          if (matched.length === query.limit) {
            const items = await getMany(matched);
            const more = i < ids.length - 1 || (await idsIn(walk, query, id, 1)).length > 0;
            return { items, nextCursor: more ? id : null };
          }
        }
        if (ids.length < scanBatch) return { items: await getMany(matched), nextCursor: null };
      }
      // The scan bound was hit before the page filled: answer what matched and where to go on from.
      return { items: await getMany(matched), nextCursor: cursor ?? null };
    },

    async find(id, query) {
      // Scoped to an exporter (an enterprise's search), another exporter's id costs what an unknown one does.
      const record = query.exporterId === undefined ? await get(id) : await getOwned(id, query.exporterId);
      if (record === null) return null;
      const inRange =
        (query.from === undefined || id >= lowestIdAt(query.from)) &&
        (query.to === undefined || id < lowestIdAt(query.to));
      const matches =
        inRange &&
        (query.exporterId === undefined || record.exporterId === query.exporterId) &&
        (query.status === undefined || record.status === query.status) &&
        (query.tier === undefined || record.classification.tier === query.tier) &&
        (query.holdReason === undefined || record.holdReasons.some((r) => r.code === query.holdReason));
      return matches ? record : null;
    },

    countByStatus: (status) => redis.zcard(keys.transfersByStatus(status)),

    oldestInStatus: (status, beforeId, count, afterId) =>
      redis.zrangebylex(
        keys.transfersByStatus(status),
        afterId === undefined ? '-' : `(${afterId}`,
        `(${beforeId}`,
        'LIMIT',
        0,
        count,
      ),

    async updatedAt(ids) {
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.transfer(id), 'updatedAt');
      return ((await pipeline.exec()) ?? []).map(([, value]) => (typeof value === 'string' ? value : null));
    },

    async purge(id, statuses) {
      for (let round = 0; round < maxRounds; round += 1) {
        const [status, coreText, holdText] = await redis.hmget(
          keys.transfer(id),
          'status',
          'core',
          'holdReasons',
        );
        if (status === null || status === undefined || !isStatus(status) || !statuses.includes(status))
          return null;
        if (coreText === null || coreText === undefined) return null;
        const core = JSON.parse(coreText) as TransferCore;
        const deleted = [
          keys.transferPeople(id),
          keys.transferSensitivePeople(id),
          keys.legacyTransferPeople(id),
          keys.legacyTransferSensitivePeople(id),
        ];
        const indexes = [
          keys.transfersAll(),
          keys.transfersByExporter(core.exporterId),
          keys.transfersByStatus(status),
          keys.transfersByTier(core.classification.tier),
          ...holdCodes(parseJson<Reason[]>(holdText ?? undefined, [])).map(keys.transfersByHoldReason),
        ];
        const result = await purgeScript(
          [keys.transfer(id), ...deleted, ...indexes],
          [id, status, holdText ?? '', deleted.length],
        );
        if (result === 'ok') return core.inspection.sha256;
        if (result === 'missing') return null;
      }
      throw new Error(`transfer ${id}: it kept changing; not purged`);
    },
  };
}
