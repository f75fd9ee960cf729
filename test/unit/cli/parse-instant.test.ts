import { expect } from 'chai';
import { parseInstant } from '../../../cli/commands/certs-commands.js';
import { UsageError } from '../../../cli/cli-io.js';

describe('cli parseInstant (xborder certs verify --at)', () => {
  it('reads ISO 8601 date-times with Z or an offset as the instant they name', () => {
    expect(parseInstant('2025-06-01T00:00:00Z', 'at').toISOString()).to.equal('2025-06-01T00:00:00.000Z');
    expect(parseInstant('2025-06-01T08:00+08:00', 'at').toISOString()).to.equal('2025-06-01T00:00:00.000Z');
    expect(parseInstant('2025-06-01T00:00:00.250Z', 'at').toISOString()).to.equal('2025-06-01T00:00:00.250Z');
    expect(parseInstant('2024-02-29T23:59:59-05:00', 'at').toISOString()).to.equal(
      '2024-03-01T04:59:59.000Z',
    );
  });

  it('refuses a date without a time, a time without an offset, and out-of-range fields', () => {
    for (const bad of [
      '2025-06-01',
      '2025-06-01T00:00:00',
      '2025-13-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      '2025-06-01T24:00:00Z',
      '2025-06-01T00:60:00Z',
      '1748736000',
      'yesterday',
      '',
    ]) {
      expect(() => parseInstant(bad, 'at'), bad).to.throw(UsageError, 'ISO 8601');
    }
  });
});
