// policies/match-ftz-list: finds the FTZ negative-list version in force for the exporter's area at `now` and the
// entries the transfer hits (Provisions 2024 art. 6; regulation.md §7, §10.1 I7). Pure.
import type { BusinessType } from './manifest.js';
import type { FtzArea, FtzMatch } from './classification.js';
import type { FtzList } from './policy.js';

export interface FtzOutcome {
  readonly area: FtzArea | null;
  readonly listId: string | null;
  readonly listVersion: string | null;
  /** null when the exporter is not FTZ-registered or no list version is in force for its area. */
  readonly match: FtzMatch | null;
  /** A hit entry declares one of the transfer's fields important data (publication, Provisions 2024 art. 2). */
  readonly declaresImportant: boolean;
}

export interface FtzQuery {
  readonly area: FtzArea | null;
  readonly businessType: BusinessType;
  readonly dataCategories: readonly string[];
  /** Yearly totals including this transfer, compared with the entries' thresholds (以上: inclusive). */
  readonly projectedIndividuals: number;
  readonly projectedSensitive: number;
  readonly nowMs: number;
}

const notRegistered: FtzOutcome = Object.freeze({
  area: null,
  listId: null,
  listVersion: null,
  match: null,
  declaresImportant: false,
});

/** An entry applies when its scenario and data field match; its mechanism binds once either threshold is reached
 * (a null threshold places no volume condition; both null: any volume). The strictest mechanism wins (SA). */
export function matchFtzList(query: FtzQuery, lists: readonly FtzList[]): FtzOutcome {
  const { area } = query;
  if (area === null) return notRegistered;
  const list = lists.find((l) => l.areas.includes(area));
  // effective_from ≤ now: the list must be in force (regulation.md §10.2 row 18).
  const version = list?.versions.find((v) => v.effectiveFromMs <= query.nowMs);
  if (list === undefined || version === undefined) {
    return { area, listId: null, listVersion: null, match: null, declaresImportant: false };
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
  return { area, listId: list.listId, listVersion: version.version, match, declaresImportant };
}
