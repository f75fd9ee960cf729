// The four-eyes rule as a pure function (api.md §6): two different reviewers release, one rejection ends it,
// nobody decides their own submission, and only a held transfer is decided.
import { expect } from 'chai';
import type { Decision } from '../../../registry/transfer.js';
import { approversOf, judgeReview, type ReviewState } from '../../../transfers/judge-review.js';

const at = '2026-01-01T00:00:00.000Z';
const approve = (reviewer: string): Decision => ({ reviewer, decision: 'approve', comment: 'ok', at });
const reject = (reviewer: string): Decision => ({ reviewer, decision: 'reject', comment: 'no', at });
const held = (decisions: Decision[] = []): ReviewState => ({
  status: 'held',
  submittedBy: 'alice',
  decisions,
});

describe('transfers/judge-review', () => {
  it('keeps a transfer held after one approval', () => {
    expect(judgeReview(held(), approve('r1'), 2)).to.deep.equal({
      ok: true,
      status: 'held',
      decisions: [approve('r1')],
      release: null,
    });
  });

  it('releases on the second distinct approver, released by review', () => {
    expect(judgeReview(held([approve('r1')]), approve('r2'), 2)).to.deep.equal({
      ok: true,
      status: 'releasing',
      decisions: [approve('r1'), approve('r2')],
      release: { at, by: 'review', ledgerIndex: null },
    });
  });

  it('records a repeated approval but counts the reviewer once', () => {
    const judged = judgeReview(held([approve('r1')]), approve('r1'), 2);
    expect(judged).to.include({ ok: true, status: 'held' });
    expect(judged.ok && judged.decisions).to.have.length(2);
    expect(approversOf([approve('r1'), approve('r1'), reject('r3'), approve('r2')])).to.deep.equal([
      'r1',
      'r2',
    ]);
  });

  it('rejects on one rejection, whatever approvals came before', () => {
    expect(judgeReview(held([approve('r1')]), reject('r2'), 2)).to.include({ ok: true, status: 'rejected' });
  });

  it('refuses the submitter as a reviewer', () => {
    expect(judgeReview(held(), approve('alice'), 2)).to.deep.equal({ ok: false, reason: 'own_transfer' });
  });

  it('refuses a transfer that is not held, naming its status (before looking at who decides)', () => {
    expect(
      judgeReview({ status: 'released', submittedBy: 'alice', decisions: [] }, approve('alice'), 2),
    ).to.deep.equal({ ok: false, reason: 'not_held', current: 'released' });
  });

  it('takes the approval count as given (one reviewer when one is needed)', () => {
    expect(judgeReview(held(), approve('r1'), 1)).to.include({ status: 'releasing' });
  });
});
