import { expect } from 'chai';
import { computeLedgerRetryWindowMs } from '../../../ledger/open-event-log.js';

const minute = 60 * 1000;
const day = 24 * 60 * minute;

describe('ledger/open-event-log', () => {
  it('recognises retried event ids for a delivery job’s whole life plus a day (the defaults: 6 attempts, 1 s backoff, 120 s timeout)', () => {
    const window = computeLedgerRetryWindowMs({
      deliveryAttempts: 6,
      deliveryBackoffMs: 1000,
      deliveryTimeoutMs: 120_000,
    });
    // 32 s of backoff, 6 × (120 s + 4 × 60 s) of attempts, and the day.
    expect(window).to.equal(32_000 + 6 * 360_000 + day);
  });

  it('grows with a long backoff, so a job retrying for days still lands on its first entry', () => {
    const window = computeLedgerRetryWindowMs({
      deliveryAttempts: 20,
      deliveryBackoffMs: 1000,
      deliveryTimeoutMs: 120_000,
    });
    // BullMQ waits 2^18 s ≈ 3 days before the 20th attempt alone.
    expect(window).to.be.above(2 ** 19 * 1000);
  });

  it('stays a bound for Redis however the delivery retries are configured', () => {
    const window = computeLedgerRetryWindowMs({
      deliveryAttempts: 200,
      deliveryBackoffMs: 60_000,
      deliveryTimeoutMs: 120_000,
    });
    expect(window).to.equal(365 * day);
  });
});
