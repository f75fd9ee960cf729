import { expect } from 'chai';
import {
  buildExpiringEvent,
  buildOverdueEvent,
  buildTransferEvent,
  eventIdOf,
} from '../../../registry/webhook-event.js';
import { isReviewOverdue, reviewDueAt } from '../../../registry/review-deadline.js';
import type { TransferRecord } from '../../../registry/transfer.js';

const record = (over: Partial<TransferRecord>): TransferRecord =>
  ({
    id: '01J00000000000000000000000',
    exporterId: '91450100MA5KDEM11G',
    submittedBy: 'ent-1',
    createdAt: '2026-03-02T01:00:00.000Z',
    manifest: { partnerId: 'p-sg', endpointId: 'e-sg', purpose: 'secret purpose text' },
    classification: { tier: 'standard_contract', policyVersion: 'v1' },
    inspection: {},
    status: 'held',
    updatedAt: '2026-03-02T01:00:01.000Z',
    statusSince: '2026-03-02T01:00:01.000Z',
    checks: {},
    holdReasons: [
      { code: 'R-EVID-FILING-MISSING', rule: 'x', message: 'a message' },
      { code: 'R-EVID-FILING-MISSING', rule: 'x', message: 'again' },
    ],
    decisions: [],
    approvals: [],
    deliveryAttempts: [],
    release: null,
    receipt: null,
    ...over,
  }) as unknown as TransferRecord;

describe('registry/webhook-event', () => {
  it('names one happening with one id: same status entered at the same instant, same id', () => {
    const a = buildTransferEvent(record({}));
    const b = buildTransferEvent(record({ updatedAt: '2026-03-02T02:00:00.000Z' }));
    const later = buildTransferEvent(record({ statusSince: '2026-03-05T00:00:00.000Z' }));
    expect(a?.id).to.match(/^msg_[0-9a-z]{26}$/);
    expect(a?.id).to.equal(b?.id);
    expect(later?.id).to.not.equal(a?.id);
    expect(eventIdOf('x', 'y')).to.equal(eventIdOf('x', 'y'));
    expect(eventIdOf('x', 'y')).to.not.equal(eventIdOf('xy', ''));
  });

  it('raises events for held, released, rejected, blocked and delivery_failed only', () => {
    for (const status of ['held', 'released', 'rejected', 'blocked', 'delivery_failed'] as const)
      expect(buildTransferEvent(record({ status }))?.type).to.equal(`transfer.${status}`);
    expect(buildTransferEvent(record({ status: 'checking' }))).to.equal(null);
    expect(buildTransferEvent(record({ status: 'releasing' }))).to.equal(null);
  });

  it('carries ids, codes and counts, never manifest text or reason messages', () => {
    const event = buildTransferEvent(record({}));
    expect(event?.data).to.deep.equal({
      transferId: '01J00000000000000000000000',
      exporterId: '91450100MA5KDEM11G',
      partnerId: 'p-sg',
      endpointId: 'e-sg',
      status: 'held',
      tier: 'standard_contract',
      reasonCodes: ['R-EVID-FILING-MISSING'],
      deliveryAttempts: 0,
      policyVersion: 'v1',
    });
    expect(JSON.stringify(event)).to.not.include('secret purpose').and.not.include('a message');
  });

  it('review.overdue: one id per stay in held, due SLA after the status was entered', () => {
    const held = record({});
    const sla = 3_600_000;
    expect(reviewDueAt(held, sla).toISOString()).to.equal('2026-03-02T02:00:01.000Z');
    expect(isReviewOverdue(held, sla, new Date('2026-03-02T02:00:00.999Z'))).to.equal(false);
    expect(isReviewOverdue(held, sla, new Date('2026-03-02T02:00:01.000Z'))).to.equal(true);
    expect(isReviewOverdue(record({ status: 'released' }), sla, new Date('2027-01-01'))).to.equal(false);
    const first = buildOverdueEvent(held, sla, new Date('2026-03-02T03:00:00Z'));
    const again = buildOverdueEvent(held, sla, new Date('2026-03-02T04:00:00Z'));
    expect(first.id).to.equal(again.id);
    expect(first.data['overdueSince']).to.equal('2026-03-02T02:00:01.000Z');
  });

  it('*.expiring: one id per item and expiry, so a renewal opens a new window', () => {
    const now = new Date('2026-03-02T00:00:00Z');
    const item = { id: 'SCC-1', exporterId: '91450100MA5KDEM11G', expiresAt: '2026-04-01T00:00:00.000Z' };
    const a = buildExpiringEvent('filing', item, { workingDaysLeft: 20 }, now);
    const b = buildExpiringEvent('filing', item, { workingDaysLeft: 19 }, new Date('2026-03-03T00:00:00Z'));
    const renewed = buildExpiringEvent('filing', { ...item, expiresAt: '2027-04-01T00:00:00.000Z' }, {}, now);
    expect(a.type).to.equal('filing.expiring');
    expect(a.data['filingId']).to.equal('SCC-1');
    expect(a.id).to.equal(b.id);
    expect(renewed.id).to.not.equal(a.id);
  });
});
