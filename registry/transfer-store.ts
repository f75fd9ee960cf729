// registry/transfer-store: transfer records in Redis — one hash per transfer, lex-sorted indexes (ids are
// time-sortable) by exporter, status, tier and hold-reason code for paging and search without scans, and
// every status change as one Lua script so concurrent workers and reviewers cannot race and the indexes never
// drift from the records. It never judges: callers decide, this store applies atomically.
import type { Redis } from '../platform/redis.js';
import { createLuaScript } from '../platform/lua-script.js';
import type { CheckName, Reason, Tier } from '../policies/classification.js';
import { createId } from '../platform/ids.js';
import { keys } from './keys.js';
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

const statusIndexKeys = transferStatuses.map((s) => keys.transfersByStatus(s));

/**
 * Moves a transfer between statuses when its current status is allowed.
 * KEYS[1] transfer hash; KEYS[2..8] status indexes in `transferStatuses` order
 * ARGV[1] allowed current statuses, comma-separated; ARGV[2] new status; ARGV[3] updatedAt;
 * ARGV[4] hold-reason index key prefix; ARGV[5] "1" when the hold reasons are replaced; ARGV[6] the new hold
 * reason codes, comma-separated; ARGV[7] a delivery attempt (JSON) to append to `attempts` with the change, or "";
 * ARGV[8..] field/value pairs to set with the change
 * Returns the previous status, or "!<current>" when the transition is not allowed ("!" when the transfer is missing).
 * The hold-reason indexes are named from the codes stored in the record, so they are built here from ARGV[4]
 * rather than passed as KEYS (the old codes are only known inside the script): single-instance Redis only.
 */
const transitionLua = `
local statuses = {'checking','held','releasing','released','delivery_failed','rejected','blocked'}
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return '!' end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == current then allowed = true end end
if not allowed then return '!' .. current end
local id = redis.call('HGET', KEYS[1], 'id')
for i, s in ipairs(statuses) do
  if s == current then redis.call('ZREM', KEYS[i + 1], id) end
  if s == ARGV[2] then redis.call('ZADD', KEYS[i + 1], 0, id) end
end
if ARGV[5] == '1' then
  for _, r in ipairs(cjson.decode(redis.call('HGET', KEYS[1], 'holdReasons') or '[]')) do
    redis.call('ZREM', ARGV[4] .. r.code, id)
  end
  for code in string.gmatch(ARGV[6], '[^,]+') do redis.call('ZADD', ARGV[4] .. code, 0, id) end
end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[3])
if ARGV[2] ~= current then redis.call('HSET', KEYS[1], 'statusAt', ARGV[3]) end
if ARGV[7] ~= '' then
  local attempts = cjson.decode(redis.call('HGET', KEYS[1], 'attempts') or '[]')
  table.insert(attempts, cjson.decode(ARGV[7]))
  redis.call('HSET', KEYS[1], 'attempts', cjson.encode(attempts))
end
for i = 8, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return current
`;

/**
 * Records a reviewer's decision on a held transfer (api.md §6: four eyes; one rejection ends it).
 * KEYS[1] transfer hash; KEYS[2..8] status indexes
 * ARGV[1] reviewer; ARGV[2] approve|reject; ARGV[3] comment; ARGV[4] at; ARGV[5] approvals needed
 * Returns the new status, or "!not_held:<status>", "!own_transfer", "!missing".
 * A second approval by the same reviewer is recorded as a decision but does not count twice.
 */
const decideLua = `
local statuses = {'checking','held','releasing','released','delivery_failed','rejected','blocked'}
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return '!missing' end
if current ~= 'held' then return '!not_held:' .. current end
if redis.call('HGET', KEYS[1], 'submittedBy') == ARGV[1] then return '!own_transfer' end
local decisions = cjson.decode(redis.call('HGET', KEYS[1], 'decisions') or '[]')
table.insert(decisions, { reviewer = ARGV[1], decision = ARGV[2], comment = ARGV[3], at = ARGV[4] })
local approvers = {}
local count = 0
for _, d in ipairs(decisions) do
  if d.decision == 'approve' and not approvers[d.reviewer] then approvers[d.reviewer] = true; count = count + 1 end
end
local next = 'held'
if ARGV[2] == 'reject' then next = 'rejected' elseif count >= tonumber(ARGV[5]) then next = 'releasing' end
redis.call('HSET', KEYS[1], 'decisions', cjson.encode(decisions), 'updatedAt', ARGV[4])
if next ~= current then
  local id = redis.call('HGET', KEYS[1], 'id')
  for i, s in ipairs(statuses) do
    if s == current then redis.call('ZREM', KEYS[i + 1], id) end
    if s == next then redis.call('ZADD', KEYS[i + 1], 0, id) end
  end
  redis.call('HSET', KEYS[1], 'status', next, 'statusAt', ARGV[4])
  if next == 'releasing' then
    redis.call('HSET', KEYS[1], 'release', cjson.encode({ at = ARGV[4], by = 'review', ledgerIndex = cjson.null }))
  end
end
return next
`;

/**
 * Appends one element to a JSON array held in a hash field.
 * KEYS[1] transfer hash; ARGV[1] field; ARGV[2] element JSON. Returns the new length, or -1 if missing.
 */
/**
 * Removes a finished transfer from Redis (retention: the ledger keeps its history).
 * KEYS[1] transfer hash; KEYS[2] its people HLL; KEYS[3] its sensitive-people HLL; KEYS[4] the all-transfers index;
 * KEYS[5], KEYS[6] the same HLLs under their pre-#12 names (registry/keys.ts), if a transfer in flight kept them
 * ARGV[1] key prefix of the transfer indexes ("xb:transfers:"); ARGV[2] statuses that may be purged, comma-separated
 * Returns the payload digest of the purged transfer, or "" when it is missing or not in a purgeable status.
 * The exporter, status, tier and hold-reason index keys are derived from the record itself, like transition's.
 */
const purgeLua = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return '' end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == status then allowed = true end end
if not allowed then return '' end
local id = redis.call('HGET', KEYS[1], 'id')
local core = cjson.decode(redis.call('HGET', KEYS[1], 'core'))
local holds = cjson.decode(redis.call('HGET', KEYS[1], 'holdReasons') or '[]')
redis.call('ZREM', KEYS[4], id)
redis.call('ZREM', ARGV[1] .. 'exporter:' .. core.exporterId, id)
redis.call('ZREM', ARGV[1] .. 'status:' .. status, id)
redis.call('ZREM', ARGV[1] .. 'tier:' .. core.classification.tier, id)
for _, reason in ipairs(holds) do redis.call('ZREM', ARGV[1] .. 'hold-reason:' .. reason.code, id) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[6])
return core.inspection.sha256
`;

/**
 * Reads a transfer only if it is in one exporter's index: the tenant check and the read in one round trip,
 * the same work whether the id is another exporter's or no one's.
 * KEYS[1] transfer hash; KEYS[2] the exporter's transfer index; ARGV[1] the id. Returns HGETALL's list, or {}.
 */
const getOwnedLua = `
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return {} end
return redis.call('HGETALL', KEYS[1])
`;

const appendLua = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local list = cjson.decode(redis.call('HGET', KEYS[1], ARGV[1]) or '[]')
table.insert(list, cjson.decode(ARGV[2]))
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(list))
return #list
`;

export type TransitionResult =
  | { readonly ok: true; readonly from: TransferStatus }
  | { readonly ok: false; readonly current: TransferStatus | null };
export type DecideResult =
  | { readonly ok: true; readonly status: TransferStatus }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'own_transfer' | 'not_held';
      readonly current?: TransferStatus;
    };

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
  decide(id: string, decision: Decision, approvalsNeeded: number): Promise<DecideResult>;
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

/** ARGV[4..6] of the transition script: where hold-reason indexes live and whether the reasons change. */
function holdReasonArgs(set: TransitionFields): string[] {
  const codes = [...new Set((set.holdReasons ?? []).map((r) => r.code))];
  return [keys.transfersByHoldReason(''), set.holdReasons === undefined ? '0' : '1', codes.join(',')];
}

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

export function createTransferStore(redis: Redis): TransferStore {
  const transitionScript = createLuaScript(redis, transitionLua);
  const decideScript = createLuaScript(redis, decideLua);
  const appendScript = createLuaScript(redis, appendLua);
  const purgeScript = createLuaScript(redis, purgeLua);
  const getOwnedScript = createLuaScript(redis, getOwnedLua);

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
      const result = String(
        await transitionScript(
          [keys.transfer(id), ...statusIndexKeys],
          [
            from.join(','),
            to,
            now.toISOString(),
            ...holdReasonArgs(set),
            set.attempt === undefined ? '' : JSON.stringify(set.attempt),
            ...fields,
          ],
        ),
      );
      if (!result.startsWith('!')) return { ok: true, from: result as TransferStatus };
      const current = result.slice(1);
      return { ok: false, current: isStatus(current) ? current : null };
    },

    async annotate(id, set) {
      const fields = encodeFields(set);
      if (fields.length > 0) await redis.hset(keys.transfer(id), ...fields);
    },

    async recordCheck(id, outcome) {
      await redis.hset(keys.transfer(id), `check:${outcome.check}`, JSON.stringify(outcome));
    },

    async decide(id, decision, approvalsNeeded) {
      const result = String(
        await decideScript(
          [keys.transfer(id), ...statusIndexKeys],
          [decision.reviewer, decision.decision, decision.comment, decision.at, approvalsNeeded],
        ),
      );
      if (result === '!missing') return { ok: false, reason: 'missing' };
      if (result === '!own_transfer') return { ok: false, reason: 'own_transfer' };
      if (result.startsWith('!not_held:')) {
        const current = result.slice('!not_held:'.length);
        return isStatus(current)
          ? { ok: false, reason: 'not_held', current }
          : { ok: false, reason: 'not_held' };
      }
      return { ok: true, status: result as TransferStatus };
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
      const digest = String(
        await purgeScript(
          [
            keys.transfer(id),
            keys.transferPeople(id),
            keys.transferSensitivePeople(id),
            keys.transfersAll(),
            keys.legacyTransferPeople(id),
            keys.legacyTransferSensitivePeople(id),
          ],
          [keys.transferIndexPrefix(), statuses.join(',')],
        ),
      );
      return digest === '' ? null : digest;
    },
  };
}
