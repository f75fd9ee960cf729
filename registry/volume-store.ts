// registry/volume-store: each exporter's yearly count of distinct individuals (Provisions 2024 arts. 5(4), 7, 8:
// counted from 1 January, per legal entity, in people not records). Rules reference §0.1 "Counting is exact at the
// thresholds": the law's lines (10,000 / 100,000 / 1,000,000; "以上" includes the number, Civil Code art. 1259) are
// exact, so the count is too wherever it can decide a tier.
//
// Mechanism: person keys (16-byte HMAC digests; never the identifier) go into a Redis SET per transfer, and on
// commit into a SET per exporter-year — exact — kept until the year passes the top threshold (1,000,000). Past it,
// every tier line is behind, so the year SET is dropped and the count continues as a HyperLogLog estimate with a
// +5σ margin, never below the exact count at the switch (the "floor"); the HLL is kept from the first commit so the
// switch loses nothing. People only declared (not detectable in the bytes) are a plain surplus counter, so the
// total never under-counts. The year is the calendar year in Asia/Shanghai: it resets at 00:00 on 1 January China
// time. Memory per million people: bench/volume-memory.ts (docs/benchmarks.md).
import type { Redis } from '../platform/redis.js';
import { loadLuaScript } from '../platform/lua-script.js';
import { keys as defaultKeys, type Keys } from './keys.js';

/**
 * Redis' HyperLogLog has a standard error of 0.81% (16384 registers). Adding 5σ keeps every estimate above the
 * true count in practice; it is used only past the top threshold, where no tier line is left to cross.
 */
export const hllSafetyMargin = 5 * 0.0081;

/** Provisions 2024 art. 7(2): the top threshold. A year's SET is exact until its count passes this. */
export const exactCountLimit = 1_000_000;

export interface PeopleCount {
  readonly individuals: number;
  readonly sensitive: number;
}

export interface ProjectedCount extends PeopleCount {
  /** Distinct people found in this transfer's payload, exactly (the SET of its person keys); null for a dry run. */
  readonly detected: PeopleCount | null;
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
  ): Promise<ProjectedCount>;
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

/** Members read and written per round trip: bounded commands, so Redis never blocks on one huge transfer. */
const slice = 10_000;

const withMargin = (estimate: number): number =>
  estimate === 0 ? 0 : Math.ceil(estimate * (1 + hllSafetyMargin));

type Mode = 'exact' | 'estimate';

export function createVolumeStore(
  redis: Redis,
  options: { readonly exactLimit?: number; readonly keys?: Keys } = {},
): VolumeStore {
  const keys = options.keys ?? defaultKeys;
  const finishScript = loadLuaScript(redis, 'registry/scripts/finish-volume-commit.lua');
  const exactLimit = options.exactLimit ?? exactCountLimit;

  interface Kind {
    readonly suffix: 'I' | 'S';
    readonly surplusField: 'individuals' | 'sensitive';
    readonly yearSet: string;
    readonly yearHll: string;
    readonly transferKey: string | null;
    /** Where an intake before issue #12 kept the same people (registry/keys.ts), for transfers in flight. */
    readonly legacyTransferKey: string | null;
  }
  const kindsOf = (exporterId: string, year: number, transferId: string | null): [Kind, Kind] => [
    {
      suffix: 'I',
      surplusField: 'individuals',
      yearSet: keys.volumeExactPeople(exporterId, year),
      yearHll: keys.volumePeople(exporterId, year),
      transferKey: transferId === null ? null : keys.transferPeople(transferId),
      legacyTransferKey: transferId === null ? null : keys.legacyTransferPeople(transferId),
    },
    {
      suffix: 'S',
      surplusField: 'sensitive',
      yearSet: keys.volumeExactSensitivePeople(exporterId, year),
      yearHll: keys.volumeSensitivePeople(exporterId, year),
      transferKey: transferId === null ? null : keys.transferSensitivePeople(transferId),
      legacyTransferKey: transferId === null ? null : keys.legacyTransferSensitivePeople(transferId),
    },
  ];

  /** The kind with its transfer key resolved: the transfer's own namespace, or the pre-#12 name when only that
   * holds its people (a transfer taken in by an older intake and committed after the upgrade). */
  async function resolved(kind: Kind): Promise<Kind> {
    const { transferKey, legacyTransferKey } = kind;
    if (transferKey === null || legacyTransferKey === null) return kind;
    if ((await redis.exists(transferKey)) === 1 || (await redis.exists(legacyTransferKey)) === 0) return kind;
    return { ...kind, transferKey: legacyTransferKey };
  }

  /** The kind's counting mode; a year counted before exact counting existed has only an HLL: estimate. */
  async function modeOf(state: string, kind: Kind): Promise<Mode> {
    const mode = await redis.hget(state, `mode${kind.suffix}`);
    if (mode === 'exact' || mode === 'estimate') return mode;
    const legacy = (await redis.pfcount(kind.yearHll)) > 0;
    const chosen: Mode = legacy ? 'estimate' : 'exact';
    // First writer decides, so concurrent commits agree.
    await redis.hsetnx(state, `mode${kind.suffix}`, chosen);
    const now = await redis.hget(state, `mode${kind.suffix}`);
    return now === 'estimate' ? 'estimate' : 'exact';
  }

  /** Calls `each` with slices of a transfer SET's members (SSCAN: never one huge reply). */
  async function scanMembers(key: string, each: (members: Buffer[]) => Promise<void>): Promise<void> {
    let cursor = '0';
    do {
      const [next, members] = await redis.sscanBuffer(key, cursor, 'COUNT', slice);
      cursor = String(next);
      if (members.length > 0) await each(members);
    } while (cursor !== '0');
  }

  async function projectKind(state: string, given: Kind, declared: number) {
    const kind = await resolved(given);
    const [modeRaw, floorRaw, surplusRaw] = await redis.hmget(
      state,
      `mode${kind.suffix}`,
      `floor${kind.suffix}`,
      kind.surplusField,
    );
    const surplus = Number(surplusRaw ?? 0);
    const type = kind.transferKey === null ? 'none' : await redis.type(kind.transferKey);
    let mode: Mode = modeRaw === 'estimate' ? 'estimate' : 'exact';
    if (modeRaw === null && (await redis.pfcount(kind.yearHll)) > 0) mode = 'estimate';
    let transfer = 0;
    let base = 0;
    if (type === 'string' && kind.transferKey !== null) {
      // A transfer recorded as an HLL before exact counting: all of it counts as new, with the margin.
      transfer = withMargin(await redis.pfcount(kind.transferKey));
      base += transfer;
    } else if (type === 'set' && kind.transferKey !== null) {
      transfer = await redis.scard(kind.transferKey);
    }
    if (mode === 'exact') {
      let fresh = 0;
      if (type === 'set' && kind.transferKey !== null) {
        await scanMembers(kind.transferKey, async (members) => {
          const hits = (await redis.call('SMISMEMBER', kind.yearSet, ...members)) as number[];
          for (const hit of hits) if (Number(hit) === 0) fresh += 1;
        });
      }
      base += (await redis.scard(kind.yearSet)) + fresh;
    } else {
      base = Math.max(Number(floorRaw ?? 0), withMargin(await redis.pfcount(kind.yearHll))) + base;
      if (type === 'set') base += transfer;
    }
    return { total: base + surplus + Math.max(0, declared - transfer), transfer };
  }

  async function project(
    exporterId: string,
    transferId: string | null,
    declared: PeopleCount,
    now: Date,
  ): Promise<ProjectedCount> {
    const year = shanghaiYear(now);
    const state = keys.volumeSurplus(exporterId, year);
    const [all, sensitive] = kindsOf(exporterId, year, transferId);
    const [i, s] = await Promise.all([
      projectKind(state, all, declared.individuals),
      projectKind(state, sensitive, declared.sensitive),
    ]);
    return {
      individuals: i.total,
      sensitive: s.total,
      detected: transferId === null ? null : { individuals: i.transfer, sensitive: s.transfer },
    };
  }

  return {
    async addTransferPeople(transferId, personKeys, sensitive) {
      if (personKeys.length === 0) return;
      const key = sensitive ? keys.transferSensitivePeople(transferId) : keys.transferPeople(transferId);
      for (let i = 0; i < personKeys.length; i += slice)
        await redis.sadd(key, ...personKeys.slice(i, i + slice));
    },

    async projectTotal(exporterId, transferId, declared, _detected, now) {
      // The surplus is declared − the transfer's exact SET size, not − the inspector's estimate.
      return project(exporterId, transferId, declared, now);
    },

    async yearToDate(exporterId, now) {
      const { individuals, sensitive } = await project(
        exporterId,
        null,
        { individuals: 0, sensitive: 0 },
        now,
      );
      return { individuals, sensitive };
    },

    async commit(exporterId, transferId, declared, _detected, now) {
      if ((await redis.hget(keys.transfer(transferId), 'volumeCommitted')) === '1') return false;
      const year = shanghaiYear(now);
      const state = keys.volumeSurplus(exporterId, year);
      const [given, givenSensitive] = kindsOf(exporterId, year, transferId);
      const kinds = [await resolved(given), await resolved(givenSensitive)] as const;
      // Copy the transfer's people into the year in bounded slices: SADD and PFADD are idempotent, so a commit
      // that dies half-way and runs again counts nobody twice; the surplus is added once, by the script below.
      for (const kind of kinds) {
        const mode = await modeOf(state, kind);
        if (kind.transferKey === null || (await redis.type(kind.transferKey)) !== 'set') continue;
        const { yearSet, yearHll } = kind;
        await scanMembers(kind.transferKey, async (members) => {
          await redis.pfadd(yearHll, ...members);
          if (mode === 'exact') await redis.sadd(yearSet, ...members);
        });
      }
      const [all, sensitive] = kinds;
      const result = await finishScript(
        [
          keys.transfer(transferId),
          state,
          all.yearSet,
          sensitive.yearSet,
          all.yearHll,
          sensitive.yearHll,
          all.transferKey ?? keys.transferPeople(transferId),
          sensitive.transferKey ?? keys.transferSensitivePeople(transferId),
        ],
        [declared.individuals, declared.sensitive, hllSafetyMargin, exactLimit],
      );
      return Number(result) === 1;
    },
  };
}
