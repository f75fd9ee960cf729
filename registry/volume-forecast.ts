// registry/volume-forecast: when an exporter would cross the yearly lines (api.md §10: 100,000 and 1,000,000
// individuals, 10,000 sensitive; Provisions 2024 arts. 7, 8) at its pace so far this year. Pure: the count, the
// thresholds and `now` in; dates (Asia/Shanghai calendar days) out. The count restarts on 1 January, so a
// crossing forecast past 31 December is `not_this_year`.
import type { Thresholds } from '../policies/policy.js';

const dayMs = 86_400_000;
const chinaOffsetMs = 8 * 3600_000;

export interface Crossing {
  readonly measure: 'individuals' | 'sensitiveIndividuals';
  readonly line: number;
  /** reached: at or past it now; forecast: at this pace, on `date`; not_this_year: after 31 December; no_pace: none yet. */
  readonly status: 'reached' | 'forecast' | 'not_this_year' | 'no_pace';
  /** The China calendar day of the forecast crossing (YYYY-MM-DD), for `forecast` only. */
  readonly date: string | null;
}

export interface VolumeForecast {
  /** People per day since 1 January (Asia/Shanghai) at the current count. */
  readonly perDay: { readonly individuals: number; readonly sensitiveIndividuals: number };
  readonly crossings: readonly Crossing[];
}

function chinaDay(at: number): string {
  return new Date(at + chinaOffsetMs).toISOString().slice(0, 10);
}

export function forecastVolume(
  count: { readonly individuals: number; readonly sensitive: number },
  thresholds: Thresholds,
  now: Date,
): VolumeForecast {
  const year = new Date(now.getTime() + chinaOffsetMs).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) - chinaOffsetMs;
  const yearEnd = Date.UTC(year + 1, 0, 1) - chinaOffsetMs;
  // At least an hour elapsed: a count right after midnight on 1 January would give an absurd pace.
  const elapsedDays = Math.max(now.getTime() - yearStart, 3600_000) / dayMs;
  const cross = (measure: Crossing['measure'], value: number, line: number): Crossing => {
    if (value >= line) return { measure, line, status: 'reached', date: null };
    if (value <= 0) return { measure, line, status: 'no_pace', date: null };
    const at = yearStart + (line / value) * elapsedDays * dayMs;
    return at >= yearEnd
      ? { measure, line, status: 'not_this_year', date: null }
      : { measure, line, status: 'forecast', date: chinaDay(at) };
  };
  return {
    perDay: {
      individuals: Math.round((count.individuals / elapsedDays) * 100) / 100,
      sensitiveIndividuals: Math.round((count.sensitive / elapsedDays) * 100) / 100,
    },
    crossings: [
      cross('individuals', count.individuals, thresholds.nonSensitive.standardContract),
      cross('individuals', count.individuals, thresholds.nonSensitive.securityAssessment),
      cross('sensitiveIndividuals', count.sensitive, thresholds.sensitive.securityAssessment),
    ],
  };
}
