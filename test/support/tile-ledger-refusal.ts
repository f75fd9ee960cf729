// test/support/tile-ledger-refusal: runs work that must be refused by the tiles ledger source, and returns the
// refusal so a test can read its message; any other outcome fails the test.
import { expect } from 'chai';
import { TileLedgerRefusedError } from '../../registry/archive/tile-ledger-source.js';

export async function refusal(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (err) {
    expect(err).to.be.instanceOf(TileLedgerRefusedError);
    return err as Error;
  }
  throw new Error('not refused');
}
