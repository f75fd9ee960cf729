// ledger/ledger-error: the few error codes the ledger throws. Bad proofs and signatures are results, not errors;
// these are misuse (OUT_OF_RANGE, CLOSED), contention (LOCKED, FENCED), infrastructure (IO, TIMEOUT) and damage (CORRUPT).

export type LedgerErrorCode =
  /** An index or size beyond the tree: a caller asked for something that does not exist (HTTP 404/400). */
  | 'OUT_OF_RANGE'
  /** Another store in this process writes this ledger directory. */
  | 'LOCKED'
  /** The writer's lease term is over (lost, or a newer epoch opened the store): it must not write. */
  | 'FENCED'
  | 'CLOSED'
  /** A write or fsync failed; the store refuses further appends until it is reopened (and recovered). */
  | 'IO'
  /** An append was not acknowledged in time; retrying with the same event id is safe (idempotent). */
  | 'TIMEOUT'
  /** Stored data contradicts itself (e.g. Redis says more entries were acknowledged than the disk holds). */
  | 'CORRUPT'
  /** The event is not fit for the ledger (not JSON data, no type or time, too large). */
  | 'BAD_EVENT';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
