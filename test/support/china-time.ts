// test/support/china-time: calendar dates as the gateway reads them. Bare dates are days in Asia/Shanghai
// (UTC+8, no daylight saving; registry/records.ts parseInstant), so a test that builds "today" in UTC is a day
// behind from 16:00 to 24:00 UTC and fails then.
const chinaOffsetMs = 8 * 3600_000;
const dayMs = 86_400_000;

/** The China calendar date `days` after `at` (default: now), as YYYY-MM-DD. */
export function chinaDate(days = 0, at: Date = new Date()): string {
  return new Date(at.getTime() + chinaOffsetMs + days * dayMs).toISOString().slice(0, 10);
}
