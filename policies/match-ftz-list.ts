// policies/match-ftz-list: finds the FTZ negative-list version in force for the exporter's area at `now` and the
// entries the transfer hits (Provisions 2024 art. 6; regulation.md §7, §10.1 I7). Pure.
import type { BusinessType } from './manifest.js';
import { ftzAreas, type FtzArea, type FtzMatch } from './classification.js';
import type { FtzList } from './policy.js';

export interface FtzOutcome {
  readonly area: FtzArea | null;
  readonly listId: string | null;
  readonly listVersion: string | null;
  /** null when the exporter is not FTZ-registered or no list version is in force for its area. */
  readonly match: FtzMatch | null;
  /** A hit entry declares one of the transfer's fields important data (publication, Provisions 2024 art. 2). */
  readonly declaresImportant: boolean;
  /** Why no list is in force for a registered exporter's area (null when one is, or when not registered). */
  readonly notInForce: string | null;
}

export interface FtzQuery {
  readonly area: FtzArea | null;
  readonly businessType: BusinessType;
  readonly dataCategories: readonly string[];
  /** Yearly totals including this transfer, compared with the entries' thresholds (以上: inclusive). */
  readonly projectedIndividuals: number;
  readonly projectedSensitive: number;
  readonly nowMs: number;
  /** settings ftz.allowExampleLists (rules reference §0.1: an example list is never in force otherwise). */
  readonly allowExampleLists: boolean;
}

const notRegistered: FtzOutcome = Object.freeze({
  area: null,
  listId: null,
  listVersion: null,
  match: null,
  declaresImportant: false,
  notInForce: null,
});

export interface FtzListStatus {
  readonly area: FtzArea;
  readonly listId: string | null;
  readonly version: string | null;
  readonly example: boolean;
  readonly inForce: boolean;
  /** One line: which list is in force, or why none is. */
  readonly detail: string;
}

/** Which list version is in force for `area` at `nowMs`, or why none is (rules reference §0.1, §7). Pure. */
export function ftzListStatus(
  area: FtzArea,
  lists: readonly FtzList[],
  nowMs: number,
  allowExampleLists: boolean,
): FtzListStatus {
  const list = lists.find((l) => l.areas.includes(area));
  if (list === undefined)
    return {
      area,
      listId: null,
      version: null,
      example: false,
      inForce: false,
      detail: `no negative list is loaded for area ${area}: no Provisions 2024 art. 6 exemption`,
    };
  const version = list.versions.find((v) => v.effectiveFromMs <= nowMs);
  if (version === undefined)
    return {
      area,
      listId: list.listId,
      version: null,
      example: list.example,
      inForce: false,
      detail: `list ${list.listId} (${list.file}) has no version in force yet (first effective ${list.versions.at(-1)?.effectiveFrom ?? '?'})`,
    };
  if (list.example && !allowExampleLists)
    return {
      area,
      listId: list.listId,
      version: version.version,
      example: true,
      inForce: false,
      detail: `list ${list.listId} version ${version.version} (${list.file}) is EXAMPLE data, not the official list, and example lists are not allowed (settings ftz.allowExampleLists): no list is in force, so no Provisions 2024 art. 6 exemption`,
    };
  return {
    area,
    listId: list.listId,
    version: version.version,
    example: list.example,
    inForce: true,
    detail: list.example
      ? `list ${list.listId} version ${version.version} (${list.file}) is in force although it is EXAMPLE data: example lists are allowed (demo only)`
      : `list ${list.listId} version ${version.version} (${list.file}, effective ${version.effectiveFrom}) is in force`,
  };
}

/** An entry applies when its scenario and data field match; its mechanism binds once either threshold is reached
 * (a null threshold places no volume condition; both null: any volume). The strictest mechanism wins (SA). */
export function matchFtzList(query: FtzQuery, lists: readonly FtzList[]): FtzOutcome {
  const { area } = query;
  if (area === null) return notRegistered;
  // effective_from ≤ now, and not example data unless allowed: the list must be in force (§10.2 row 18, §0.1).
  const status = ftzListStatus(area, lists, query.nowMs, query.allowExampleLists);
  const list = lists.find((l) => l.listId === status.listId);
  const version = list?.versions.find((v) => v.version === status.version);
  if (!status.inForce || list === undefined || version === undefined) {
    return {
      area,
      listId: null,
      listVersion: null,
      match: null,
      declaresImportant: false,
      notInForce: status.detail,
    };
  }
  let match: FtzMatch = 'none';
  let declaresImportant = false;
  for (const entry of version.entries) {
    if (entry.scenario !== '*' && entry.scenario !== query.businessType) continue;
    if (!query.dataCategories.includes(entry.data_field)) continue;
    if (entry.grade_flag === 'important') declaresImportant = true;
    const ns = entry.threshold_ns;
    const s = entry.threshold_s;
    const binds =
      (ns === null && s === null) ||
      (ns !== null && query.projectedIndividuals >= ns) ||
      (s !== null && query.projectedSensitive >= s);
    if (!binds) continue;
    if (entry.mechanism === 'SA') match = 'SA';
    else if (match === 'none') match = 'SCC_CERT';
  }
  return {
    area,
    listId: list.listId,
    listVersion: version.version,
    match,
    declaresImportant,
    notInForce: null,
  };
}

/** The status of every Guangxi FTZ area at `now`: what the boot log, /readyz and `policy explain` report. */
export function ftzListsInForce(
  policy: {
    readonly ftzLists: readonly FtzList[];
    readonly settings: { readonly ftz: { readonly allowExampleLists: boolean } };
  },
  now: Date,
): FtzListStatus[] {
  return ftzAreas.map((area) =>
    ftzListStatus(area, policy.ftzLists, now.getTime(), policy.settings.ftz.allowExampleLists),
  );
}
