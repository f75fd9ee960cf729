import { expect } from 'chai';
import { forecastVolume } from '../../../registry/volume-forecast.js';

const thresholds = {
  nonSensitive: { standardContract: 100_000, securityAssessment: 1_000_000 },
  sensitive: { standardContract: 1, securityAssessment: 10_000 },
};

describe('registry/volume-forecast', () => {
  it('projects the crossing dates at this year’s pace (hand-computed)', () => {
    // Noon 11 February 2026 China time = 41.5 days after 00:00 1 January China time.
    const now = new Date('2026-02-11T12:00:00+08:00');
    const f = forecastVolume({ individuals: 41_500, sensitive: 4_150 }, thresholds, now);
    expect(f.perDay).to.deep.equal({ individuals: 1000, sensitiveIndividuals: 100 });
    expect(f.crossings).to.deep.equal([
      // 100,000 at 1,000/day: day 100 after 1 January = 11 April.
      { measure: 'individuals', line: 100_000, status: 'forecast', date: '2026-04-11' },
      // 1,000,000 would take 1,000 days.
      { measure: 'individuals', line: 1_000_000, status: 'not_this_year', date: null },
      // 10,000 sensitive at 100/day: also day 100.
      { measure: 'sensitiveIndividuals', line: 10_000, status: 'forecast', date: '2026-04-11' },
    ]);
  });

  it('says reached at or past a line ("以上" includes the number), and no pace at zero', () => {
    const f = forecastVolume(
      { individuals: 100_000, sensitive: 0 },
      thresholds,
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(f.crossings.map((c) => c.status)).to.deep.equal(['reached', 'not_this_year', 'no_pace']);
  });

  it('starts the year at midnight 1 January China time (16:00 UTC on 31 December)', () => {
    const f = forecastVolume({ individuals: 10, sensitive: 0 }, thresholds, new Date('2025-12-31T17:00:00Z'));
    // One hour into 2026 in China: 240 a day.
    expect(f.perDay.individuals).to.equal(240);
  });
});
