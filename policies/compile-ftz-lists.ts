// policies/compile-ftz-lists: turns ftz-list files (regulation.md §7 entry model) into versioned lists per FTZ area,
// refusing contradictions: one list per file, one effective date per version, duplicate entries, an `important`
// field without security assessment, an SCC/CERT entry an SA entry always shadows, and areas claimed twice. Pure.
import type { FtzArea } from './classification.js';
import type { PolicyIssue } from './policy-error.js';
import type { FtzListFile } from './policy-files.js';
import type { FtzList, FtzListEntry, FtzListVersion } from './policy.js';

/** A list date means the start of that day in China (UTC+8). */
function ftzDateMs(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

/** Whether an SA entry matches every volume an SCC/CERT entry matches (a null threshold means "any volume"). */
function shadows(sa: FtzListEntry, scc: FtzListEntry): boolean {
  if (sa.threshold_ns === null && sa.threshold_s === null) return true;
  if (scc.threshold_ns === null && scc.threshold_s === null) return false;
  const covers = (a: number | null, c: number | null) => c === null || (a !== null && a <= c);
  return covers(sa.threshold_ns, scc.threshold_ns) && covers(sa.threshold_s, scc.threshold_s);
}

export function compileFtzLists(files: readonly { name: string; value: FtzListFile }[]): {
  lists: FtzList[];
  issues: PolicyIssue[];
} {
  const issues: PolicyIssue[] = [];
  const lists: FtzList[] = [];
  const listFiles = new Map<string, string>();
  const areaLists = new Map<FtzArea, string>();
  for (const { name, value } of files) {
    const issue = (path: string, message: string) => issues.push({ file: name, path, message });
    const first = value.entries[0];
    if (first === undefined) {
      issue(
        '/entries',
        'must list at least one entry (an empty list would exempt everything under Provisions 2024 art. 6)',
      );
      continue;
    }
    const listId = first.list_id;
    const other = listFiles.get(listId);
    if (other !== undefined) issue('/entries/0/list_id', `list ${listId} is already defined in ${other}`);
    listFiles.set(listId, name);
    value.areas.forEach((area, i) => {
      const claimed = areaLists.get(area);
      if (claimed !== undefined && claimed !== listId)
        issue(`/areas/${i}`, `area ${area} is already covered by list ${claimed}`);
      areaLists.set(area, listId);
    });

    const versions = new Map<string, { effectiveFrom: string; entries: FtzListEntry[]; index: number }>();
    const keys = new Map<string, number>();
    value.entries.forEach((entry, i) => {
      const base = `/entries/${i}`;
      if (entry.list_id !== listId) issue(`${base}/list_id`, `differs from ${listId}: one list per file`);
      if (!isCalendarDate(entry.effective_from))
        issue(`${base}/effective_from`, 'is not a calendar date (YYYY-MM-DD)');
      if (entry.grade_flag === 'important' && entry.mechanism !== 'SA') {
        issue(
          `${base}/mechanism`,
          'must be SA for a field the list declares important data (Provisions 2024 art. 7(2))',
        );
      }
      const version = versions.get(entry.version);
      if (version === undefined)
        versions.set(entry.version, { effectiveFrom: entry.effective_from, entries: [entry], index: i });
      else {
        if (version.effectiveFrom !== entry.effective_from) {
          issue(
            `${base}/effective_from`,
            `version ${entry.version} is effective from ${version.effectiveFrom} (entries/${version.index})`,
          );
        }
        version.entries.push(entry);
      }
      const key = `${entry.version}\0${entry.scenario}\0${entry.data_field}\0${entry.mechanism}`;
      const dup = keys.get(key);
      if (dup !== undefined)
        issue(base, `duplicates entries/${dup} (same version, scenario, data_field and mechanism)`);
      keys.set(key, i);
    });

    // The strictest mechanism wins, so an SCC/CERT entry that an SA entry always covers can never decide.
    value.entries.forEach((scc, i) => {
      if (scc.mechanism !== 'SCC_CERT') return;
      const k = value.entries.findIndex(
        (sa) =>
          sa.mechanism === 'SA' &&
          sa.version === scc.version &&
          sa.data_field === scc.data_field &&
          (sa.scenario === '*' || sa.scenario === scc.scenario) &&
          shadows(sa, scc),
      );
      if (k >= 0)
        issue(
          `/entries/${i}/mechanism`,
          `can never decide: SA entry entries/${k} matches whenever it does (the strictest mechanism wins)`,
        );
    });

    const dates = new Map<string, string>();
    const compiled: FtzListVersion[] = [];
    for (const [version, v] of versions) {
      const same = dates.get(v.effectiveFrom);
      if (same !== undefined) {
        issue(
          `/entries/${v.index}/effective_from`,
          `versions ${same} and ${version} take effect the same day: which is in force is undecidable`,
        );
      }
      dates.set(v.effectiveFrom, version);
      compiled.push({
        listId,
        version,
        effectiveFrom: v.effectiveFrom,
        effectiveFromMs: ftzDateMs(v.effectiveFrom),
        entries: v.entries,
      });
    }
    compiled.sort((a, b) => b.effectiveFromMs - a.effectiveFromMs);
    lists.push({ file: name, listId, example: value.example, areas: value.areas, versions: compiled });
  }
  return { lists, issues };
}
