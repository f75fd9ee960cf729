// policies/working-days: the mainland working-day calendar (State Council 放假安排, policies/working-days.yaml) and
// the working-day arithmetic every deadline uses (Provisions 2024 art. 9: 60 working days before expiry; Order 13
// art. 7: 10 working days to file). Days are calendar days in Asia/Shanghai (UTC+8, no daylight saving). Pure.
import type { FieldIssue } from '../platform/errors.js';

export interface WorkingDayCalendar {
  /** Years whose arrangement is loaded; other years count Monday–Friday only. */
  readonly years: readonly string[];
  /** YYYY-MM-DD (a Shanghai calendar day) → working day? */
  isWorkingDay(day: string): boolean;
}

export interface WorkingDaysFile {
  readonly kind: 'working-days';
  readonly years: Readonly<
    Record<
      string,
      { readonly source: string; readonly holidays: readonly string[]; readonly workdays: readonly string[] }
    >
  >;
}

const dayMs = 86_400_000;
const shanghaiOffsetMs = 8 * 3_600_000;

/** The Shanghai calendar day of an instant, as days since 1970-01-01. */
export const shanghaiDayNumber = (at: Date): number => Math.floor((at.getTime() + shanghaiOffsetMs) / dayMs);
const dayText = (n: number): string => new Date(n * dayMs).toISOString().slice(0, 10);
/** 1970-01-01 was a Thursday: day 0 → 4 (Sunday 0 … Saturday 6). */
const weekdayOf = (n: number): number => (((n + 4) % 7) + 7) % 7;
const isWeekend = (day: string): boolean => {
  const w = weekdayOf(Math.floor(Date.parse(`${day}T00:00:00Z`) / dayMs));
  return w === 0 || w === 6;
};

/** Monday–Friday, no holidays: the fallback for years with no arrangement loaded. */
export const weekdaysOnly: WorkingDayCalendar = Object.freeze({
  years: [],
  isWorkingDay: (day: string) => !isWeekend(day),
});

export function compileWorkingDays(file: WorkingDaysFile): {
  calendar: WorkingDayCalendar;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const [year, entry] of Object.entries(file.years)) {
    const check = (list: readonly string[], name: 'holidays' | 'workdays', weekend: boolean) =>
      list.forEach((day, i) => {
        const path = `/years/${year}/${name}/${i}`;
        const ms = Date.parse(`${day}T00:00:00Z`);
        if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
          issues.push({ path, message: 'is not a calendar date (YYYY-MM-DD)' });
        else if (!day.startsWith(`${year}-`)) issues.push({ path, message: `is not in ${year}` });
        else if (isWeekend(day) !== weekend)
          issues.push({
            path,
            message: weekend
              ? 'is a weekday: only a weekend day can be a make-up working day (调休)'
              : 'is a weekend day: list only the weekdays off',
          });
        (name === 'holidays' ? holidays : workdays).add(day);
      });
    check(entry.holidays, 'holidays', false);
    check(entry.workdays, 'workdays', true);
  }
  const years = Object.keys(file.years).sort();
  return {
    calendar: {
      years,
      isWorkingDay: (day) => workdays.has(day) || (!isWeekend(day) && !holidays.has(day)),
    },
    issues,
  };
}

/** Working days from the day after `from` to the day of `until`, inclusive, on the Shanghai calendar. */
export function countWorkingDays(
  from: Date,
  until: Date,
  calendar: WorkingDayCalendar = weekdaysOnly,
): number {
  let count = 0;
  for (let day = shanghaiDayNumber(from) + 1; day <= shanghaiDayNumber(until); day += 1)
    if (calendar.isWorkingDay(dayText(day))) count += 1;
  return count;
}
