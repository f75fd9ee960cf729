// workers/notify-sweeper: the workers' periodic notification job (api.md §11) — raises transfer events whose
// transition left an intent behind (workers/transfer-events.ts), `review.overdue` once per stay in `held` past
// XBORDER_REVIEW_SLA_HOURS, and `filing.expiring`, `attestation.expiring`, `certificate.expiring` once per item
// and renewal window (a SET NX marker named after the item and its expiry instant: a renewed item with a new
// expiry has a new window). Every process runs it; markers and deterministic event ids make that harmless.
import type { Clock } from '../platform/clock.js';
import { describeError, type Logger } from '../platform/logger.js';
import { parseCertificate } from '../certs/certificate.js';
import type { WorkingDayCalendar } from '../policies/working-days.js';
import { expiryWarningWorkingDays, listExpiringFilings } from '../transfers/filing-expiry.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { listOverdueReviews } from '../registry/review-deadline.js';
import type { TransferStore } from '../registry/transfer-store.js';
import { buildExpiringEvent, buildOverdueEvent, type WebhookEvent } from '../registry/webhook-event.js';
import type { WebhookStore } from '../registry/webhook-store.js';
import { raiseTransferEvent } from './transfer-events.js';
import type { WebhookNotifier } from './webhook-notifier.js';

/** An intent younger than this belongs to a transition still in progress (it raises its own event). */
const intentGraceMs = 30_000;
/**
 * Attestations and partner certificates are renewed by the partner: 30 days' notice leaves time to re-sign and
 * register (no rule fixes it; filings use the 60 working days of Provisions 2024 art. 9 instead).
 */
const renewalWindowMs = 30 * 24 * 3600 * 1000;
/** Once-markers outlive the item's expiry by a day, then vanish (a later window has another name anyway). */
const markerSlackSeconds = 24 * 3600;

export interface NotifySweeperDeps {
  readonly transfers: TransferStore;
  readonly registry: RegistryStore;
  readonly webhooks: WebhookStore;
  readonly notifier: WebhookNotifier;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly reviewSlaMs: number;
  readonly calendar?: WorkingDayCalendar;
}

/** The leaf certificate's notAfter, from the JWS header verified at registration (x5c[0], RFC 7515 §4.1.6). */
function leafNotAfter(jws: string): Date | null {
  try {
    const header: unknown = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8'));
    const x5c: unknown =
      typeof header === 'object' && header !== null ? (header as { x5c?: unknown }).x5c : undefined;
    const leaf: unknown = Array.isArray(x5c) ? (x5c as unknown[])[0] : undefined;
    if (typeof leaf !== 'string') return null;
    const parsed = parseCertificate(Buffer.from(leaf, 'base64'));
    return parsed.ok ? parsed.certificate.notAfter : null;
  } catch {
    return null;
  }
}

export function createNotifySweeper(deps: NotifySweeperDeps) {
  const { webhooks, notifier, clock } = deps;

  /** Raises `event` unless its marker says it was; the marker is set after, so a crash means a repeat, not a loss. */
  async function raiseOnce(event: WebhookEvent, until: Date): Promise<void> {
    const marker = `${event.type}:${event.id}`;
    if (await webhooks.isClaimed(marker)) return;
    await notifier.emit(event);
    const ttl = (until.getTime() - clock.now().getTime()) / 1000 + markerSlackSeconds;
    await webhooks.claimOnce(marker, ttl);
  }

  async function sweepIntents(now: Date): Promise<void> {
    for (const { handle, transferId } of await webhooks.staleIntents(
      new Date(now.getTime() - intentGraceMs),
      500,
    )) {
      await raiseTransferEvent(deps.transfers, notifier, transferId);
      await webhooks.clearIntent(handle);
    }
  }

  async function sweepOverdue(now: Date): Promise<void> {
    for (const record of await listOverdueReviews(deps.transfers, deps.reviewSlaMs, now))
      // The marker lives a year: a stay in `held` is named by its start, so it cannot recur under the same name.
      await raiseOnce(
        buildOverdueEvent(record, deps.reviewSlaMs, now),
        new Date(now.getTime() + 365 * 86_400_000),
      );
  }

  async function sweepExpiring(now: Date): Promise<void> {
    const filings = listExpiringFilings(
      await deps.registry.listFilings(),
      now,
      expiryWarningWorkingDays,
      deps.calendar,
    );
    for (const f of filings) {
      const item = { id: f.filing.id, exporterId: f.filing.exporterId, expiresAt: f.expiresAt };
      const extra = { kind: f.filing.kind, workingDaysLeft: f.workingDaysLeft };
      await raiseOnce(buildExpiringEvent('filing', item, extra, now), new Date(f.expiresAt));
    }
    for (const a of await deps.registry.listAttestations()) {
      const expires = new Date(a.expiresAt);
      if (expires > now && expires.getTime() - now.getTime() <= renewalWindowMs) {
        const item = { id: a.id, exporterId: a.exporterId, expiresAt: expires.toISOString() };
        await raiseOnce(buildExpiringEvent('attestation', item, { partnerId: a.partnerId }, now), expires);
      }
      const notAfter = leafNotAfter(a.jws);
      if (notAfter !== null && notAfter > now && notAfter.getTime() - now.getTime() <= renewalWindowMs) {
        const item = { id: a.leafSha256, exporterId: a.exporterId, expiresAt: notAfter.toISOString() };
        const extra = { partnerId: a.partnerId, attestationId: a.id, certificateSha256: a.leafSha256 };
        await raiseOnce(buildExpiringEvent('certificate', item, extra, now), notAfter);
      }
    }
  }

  async function sweep(): Promise<void> {
    const now = clock.now();
    for (const [name, step] of [
      ['intents', sweepIntents],
      ['overdue', sweepOverdue],
      ['expiring', sweepExpiring],
    ] as const) {
      try {
        await step(now);
      } catch (err) {
        deps.logger.warn('notify sweep step failed', { step: name, error: describeError(err) });
      }
    }
  }

  return {
    sweep,
    start(everyMs: number): { stop(): void } {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void sweep().finally(() => {
          running = false;
        });
      }, everyMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
