import { expect } from 'chai';
import { viewTransfer } from '../../../gateway/transfer-view.js';
import type { TransferRecord } from '../../../registry/transfer.js';

/** Only the fields the view reads; the rest of a record passes through untouched. */
const record = (over: Partial<TransferRecord>): TransferRecord =>
  ({ id: '01JXR5W3Y2B7Q8N4K6M9P0T1VA', deliveryAttempts: [], holdReasons: [], ...over }) as TransferRecord;

describe('gateway/transfer-view: what each role reads of delivery attempts (api.md §5)', () => {
  // A record written before the outcome codes were split: detail and hold reason held the socket error's text.
  const legacy = record({
    deliveryAttempts: [
      {
        attempt: 1,
        at: 'a',
        outcome: 'failed',
        detail: 'connection failed: connect ECONNREFUSED 10.0.0.7:8443',
      },
      {
        attempt: 2,
        at: 'b',
        outcome: 'http_5xx',
        detail: 'the endpoint failed to take the delivery (HTTP 5xx): 503',
      },
    ],
    holdReasons: [
      {
        code: 'R-DELIVERY-FAILED',
        rule: 'api.md §7',
        message: 'Delivery failed after 2 attempt(s): connection failed: connect ECONNREFUSED 10.0.0.7:8443',
        messageZh: '投递失败',
      },
    ],
  });

  it('shows an enterprise the outcome code and its fixed text, never the socket error', () => {
    const seen = viewTransfer({ sub: 'e', role: 'enterprise', exporter: 'x' }, legacy);
    expect(seen.deliveryAttempts.map((a) => a.detail)).to.deep.equal([
      'the attempt failed',
      'the endpoint failed to take the delivery (HTTP 5xx): 503',
    ]);
    expect(seen.holdReasons[0]?.message).to.equal(
      'Delivery failed after 2 attempt(s): http_5xx (the endpoint failed to take the delivery (HTTP 5xx): 503)',
    );
    expect(JSON.stringify(seen)).to.not.match(/ECONNREFUSED|10\.0\.0\.7/);
  });

  it('keeps what the workers write now, and shows other roles the record as stored', () => {
    const current = record({
      deliveryAttempts: [
        { attempt: 1, at: 'a', outcome: 'timeout', detail: 'the endpoint did not answer in time' },
      ],
      holdReasons: [
        {
          code: 'R-DELIVERY-FAILED',
          rule: 'api.md §7',
          message: 'Delivery failed after 1 attempt(s): timeout (the endpoint did not answer in time)',
          messageZh: '投递失败',
        },
      ],
    });
    expect(viewTransfer({ sub: 'e', role: 'enterprise', exporter: 'x' }, current)).to.deep.equal(current);
    for (const role of ['reviewer', 'ops', 'admin'] as const)
      expect(viewTransfer({ sub: role, role }, legacy)).to.equal(legacy);
  });
});
