// ledger: the room's public surface — the Merkle math (RFC 6962 / RFC 9162), event encoding, signed checkpoints
// (C2SP), the on-disk store, the ledger service and its sequencers, and offline verification.
export { hashChildren, hashEmpty, hashLeaf, HASH_SIZE } from './merkle-hash.js';
export { computeRangeRoot, computeRoot } from './subtree-hash.js';
export type { SubtreeHashFn } from './subtree-hash.js';
export { generateConsistencyProof, generateInclusionProof } from './merkle-proof.js';
export { computeRootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-verify.js';
export type { ProofCheck, ProofFailure, RootFromProof } from './merkle-verify.js';
export { MerkleFrontier } from './merkle-frontier.js';
export { MemoryTree } from './memory-tree.js';

export { checkLedgerEvent, decodeLeaf, encodeLeaf, readEventId } from './leaf-encoding.js';
export type { JsonValue, LedgerEvent } from './leaf-encoding.js';
export { keyedHash } from './keyed-hash.js';

export {
  computeKeyHash,
  formatVerifierKey,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './signed-note.js';
export type { NoteIssue, NoteSignature, NoteSigner, NoteVerifier } from './signed-note.js';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.js';
export type {
  Checkpoint,
  CheckpointIssue,
  CheckpointVerification,
  CheckpointVerifier,
  ParsedCheckpoint,
} from './checkpoint.js';
export { releaseEventTypes, verifyReceipt, verifyTransferReceipt } from './receipt.js';
export type {
  LedgerReceipt,
  ReceiptIssue,
  ReceiptIssueCode,
  ReceiptVerification,
  TransferReceipt,
  TransferReceiptVerification,
} from './receipt.js';

export { LedgerError } from './ledger-error.js';
export type { LedgerErrorCode } from './ledger-error.js';
export { openLedgerStore } from './ledger-store.js';
export type { LedgerStore, LedgerStoreStats, OpenLedgerStoreOptions } from './ledger-store.js';
export { appendCheckpoint, readCheckpointRecords, readLatestCheckpoint } from './checkpoint-log.js';
export { createLedger } from './ledger.js';
export type {
  AppendResult,
  ConsistencyProofView,
  InclusionProofView,
  Ledger,
  LedgerOptions,
} from './ledger.js';
export type { Sequenced, Sequencer, SequencerItem } from './sequencer.js';
export { createLocalSequencer } from './local-sequencer.js';
export { createRedisSequencer } from './redis-sequencer.js';
export type { RedisSequencerOptions } from './redis-sequencer.js';
export { verifyLedger } from './verify-ledger.js';
export type { LedgerVerification } from './verify-ledger.js';
export { ledgerKeyName, ledgerOrigin, openEventLog } from './open-event-log.js';
export { createSequencerLease } from './sequencer-lease.js';
export type { SequencerLease, SequencerLeaseOptions } from './sequencer-lease.js';
export type { WriteFence } from './write-fence.js';
export type { SequencerStore } from './sequencer.js';
export type { TileStorage } from './tile-storage.js';
export { createFileTileStorage } from './file-tile-storage.js';
export { createObjectTileStorage } from './object-tile-storage.js';
export { createTileReader } from './tile-reader.js';
export type { TileReader } from './tile-reader.js';
export { openTileWriter } from './tile-writer.js';
export type { TileWriter } from './tile-writer.js';
export { createTileLedger } from './tile-ledger.js';
export { verifyTileLedger } from './verify-tile-ledger.js';
export { auditBundleFormat, recordDigest, sealAuditBundle, serializeAuditBundle } from './audit-bundle.js';
export type { AuditBundle, AuditEntry, AuditRecord, UnsealedAuditBundle } from './audit-bundle.js';
export { verifyAuditBundle } from './verify-audit-bundle.js';
export type {
  AuditBundleIssue,
  AuditBundleIssueCode,
  AuditBundleVerification,
} from './verify-audit-bundle.js';
