// registry/filing-expiry: which active filings run out soon — pure (filings and `now` in, a list out), so the
// review console's expiring-soon list and an expiry metric compute the same thing. Renewal of a CAC filing
// takes weeks of paperwork, hence a warning window counted in working days.
import { parseInstant, type Filing } from './records.js';

/** How far ahead a filing counts as expiring: 60 working days (Mon–Fri), about three months of office time. */
export const expiryWarningWorkingDays = 60;

const dayMs = 86_400_000;
/** Filing dates are China time (records.ts parseInstant): weekdays are counted on the Asia/Shanghai calendar. */
const shanghaiOffsetMs = 8 * 3_600_000;

export interface ExpiringFiling {
  readonly filing: Filing;
  /** validUntil as an instant (RFC 3339, UTC), capped for a security assessment (filingExpiresAt). */
  readonly expiresAt: string;
  /** Working days (Mon–Fri) from today (exclusive) to the expiry day (inclusive), on the Shanghai calendar. */
  readonly workingDaysLeft: number;
}

/** Provisions 2024 art. 9: a security-assessment result is valid for 3 years from issue, whatever is recorded. */
const assessmentValidityYears = 3;

/**
 * When a filing stops being valid: validUntil, capped at validFrom + 3 years for a security assessment
 * (Provisions 2024 art. 9). The filing check (workers/checks/check-filing.ts) uses the same instant, so a filing
 * shows as expiring before the check starts failing it. Null when a date does not parse.
 */
export function filingExpiresAt(filing: Pick<Filing, 'kind' | 'validFrom' | 'validUntil'>): Date | null {
  const until = parseInstant(filing.validUntil);
  if (filing.kind !== 'security_assessment') return until;
  const from = parseInstant(filing.validFrom);
  if (from === null) return until;
  const cap = new Date(from);
  cap.setUTCFullYear(cap.getUTCFullYear() + assessmentValidityYears);
  return until === null || until > cap ? cap : until;
}

/** The Shanghai calendar day of an instant, as days since 1970-01-01. */
const shanghaiDay = (at: Date): number => Math.floor((at.getTime() + shanghaiOffsetMs) / dayMs);
/** 1970-01-01 was a Thursday: day 0 → 4 (Sunday 0 … Saturday 6). */
const isWeekday = (day: number): boolean => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday >= 1 && weekday <= 5;
};

export function countWorkingDays(from: Date, until: Date): number {
  let count = 0;
  for (let day = shanghaiDay(from) + 1; day <= shanghaiDay(until); day += 1) if (isWeekday(day)) count += 1;
  return count;
}

/**
 * Active filings whose validUntil lies after `now` and within `workingDays` working days of it, soonest first.
 * Revoked and already expired filings are not "expiring": the filing check fails them on its own.
 */
export function listExpiringFilings(
  filings: readonly Filing[],
  now: Date,
  workingDays: number = expiryWarningWorkingDays,
): ExpiringFiling[] {
  const out: ExpiringFiling[] = [];
  for (const filing of filings) {
    if (filing.status !== 'active') continue;
    const until = filingExpiresAt(filing);
    if (until === null || until <= now) continue;
    const left = countWorkingDays(now, until);
    if (left <= workingDays) out.push({ filing, expiresAt: until.toISOString(), workingDaysLeft: left });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.filing.id.localeCompare(b.filing.id));
}
