// inspection/scan-digits: the hot loop. Finds every identifier that contains a run of digits (resident ID, USCC,
// bank card, mobile, passport, permit, coordinates) in one window of a byte buffer. No allocation per byte or per
// finding; must not look at bytes outside [0, end).
import { ALPHA, byteClass, DIGIT, isDigit } from './byte-classes.js';
import { matchCoordinates } from './coordinates.js';
import { BANK_CARD, COORDINATES, HK_MACAO_PERMIT, MOBILE, PASSPORT, RESIDENT_ID, USCC } from './detectors.js';
import { checkHkMacaoPermit } from './hk-macao-permit.js';
import { checkLuhn } from './luhn.js';
import { matchMobile } from './mobile.js';
import { checkPassport } from './passport.js';
import { checkResidentId } from './resident-id.js';
import { pushToken, type TokenList } from './token-list.js';
import { checkUscc } from './uscc.js';

/**
 * Every identifier of interest holds a run of at least 4 digits (4 decimals of a coordinate; 6+ for the rest), so
 * the loop looks only for runs of 4 and expands around those. Quantities, prices and dates (short runs) cost a
 * load or two each: on digit-dense order lines this is 1.7 times faster than expanding around every digit.
 */
const RUN = 4;
/** The shortest digit run that can belong to an identifier other than coordinates (a USCC's region code). */
const MIN_ID_RUN = 6;
/** The longest identifier made of letters and digits (a USCC). */
const MAX_ALPHANUMERIC = 18;
/** How far past `to` a run may start and still belong to a finding that starts before `to` ("EA1234567"). */
const START_SLACK = 12;

const ALNUM = ALPHA | DIGIT;

/**
 * Scans buf for findings that start in [from, to) and pushes them to `out` in order of start. Bytes in [0, from)
 * are context already scanned, bytes in [to, end) lookahead; `final` says whether `end` is the end of the stream
 * (otherwise a run touching `end` is undecided and left to a later window, which will see it whole).
 *
 * Boundaries: a digit identifier is a maximal run of digits (so never part of a longer number); a run that is
 * part of a decimal ("0.1234567890123456") is not an identifier; letter-led identifiers (passport, permit, USCC)
 * are whole runs of letters and digits, and the digits inside an accepted one are not scanned again.
 */
export function scanDigits(
  buf: Uint8Array,
  from: number,
  to: number,
  end: number,
  final: boolean,
  out: TokenList,
  scratch: Int32Array,
): void {
  const limit = Math.min(end, to + START_SLACK);
  let suppressEnd = -1;
  let lastAlnumStart = -1;
  // `i` is the last byte of a window of RUN bytes that might all be digits: the windows move right by as many
  // bytes as the rightmost non-digit in them allows (Boyer-Moore-Horspool for "RUN digits in a row"), so a
  // short number costs one or two loads. Every window that ends at or after `from` and starts before `limit`
  // is tested, hence every run of RUN or more digits that covers `from` or starts in [from, limit) is found.
  let i = from;
  const lastEnd = Math.min(end, limit + RUN - 1);
  while (i < lastEnd) {
    if (!isDigit(buf[i] as number)) {
      i += RUN;
      continue;
    }
    if (i < 1 || !isDigit(buf[i - 1] as number)) {
      i += RUN - 1;
      continue;
    }
    if (i < 2 || !isDigit(buf[i - 2] as number)) {
      i += RUN - 2;
      continue;
    }
    if (i < 3 || !isDigit(buf[i - 3] as number)) {
      i += RUN - 3;
      continue;
    }
    let s = i - 3;
    while (s > 0 && isDigit(buf[s - 1] as number)) s--;
    let e = i + 1;
    while (e < end && isDigit(buf[e] as number)) e++;
    i = e + RUN;
    if (e === end && !final) continue;
    const prev = s > 0 ? (buf[s - 1] as number) : 0x20;
    const next = e < end ? (buf[e] as number) : 0x20;

    if (prev === 0x2e && s >= 2 && isDigit(buf[s - 2] as number)) {
      // The decimals of a number: only a coordinate pair can start here.
      if (e - s >= 4 && matchCoordinates(buf, s, e, end, final, scratch)) {
        const start = scratch[0] as number;
        if (start >= from && start < to) pushToken(out, COORDINATES, start, start, scratch[1] as number);
        i = (scratch[1] as number) + RUN;
      }
      continue;
    }
    if (next === 0x2e && e + 1 < end && isDigit(buf[e + 1] as number)) continue;
    if (e - s < MIN_ID_RUN || s < suppressEnd) continue;

    if (
      e - s < MAX_ALPHANUMERIC &&
      (((byteClass[prev] as number) | (byteClass[next] as number)) & ALPHA) !== 0
    ) {
      // The letters-and-digits token around the run, looked for only as far as the longest such identifier (a
      // USCC, 18) so that a long run of letters and digits costs nothing more per digit run inside it.
      const floor = Math.max(0, e - MAX_ALPHANUMERIC - 1);
      let as = s;
      while (as > floor && ((byteClass[buf[as - 1] as number] as number) & ALNUM) !== 0) as--;
      const ceiling = Math.min(end, s + MAX_ALPHANUMERIC + 1);
      let ae = e;
      while (ae < ceiling && ((byteClass[buf[ae] as number] as number) & ALNUM) !== 0) ae++;
      const decided = ae < end || final;
      if (decided && ae - as <= MAX_ALPHANUMERIC && as !== lastAlnumStart) {
        lastAlnumStart = as;
        const kind = classifyAlphanumeric(buf, as, ae, s, e);
        if (kind >= 0) {
          if (as >= from && as < to) pushToken(out, kind, as, as, ae);
          suppressEnd = ae;
          i = ae + RUN;
          continue;
        }
      }
    }
    classifyDigitRun(buf, s, e, end, final, prev, next, from, to, out);
  }
}

/** A whole letters-and-digits token [as, ae) holding the digit run [s, e): which identifier it is, or -1. */
function classifyAlphanumeric(buf: Uint8Array, as: number, ae: number, s: number, e: number): number {
  const length = ae - as;
  if (length === 18) {
    // 17 digits and x: a resident ID (GB 11643) takes precedence over a USCC (GB 32100) of the same shape.
    if (as === s && e - s === 17 && checkResidentId(buf, s)) return RESIDENT_ID;
    if (checkUscc(buf, as)) return USCC;
    return -1;
  }
  if (length === 9 && checkPassport(buf, as, ae)) return PASSPORT;
  if (length >= 9 && length <= 11 && checkHkMacaoPermit(buf, as, ae)) return HK_MACAO_PERMIT;
  return -1;
}

/** A maximal digit run [s, e) that is not part of a decimal: resident ID, all-digit USCC, bank card or mobile. */
function classifyDigitRun(
  buf: Uint8Array,
  s: number,
  e: number,
  end: number,
  final: boolean,
  prev: number,
  next: number,
  from: number,
  to: number,
  out: TokenList,
): void {
  if (s < from || s >= to) return;
  const length = e - s;
  if (length === 17 && (next === 0x58 || next === 0x78)) {
    const after = e + 1 < end ? (buf[e + 1] as number) : final ? 0x20 : -1;
    if (after >= 0 && !isDigit(after) && checkResidentId(buf, s)) {
      pushToken(out, RESIDENT_ID, s, s, e + 1);
      return;
    }
  }
  if (length === 18 && checkResidentId(buf, s)) {
    pushToken(out, RESIDENT_ID, s, s, e);
    return;
  }
  if (length >= 16 && length <= 19) {
    // ISO/IEC 7812-1: payment card numbers are up to 19 digits with a Luhn check digit; UnionPay uses 16-19. An
    // 18-digit run valid both as a card and as an all-digit USCC is taken as the card (PI; fail closed).
    if (checkLuhn(buf, s, e)) pushToken(out, BANK_CARD, s, s, e);
    else if (length === 18 && (((byteClass[prev] as number) | (byteClass[next] as number)) & ALNUM) === 0) {
      if (checkUscc(buf, s)) pushToken(out, USCC, s, s, e);
    }
    return;
  }
  if (length === 11 || length === 13 || length === 15) {
    const at = matchMobile(buf, s, e);
    if (at >= 0) pushToken(out, MOBILE, s, at, e);
  }
}
