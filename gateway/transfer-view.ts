// gateway/transfer-view: what each role reads of a transfer record. Enterprises see a delivery attempt's outcome
// code and its fixed text, never the network error behind it (api.md §5: the raw error would let an exporter
// scan the partner's network through the gateway). New attempts are written that way already; this also
// covers records written before the outcome codes were split (detail then held the socket error's text).
import type { Principal } from './principal.js';
import { attemptOutcomes, type TransferRecord } from '../registry/transfer.js';

const deliveryFailed = 'R-DELIVERY-FAILED';
/** What process-delivery writes now: the count, the outcome code and its fixed text. */
const safeFailureMessage = /^Delivery failed after \d+ attempt\(s\): [a-z0-9_]+ \([^()]*\)$/;

export function viewTransfer(principal: Principal, record: TransferRecord): TransferRecord {
  if (principal.role !== 'enterprise') return record;
  const attempts = record.deliveryAttempts.map((a) => ({
    ...a,
    // The fixed text for the code; an HTTP status after it (`…: 503`) is the partner's answer, not our network's.
    detail:
      a.detail.startsWith(attemptOutcomes[a.outcome]) &&
      /^(: \d{3})?$/.test(a.detail.slice(attemptOutcomes[a.outcome].length))
        ? a.detail
        : attemptOutcomes[a.outcome],
  }));
  const last = attempts.at(-1);
  const holdReasons = record.holdReasons.map((r) =>
    r.code === deliveryFailed && last !== undefined && !safeFailureMessage.test(r.message)
      ? {
          ...r,
          message: `Delivery failed after ${attempts.length} attempt(s): ${last.outcome} (${last.detail})`,
          ...('messageZh' in r ? { messageZh: `${attempts.length} 次投递均失败：${last.outcome}` } : {}),
        }
      : r,
  );
  return { ...record, deliveryAttempts: attempts, holdReasons };
}
