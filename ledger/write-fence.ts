// ledger/write-fence: what a store needs to know of the sequencer lease to refuse a stale writer. Types only.

export interface WriteFence {
  /** The writer's term (sequencer-lease.ts): larger than every earlier term's, so a store can tell stale writes. */
  readonly epoch: number;
  /** Local view of the lease: false once it is lost or about to lapse; a store checks it before each write. */
  holding(): boolean;
}
