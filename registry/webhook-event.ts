// registry/webhook-event: the events of api.md §11 — their types, deterministic ids and bodies. Pure: bodies
// carry ids, codes and counts only (never personal data, never free text a person wrote), and an event's id is
// derived from what happened (transfer, status and the instant it was entered; item and renewal window), so
// whoever raises the same happening again raises the same event and receivers dedupe on `webhook-id`.
import { createHash } from 'node:crypto';
import type { TransferRecord, TransferStatus } from './transfer.js';

export const webhookEventTypes = [
  'transfer.held',
  'transfer.released',
  'transfer.rejected',
  'transfer.blocked',
  'transfer.delivery_failed',
  'evidence.revoked',
  'filing.expiring',
  'attestation.expiring',
  'certificate.expiring',
  'review.overdue',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export type EventData = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** One event as stored once and sent to every subscription it matches (the `data` is the contract's body). */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly timestamp: string;
  /** The exporter the event concerns (its enterprise subscriptions get it); null for none. */
  readonly exporterId: string | null;
  readonly data: EventData;
}

/** `msg_` + 26 base32 characters of SHA-256: stable for one happening, and a safe BullMQ job-id part. */
export function eventIdOf(...parts: readonly string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let out = '';
  for (let i = 0; i < 26; i++) out += alphabet[(digest[i] ?? 0) & 31];
  return `msg_${out}`;
}

const transferEventOf: Partial<Record<TransferStatus, WebhookEventType>> = {
  held: 'transfer.held',
  released: 'transfer.released',
  rejected: 'transfer.rejected',
  blocked: 'transfer.blocked',
  delivery_failed: 'transfer.delivery_failed',
};

/** The transfer's current status as an event, or null when that status raises none (checking, releasing). */
export function buildTransferEvent(record: TransferRecord): WebhookEvent | null {
  const type = transferEventOf[record.status];
  if (type === undefined) return null;
  return {
    // Entering `held` twice (at the checks, later at delivery) is two happenings: the instant tells them apart.
    id: eventIdOf(type, record.id, record.statusSince),
    type,
    timestamp: record.statusSince,
    exporterId: record.exporterId,
    data: {
      transferId: record.id,
      exporterId: record.exporterId,
      partnerId: record.manifest.partnerId,
      endpointId: record.manifest.endpointId,
      status: record.status,
      tier: record.classification.tier,
      reasonCodes: [...new Set(record.holdReasons.map((r) => r.code))],
      deliveryAttempts: record.deliveryAttempts.length,
      policyVersion: record.classification.policyVersion,
    },
  };
}

/** `review.overdue`: raised once per stay in `held` (the instant it was entered is part of the id). */
export function buildOverdueEvent(record: TransferRecord, slaMs: number, now: Date): WebhookEvent {
  const heldSince = new Date(record.statusSince);
  return {
    id: eventIdOf('review.overdue', record.id, record.statusSince),
    type: 'review.overdue',
    timestamp: now.toISOString(),
    exporterId: record.exporterId,
    data: {
      transferId: record.id,
      exporterId: record.exporterId,
      tier: record.classification.tier,
      heldSince: record.statusSince,
      slaHours: slaMs / 3_600_000,
      overdueSince: new Date(heldSince.getTime() + slaMs).toISOString(),
      approvals: record.approvals.length,
      reasonCodes: [...new Set(record.holdReasons.map((r) => r.code))],
    },
  };
}

export type ExpiringKind = 'filing' | 'attestation' | 'certificate';

/** `<kind>.expiring`: once per item and renewal window (the expiry instant names the window). */
export function buildExpiringEvent(
  kind: ExpiringKind,
  item: { readonly id: string; readonly exporterId: string | null; readonly expiresAt: string },
  extra: EventData,
  now: Date,
): WebhookEvent {
  const type = `${kind}.expiring` as const;
  return {
    id: eventIdOf(type, item.id, item.expiresAt),
    type,
    timestamp: now.toISOString(),
    exporterId: item.exporterId,
    data: { [`${kind}Id`]: item.id, exporterId: item.exporterId, expiresAt: item.expiresAt, ...extra },
  };
}
