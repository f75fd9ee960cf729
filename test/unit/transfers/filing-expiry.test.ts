import { expect } from 'chai';
import { countWorkingDays, filingExpiresAt, listExpiringFilings } from '../../../transfers/filing-expiry.js';
import type { Filing } from '../../../registry/records.js';

function filing(id: string, validUntil: string, status: Filing['status'] = 'active'): Filing {
  return {
    id,
    updatedAt: '2026-01-01T00:00:00Z',
    kind: 'standard_contract',
    exporterId: '91450100MA5KDEM11G',
    partnerIds: [],
    dataCategories: [],
    purposes: [],
    maxIndividuals: 1,
    maxSensitiveIndividuals: 0,
    validFrom: '2025-01-01',
    validUntil,
    status,
  };
}

// Monday 2 March 2026, 10:00 in Shanghai.
const now = new Date('2026-03-02T02:00:00Z');

describe('transfers/filing-expiry', () => {
  it('counts Monday to Friday only, on the Shanghai calendar', () => {
    expect(countWorkingDays(now, new Date('2026-03-06T00:00:00+08:00'))).to.equal(4); // Tue–Fri
    expect(countWorkingDays(now, new Date('2026-03-08T00:00:00+08:00'))).to.equal(4); // + Sat, Sun
    expect(countWorkingDays(now, new Date('2026-03-09T00:00:00+08:00'))).to.equal(5); // + Mon
    expect(countWorkingDays(now, new Date('2026-03-02T23:00:00+08:00'))).to.equal(0); // later today
    // 23:30 UTC on Sunday is already Monday in Shanghai.
    expect(countWorkingDays(now, new Date('2026-03-08T23:30:00Z'))).to.equal(5);
  });

  it('lists active filings expiring within 60 working days, soonest first, with the days left', () => {
    // 60 working days after Monday 2 March 2026 is Monday 25 May 2026 (12 weeks).
    const list = listExpiringFilings(
      [
        filing('LATE', '2026-05-26'),
        filing('EDGE', '2026-05-25'),
        filing('SOON', '2026-03-10'),
        filing('GONE', '2026-03-01'),
        filing('REVOKED', '2026-03-10', 'revoked'),
      ],
      now,
    );
    expect(list.map((e) => [e.filing.id, e.workingDaysLeft])).to.deep.equal([
      ['SOON', 6],
      ['EDGE', 60],
    ]);
    expect(list[0]?.expiresAt).to.equal('2026-03-09T16:00:00.000Z');
  });

  it('takes RFC 3339 instants as well as dates, and a custom window', () => {
    const list = listExpiringFilings(
      [filing('A', '2026-03-04T12:00:00Z'), filing('B', '2026-03-20')],
      now,
      5,
    );
    expect(list.map((e) => e.filing.id)).to.deep.equal(['A']);
  });
  it('caps a security assessment at 3 years from validFrom (Provisions 2024 art. 9), as the filing check does', () => {
    const assessment: Filing = {
      ...filing('SA', '2030-01-01'),
      kind: 'security_assessment',
      validFrom: '2023-04-01',
    };
    expect(filingExpiresAt(assessment)?.toISOString()).to.equal('2026-03-31T16:00:00.000Z');
    expect(listExpiringFilings([assessment], now).map((e) => [e.filing.id, e.expiresAt])).to.deep.equal([
      ['SA', '2026-03-31T16:00:00.000Z'],
    ]);
    expect(filingExpiresAt({ ...assessment, kind: 'standard_contract' })?.toISOString()).to.equal(
      '2029-12-31T16:00:00.000Z',
    );
  });
});
