// ledger/sequencer: the contract between the ledger service and whatever decides the order of entries — in one
// process (local-sequencer.ts) or one elected process among many (redis-sequencer.ts). Types only.

export interface SequencerItem {
  /** Event id: a repeated id is integrated once and answers with the first index (idempotent retries). */
  readonly id: string;
  /** Leaf bytes (RFC 8785 canonical JSON of the event, whose `eventId` field equals `id`). */
  readonly leaf: Buffer;
  /**
   * true when the id was made up for this one submission (the event came without an `eventId`): nobody will
   * submit it again, so its index need only be remembered while the submitter may still be waiting for it.
   */
  readonly once?: boolean;
}

export interface Sequenced {
  readonly index: number;
  /** true: the id was integrated before and this submission added nothing; undefined: not known (e.g. learnt by polling). */
  readonly duplicate: boolean | undefined;
}

export interface Sequencer {
  /** Resolves with each item's index once it is integrated into the tree and fsynced. */
  submit(items: readonly SequencerItem[]): Promise<Sequenced[]>;
  /** Whether this process integrates entries now (only it writes automatic checkpoints). */
  isSequencing(): boolean;
  /** Called in the integrating process with the new tree size after each durable batch. */
  onIntegrated(listener: (size: number) => void): void;
  close(): Promise<void>;
}

/**
 * What the sequencer needs of the store it writes during its lease term: the durable size, a group-commit
 * append, the leaves it made durable but has not acknowledged yet (reconciled after a takeover), and a call once
 * entries are acknowledged in Redis. The file store (ledger-store.ts) and the tile writer (tile-writer.ts) are two.
 */
export interface SequencerStore {
  size(): number;
  append(leaves: readonly Uint8Array[]): Promise<number>;
  /** Leaf `index`, for every index from the size Redis acknowledged to `size()`. */
  getLeaf(index: number): Buffer;
  published?(size: number): Promise<void>;
  close(): Promise<void>;
}
