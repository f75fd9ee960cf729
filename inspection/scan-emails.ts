// inspection/scan-emails: finds e-mail addresses in one window by jumping from '@' to '@' with the native
// Buffer.indexOf. No allocation per finding; must not look at bytes outside the view.
import { EMAIL } from './detectors.js';
import { matchEmail } from './email.js';
import { pushToken, type TokenList } from './token-list.js';

/** The '@' of an address starting before `to` is at most 65 bytes later (RFC 5321: 64-octet local part). */
const AT_SLACK = 66;

/** Pushes every address starting in [from, to) of `view` (which ends where the known bytes end). */
export function scanEmails(
  view: Buffer,
  from: number,
  to: number,
  final: boolean,
  out: TokenList,
  scratch: Int32Array,
): void {
  const end = view.length;
  const limit = Math.min(end, to + AT_SLACK);
  for (let at = view.indexOf(0x40, from); at >= 0 && at < limit; at = view.indexOf(0x40, at + 1)) {
    if (!matchEmail(view, at, end, final, scratch)) continue;
    const start = scratch[0] as number;
    if (start >= from && start < to) pushToken(out, EMAIL, start, start, scratch[1] as number);
  }
}
