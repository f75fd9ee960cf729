// registry/volume-store: each exporter's yearly count of distinct individuals (Provisions 2024 arts. 5(4), 7, 8:
// counted from 1 January, per legal entity, in people not records). People found in payloads are HyperLogLogs
// of HMAC person keys, so the same consignee sent twice counts once; people only declared (not detectable in
// the bytes) are a plain surplus counter. Counting must never under-count, so HLL estimates carry a margin.
import type { Redis } from '../platform/redis.js';
import { createLuaScript } from '../platform/lua-script.js';
import { keys } from './keys.js';

/**
 * Redis' HyperLogLog has a standard error of 0.81% (16384 registers). Adding 5σ keeps every estimate above
 * the true count in practice, so a decision near 10,000 / 100,000 / 1,000,000 errs toward the stricter tier.
 */
export const hllSafetyMargin = 5 * 0.0081;

export interface PeopleCount {
  readonly individuals: number;
  readonly sensitive: number;
}

export interface VolumeStore {
  /** Adds person keys found in a transfer's payload (batched by intake). */
  addTransferPeople(transferId: string, personKeys: readonly Buffer[], sensitive: boolean): Promise<void>;
  /**
   * The exporter's total for the year if this transfer were released now: people already exported this
   * year ∪ people in this transfer, plus declared-only surplus. `declared` is what the manifest claims.
   */
  projectTotal(
    exporterId: string,
    transferId: string | null,
    declared: PeopleCount,
    detected: PeopleCount,
    now: Date,
  ): Promise<PeopleCount>;
  /** The exporter's total so far this year. */
  yearToDate(exporterId: string, now: Date): Promise<PeopleCount>;
  /** Counts the transfer into the exporter's year, once (idempotent per transfer). Returns false if already done. */
  commit(
    exporterId: string,
    transferId: string,
    declared: PeopleCount,
    detected: PeopleCount,
    now: Date,
  ): Promise<boolean>;
}

/** The calendar year in Asia/Shanghai (UTC+8, no daylight saving): the counter resets at local midnight 1 January. */
export function shanghaiYear(now: Date): number {
  return new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
}

const withMargin = (estimate: number): number =>
  estimate === 0 ? 0 : Math.ceil(estimate * (1 + hllSafetyMargin));
const surplusOf = (declared: number, detected: number): number => Math.max(0, declared - detected);

/**
 * Commits a transfer's people into the exporter's year, once.
 * KEYS[1] transfer hash; KEYS[2] year HLL; KEYS[3] year sensitive HLL; KEYS[4] year surplus hash;
 * KEYS[5] transfer HLL; KEYS[6] transfer sensitive HLL; KEYS[7], KEYS[8] the same under their pre-#12 names
 * (registry/keys.ts: a transfer in flight across the upgrade may have kept its people there)
 * ARGV[1] non-sensitive surplus; ARGV[2] sensitive surplus
 * Returns 1 when committed now, 0 when it had been committed before.
 */
const commitLua = `
if redis.call('HSETNX', KEYS[1], 'volumeCommitted', '1') == 0 then return 0 end
redis.call('PFMERGE', KEYS[2], KEYS[2], KEYS[5], KEYS[7])
redis.call('PFMERGE', KEYS[3], KEYS[3], KEYS[6], KEYS[8])
redis.call('HINCRBY', KEYS[4], 'individuals', ARGV[1])
redis.call('HINCRBY', KEYS[4], 'sensitive', ARGV[2])
return 1
`;

export function createVolumeStore(redis: Redis): VolumeStore {
  const commitScript = createLuaScript(redis, commitLua);

  async function surplus(exporterId: string, year: number): Promise<PeopleCount> {
    const [individuals, sensitive] = await redis.hmget(
      keys.volumeSurplus(exporterId, year),
      'individuals',
      'sensitive',
    );
    return { individuals: Number(individuals ?? 0), sensitive: Number(sensitive ?? 0) };
  }

  return {
    async addTransferPeople(transferId, personKeys, sensitive) {
      if (personKeys.length === 0) return;
      const key = sensitive ? keys.transferSensitivePeople(transferId) : keys.transferPeople(transferId);
      await redis.pfadd(key, ...personKeys);
    },

    async projectTotal(exporterId, transferId, declared, detected, now) {
      const year = shanghaiYear(now);
      const people = [keys.volumePeople(exporterId, year)];
      const sensitivePeople = [keys.volumeSensitivePeople(exporterId, year)];
      if (transferId !== null) {
        people.push(keys.transferPeople(transferId), keys.legacyTransferPeople(transferId));
        sensitivePeople.push(
          keys.transferSensitivePeople(transferId),
          keys.legacyTransferSensitivePeople(transferId),
        );
      }
      const [union, unionSensitive, extra] = await Promise.all([
        redis.pfcount(...people),
        redis.pfcount(...sensitivePeople),
        surplus(exporterId, year),
      ]);
      return {
        individuals:
          withMargin(union) + extra.individuals + surplusOf(declared.individuals, detected.individuals),
        sensitive:
          withMargin(unionSensitive) + extra.sensitive + surplusOf(declared.sensitive, detected.sensitive),
      };
    },

    async yearToDate(exporterId, now) {
      const year = shanghaiYear(now);
      const [people, sensitivePeople, extra] = await Promise.all([
        redis.pfcount(keys.volumePeople(exporterId, year)),
        redis.pfcount(keys.volumeSensitivePeople(exporterId, year)),
        surplus(exporterId, year),
      ]);
      return {
        individuals: withMargin(people) + extra.individuals,
        sensitive: withMargin(sensitivePeople) + extra.sensitive,
      };
    },

    async commit(exporterId, transferId, declared, detected, now) {
      const year = shanghaiYear(now);
      const result = await commitScript(
        [
          keys.transfer(transferId),
          keys.volumePeople(exporterId, year),
          keys.volumeSensitivePeople(exporterId, year),
          keys.volumeSurplus(exporterId, year),
          keys.transferPeople(transferId),
          keys.transferSensitivePeople(transferId),
          keys.legacyTransferPeople(transferId),
          keys.legacyTransferSensitivePeople(transferId),
        ],
        [
          surplusOf(declared.individuals, detected.individuals),
          surplusOf(declared.sensitive, detected.sensitive),
        ],
      );
      return Number(result) === 1;
    },
  };
}
