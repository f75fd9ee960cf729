// transfers/filing-expiry: which active filings run out soon — pure (filings and `now` in, a list out), so the
// review console's expiring-soon list and an expiry metric compute the same thing. Renewal of a CAC filing
// takes weeks of paperwork, hence a warning window counted in working days.
import { countWorkingDays, weekdaysOnly, type WorkingDayCalendar } from '../policies/working-days.js';
import { parseInstant, type Filing } from '../registry/records.js';

/** How far ahead a filing counts as expiring: 60 working days (Provisions 2024 art. 9's extension window), on the
 * State Council working-day calendar (policies/working-days.yaml). */
export const expiryWarningWorkingDays = 60;

export interface ExpiringFiling {
  readonly filing: Filing;
  /** validUntil as an instant (RFC 3339, UTC), capped for an assessment or certification (filingExpiresAt). */
  readonly expiresAt: string;
  /** Working days from today (exclusive) to the expiry day (inclusive), on the State Council calendar. */
  readonly workingDaysLeft: number;
}

/** Provisions 2024 art. 9 (assessment result) and Order 20 (certification): valid 3 years from issue. */
const cappedValidityYears = 3;
/** Rules reference §0.1 C7: a PI certification is capped at validFrom + 3 years like an assessment result. */
const cappedKinds: readonly Filing['kind'][] = ['security_assessment', 'certification'];

/**
 * When a filing stops being valid: validUntil, capped at validFrom + 3 years for a security assessment
 * (Provisions 2024 art. 9) and a certification (Order 20; §0.1 C7). The filing check (transfers/checks/check-filing.ts)
 * uses the same instant, so a filing shows as expiring before the check starts failing it. Null when a date does
 * not parse.
 */
export function filingExpiresAt(filing: Pick<Filing, 'kind' | 'validFrom' | 'validUntil'>): Date | null {
  const until = parseInstant(filing.validUntil);
  if (!cappedKinds.includes(filing.kind)) return until;
  const from = parseInstant(filing.validFrom);
  if (from === null) return until;
  const cap = new Date(from);
  cap.setUTCFullYear(cap.getUTCFullYear() + cappedValidityYears);
  return until === null || until > cap ? cap : until;
}

/** Order 13 art. 7: a standard contract is filed within 10 working days after it takes effect. */
export const sccFilingWorkingDays = 10;

/**
 * Whether a standard contract was filed late (more than 10 working days after contractEffectiveOn, on the State
 * Council calendar): flagged to reviewers, not a reason to refuse the filing. Null when not applicable or not known.
 */
export function sccFilingDelay(
  filing: Pick<Filing, 'kind' | 'filedOn' | 'contractEffectiveOn'>,
  calendar: WorkingDayCalendar = weekdaysOnly,
): { readonly workingDays: number; readonly late: boolean } | null {
  if (
    filing.kind !== 'standard_contract' ||
    filing.filedOn === undefined ||
    filing.contractEffectiveOn === undefined
  )
    return null;
  const effective = parseInstant(filing.contractEffectiveOn);
  const filed = parseInstant(filing.filedOn);
  if (effective === null || filed === null) return null;
  const workingDays = filed <= effective ? 0 : countWorkingDays(effective, filed, calendar);
  return { workingDays, late: workingDays > sccFilingWorkingDays };
}

export { countWorkingDays };

/**
 * Active filings whose validUntil lies after `now` and within `workingDays` working days of it, soonest first.
 * Revoked and already expired filings are not "expiring": the filing check fails them on its own.
 */
export function listExpiringFilings(
  filings: readonly Filing[],
  now: Date,
  workingDays: number = expiryWarningWorkingDays,
  calendar: WorkingDayCalendar = weekdaysOnly,
): ExpiringFiling[] {
  const out: ExpiringFiling[] = [];
  for (const filing of filings) {
    if (filing.status !== 'active') continue;
    const until = filingExpiresAt(filing);
    if (until === null || until <= now) continue;
    const left = countWorkingDays(now, until, calendar);
    if (left <= workingDays) out.push({ filing, expiresAt: until.toISOString(), workingDaysLeft: left });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.filing.id.localeCompare(b.filing.id));
}
