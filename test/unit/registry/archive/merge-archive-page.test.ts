import { expect } from 'chai';
import type { ArchivedTransfer } from '../../../../registry/archive/archive-search.js';
import { mergeArchivePage } from '../../../../gateway/merge-archive-page.js';

const archived = (id: string) => ({ id, archived: true }) as unknown as ArchivedTransfer;

describe('gateway/merge-archive-page', () => {
  it('keeps the hot record where both hold a transfer and fills in from the archive, newest first', () => {
    const page = mergeArchivePage(
      {
        items: [
          { id: 'E', hot: true },
          { id: 'C', hot: true },
        ],
        nextCursor: null,
      },
      { items: [archived('E'), archived('D'), archived('B')], nextCursor: null },
      3,
      'newest',
    );
    expect(page.items.map((i) => [i.id, 'hot' in i])).to.deep.equal([
      ['E', true],
      ['D', false],
      ['C', true],
    ]);
    expect(page.nextCursor).to.equal('C');
    expect(page.archive).to.equal('included');
  });

  it('ends paging when neither source has more', () => {
    const page = mergeArchivePage(
      { items: [{ id: 'A' }], nextCursor: null },
      { items: [archived('B')], nextCursor: null },
      5,
      'oldest',
    );
    expect(page.items.map((i) => i.id)).to.deep.equal(['A', 'B']);
    expect(page.nextCursor).to.equal(null);
  });

  it('says when the archive did not answer, and pages the hot records alone', () => {
    const page = mergeArchivePage({ items: [{ id: 'A' }], nextCursor: 'A' }, null, 1, 'newest');
    expect(page).to.deep.equal({ items: [{ id: 'A' }], nextCursor: 'A', archive: 'unavailable' });
  });
});
