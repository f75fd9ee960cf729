// gateway/scope: tenant scoping. An enterprise sees only its own exporter's records; anything else is
// answered 404 (not 403), so ids of other exporters' transfers cannot be probed.
import { AppError } from '../platform/errors.js';
import type { TransferRecord } from '../registry/transfer.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { Principal } from './principal.js';

export function canSeeExporter(principal: Principal, exporterId: string): boolean {
  return principal.role !== 'enterprise' || principal.exporter === exporterId;
}

export function assertOwnExporter(principal: Principal, exporterId: string): void {
  if (!canSeeExporter(principal, exporterId)) throw new AppError('NOT_FOUND');
}

/**
 * A transfer the caller may see, or 404 NOT_FOUND. An enterprise's read goes through its own exporter's index
 * (TransferStore.getOwned): another exporter's transfer and an id that exists nowhere cost the same one
 * lookup and get the same answer, so neither the body nor the time tells them apart.
 */
export async function visibleTransfer(
  transfers: Pick<TransferStore, 'get' | 'getOwned'>,
  id: string,
  principal: Principal,
): Promise<TransferRecord> {
  const record =
    principal.role !== 'enterprise'
      ? await transfers.get(id)
      : principal.exporter === undefined
        ? null
        : await transfers.getOwned(id, principal.exporter);
  if (record === null || !canSeeExporter(principal, record.exporterId)) throw new AppError('NOT_FOUND');
  return record;
}
