// registry/transfer-store: transfer records in Redis — one hash per transfer, lex-sorted indexes (ids are
// time-sortable) for newest-first paging, and every status change as one Lua script so concurrent workers
// and reviewers cannot race. It never judges: callers decide, this store applies atomically.
import type { Redis } from '../platform/redis.js';
import { createLuaScript } from '../platform/lua-script.js';
import type { CheckName, Reason } from '../policies/classification.js';
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
 * ARGV[4..] field/value pairs to set with the change
 * Returns the previous status, or "!<current>" when the transition is not allowed ("!" when the transfer is missing).
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
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[3])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
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
  redis.call('HSET', KEYS[1], 'status', next)
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
  /** Exclusive: the last id of the previous page. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface TransferPage {
  readonly items: TransferRecord[];
  readonly nextCursor: string | null;
}

export interface TransferStore {
  create(core: TransferCore, status: TransferStatus, holdReasons: readonly Reason[]): Promise<void>;
  get(id: string): Promise<TransferRecord | null>;
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
  countByStatus(status: TransferStatus): Promise<number>;
}

export interface TransitionFields {
  readonly holdReasons?: readonly Reason[];
  readonly release?: ReleaseInfo;
  readonly receipt?: ReceiptInfo;
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

  async function get(id: string): Promise<TransferRecord | null> {
    const hash = await redis.hgetall(keys.transfer(id));
    return decodeRecord(hash);
  }

  async function pageOf(index: string, cursor: string | undefined, count: number): Promise<string[]> {
    const max = cursor === undefined ? '+' : `(${cursor}`;
    return redis.zrevrangebylex(index, max, '-', 'LIMIT', 0, count);
  }

  return {
    async create(core, status, holdReasons) {
      await redis
        .multi()
        .hset(keys.transfer(core.id), {
          id: core.id,
          core: JSON.stringify(core),
          submittedBy: core.submittedBy,
          status,
          updatedAt: core.createdAt,
          holdReasons: JSON.stringify(holdReasons),
          decisions: '[]',
          attempts: '[]',
        })
        .zadd(keys.transfersAll(), 0, core.id)
        .zadd(keys.transfersByExporter(core.exporterId), 0, core.id)
        .zadd(keys.transfersByStatus(status), 0, core.id)
        .exec();
    },

    get,

    async transition(id, from, to, now, set = {}) {
      const fields = encodeFields(set);
      const result = String(
        await transitionScript(
          [keys.transfer(id), ...statusIndexKeys],
          [from.join(','), to, now.toISOString(), ...fields],
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
      // Page through the most selective index; filter the rest per record (bounded by a few pages).
      const index =
        query.exporterId !== undefined
          ? keys.transfersByExporter(query.exporterId)
          : query.status !== undefined
            ? keys.transfersByStatus(query.status)
            : keys.transfersAll();
      const needsStatusFilter = query.exporterId !== undefined && query.status !== undefined;
      const items: TransferRecord[] = [];
      let cursor = query.cursor;
      for (let round = 0; round < 20 && items.length < query.limit; round += 1) {
        const ids = await pageOf(index, cursor, query.limit);
        if (ids.length === 0) return { items, nextCursor: null };
        const pipeline = redis.pipeline();
        for (const id of ids) pipeline.hgetall(keys.transfer(id));
        const results = (await pipeline.exec()) ?? [];
        for (const [i, [, hash]] of results.entries()) {
          cursor = ids[i];
          const record = decodeRecord(hash as Record<string, string>);
          if (record === null || (needsStatusFilter && record.status !== query.status)) continue;
          items.push(record);
          if (items.length === query.limit) break;
        }
        if (ids.length < query.limit && items.length < query.limit) return { items, nextCursor: null };
      }
      return { items, nextCursor: items.length === query.limit ? (cursor ?? null) : null };
    },

    countByStatus: (status) => redis.zcard(keys.transfersByStatus(status)),
  };
}
