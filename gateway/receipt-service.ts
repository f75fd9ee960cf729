// gateway/receipt-service: GET /v1/transfers/:id/receipt — the ledger receipt of a transfer's release entry
// (api.md §8): the entry, its index, an inclusion proof and a signed checkpoint, verifiable offline.
import { AppError } from '../platform/errors.js';
import { decodeLeaf } from '../ledger/leaf-encoding.js';
import { releaseEventTypes, type LedgerReceipt } from '../ledger/receipt.js';
import type { TransferRecord } from '../registry/transfer.js';

export interface ReceiptService {
  receiptFor(
    record: TransferRecord,
  ): Promise<LedgerReceipt & { readonly transferId: string; readonly partnerReceipt: string | null }>;
}

export function createReceiptService(ledger: {
  receipt(index: number): Promise<LedgerReceipt>;
}): ReceiptService {
  return {
    async receiptFor(record) {
      const index = record.release?.ledgerIndex;
      if (index === undefined || index === null)
        throw new AppError('NOT_FOUND', 'This transfer has no release entry in the ledger yet');
      const receipt = await ledger.receipt(index);
      // Never hand out a receipt that `xborder ledger verify-receipt` would refuse as another transfer's or as
      // not a release (issue #12 item 5): a record pointing at the wrong entry is a bug, answered 500 and logged.
      const entry = decodeLeaf(Buffer.from(receipt.entry, 'base64'));
      const type = entry?.['type'];
      if (
        typeof type !== 'string' ||
        !releaseEventTypes.includes(type) ||
        entry?.['transferId'] !== record.id
      )
        throw new Error(`the ledger entry at the release index of a transfer is not its release`);
      return { ...receipt, transferId: record.id, partnerReceipt: record.receipt?.jws ?? null };
    },
  };
}
