// gateway/scope: tenant scoping. An enterprise sees only its own exporter's records; anything else is
// answered 404 (not 403), so ids of other exporters' transfers cannot be probed.
import { AppError } from '../platform/errors.js';
import type { Principal } from './principal.js';

export function canSeeExporter(principal: Principal, exporterId: string): boolean {
  return principal.role !== 'enterprise' || principal.exporter === exporterId;
}

export function assertOwnExporter(principal: Principal, exporterId: string): void {
  if (!canSeeExporter(principal, exporterId)) throw new AppError('NOT_FOUND');
}
