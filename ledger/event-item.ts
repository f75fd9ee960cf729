// ledger/event-item: one event as the sequencer takes it — its id (the caller's, or one made up for this one
// submission) and its leaf bytes. Both ledger services (ledger.ts on a disk, tile-ledger.ts on tiles) submit these.
import { randomUUID } from 'node:crypto';
import { encodeLeaf, type LedgerEvent } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import type { SequencerItem } from './sequencer.js';

export function toSequencerItem(event: LedgerEvent): SequencerItem {
  const id = event.eventId ?? randomUUID();
  try {
    return { id, leaf: encodeLeaf({ ...event, eventId: id }), once: event.eventId === undefined };
  } catch (err) {
    // The event does not encode (bad field): the caller's mistake, with the encoder's reason.
    throw new LedgerError('BAD_EVENT', (err as Error).message);
  }
}

/** Proof hashes as the API and receipts carry them. */
export const base64Hashes = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('base64'));
