import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { createDigestSet, NEW_PERSON, NEW_SENSITIVE, SET_FULL } from '../../../inspection/digest-set.js';
import { createHyperLogLog } from '../../../inspection/hyper-log-log.js';
import {
  createPersonCounter,
  DEFAULT_EXACT_LIMIT,
  SAFETY_SIGMAS,
} from '../../../inspection/person-counter.js';

/** Four digest words of HMAC-SHA256(key, "M:" + person number), as the inspector derives them. */
function digestOf(key: string, person: number): [number, number, number, number] {
  const d = createHmac('sha256', key).update(`M:${person}`).digest();
  return [d.readInt32BE(0), d.readInt32BE(4), d.readInt32BE(8), d.readInt32BE(12)];
}

describe('inspection/digest-set', () => {
  it('reports new people, first sensitive sightings and duplicates', () => {
    const set = createDigestSet(10);
    expect(set.add(1, 2, 3, 4, false)).to.equal(NEW_PERSON);
    expect(set.add(1, 2, 3, 4, false)).to.equal(0);
    expect(set.add(1, 2, 3, 4, true)).to.equal(NEW_SENSITIVE);
    expect(set.add(1, 2, 3, 4, true)).to.equal(0);
    expect(set.add(5, 6, 7, 8, true)).to.equal(NEW_PERSON | NEW_SENSITIVE);
    expect(set.size).to.equal(2);
    expect(set.sensitiveSize).to.equal(2);
  });

  it('tells apart digests that share their first word (same slot)', () => {
    const set = createDigestSet(10);
    expect(set.add(7, 1, 1, 1, false)).to.equal(NEW_PERSON);
    expect(set.add(7, 1, 1, 2, false)).to.equal(NEW_PERSON);
    expect(set.size).to.equal(2);
  });

  it('answers SET_FULL for a new digest beyond its capacity, but still finds known ones', () => {
    const set = createDigestSet(2);
    set.add(1, 0, 0, 0, false);
    set.add(2, 0, 0, 0, false);
    expect(set.add(3, 0, 0, 0, false)).to.equal(SET_FULL);
    expect(set.add(2, 0, 0, 0, true)).to.equal(NEW_SENSITIVE);
    expect(set.size).to.equal(2);
  });

  it('keeps every digest and its sensitive flag while its table grows past the first 1,024 slots', () => {
    const set = createDigestSet(20_000);
    for (let p = 0; p < 10_000; p++) expect(set.add(...digestOf('k', p), p % 7 === 0)).to.not.equal(0);
    for (let p = 0; p < 10_000; p++) expect(set.add(...digestOf('k', p), p % 7 === 0)).to.equal(0);
    expect(set.add(...digestOf('k', 1), true)).to.equal(NEW_SENSITIVE);
    expect(set.size).to.equal(10_000);
    expect(set.sensitiveSize).to.equal(Math.ceil(10_000 / 7) + 1);
  });
});

describe('inspection/hyper-log-log', () => {
  it('has the standard error 1.04/sqrt(m) = 0.8125% at precision 14', () => {
    expect(createHyperLogLog(14).relativeError).to.be.closeTo(0.008125, 1e-9);
  });

  it('estimates within 3% at 1,000 and 50,000 distinct values', () => {
    for (const n of [1000, 50_000]) {
      const hll = createHyperLogLog(14);
      for (let i = 0; i < n; i++) {
        const [a, b] = digestOf('hll', i);
        hll.add(a, b);
        hll.add(a, b);
      }
      expect(Math.abs(hll.estimate() - n) / n, `n=${n}`).to.be.lessThan(0.03);
    }
  });
});

describe('inspection/person-counter', () => {
  it('counts exactly up to the exact limit', () => {
    const counter = createPersonCounter({ exactLimit: 1000 });
    for (let i = 0; i < 1000; i++) counter.add(...digestOf('k', i), i % 3 === 0);
    for (let i = 0; i < 1000; i++) counter.add(...digestOf('k', i), false);
    expect(counter.exact).to.equal(true);
    expect(counter.count()).to.equal(1000);
    expect(counter.sensitiveCount()).to.equal(334);
  });

  it('uses a 100,000 exact limit and a 5-sigma margin by default', () => {
    expect(DEFAULT_EXACT_LIMIT).to.equal(100_000);
    expect(SAFETY_SIGMAS).to.equal(5);
  });

  // The reported value must never be below the truth near the Provisions 2024 thresholds (10,000 sensitive,
  // 100,000 people): several keys, so several independent hash families.
  for (const n of [10_000, 100_001]) {
    it(`never reports fewer than ${n} people once estimating, across 5 keys`, function () {
      this.timeout(60_000);
      for (const key of ['a', 'b', 'c', 'd', 'e']) {
        const counter = createPersonCounter({ exactLimit: n === 10_000 ? 2000 : 100_000 });
        for (let i = 0; i < n; i++) counter.add(...digestOf(key, i), true);
        expect(counter.exact).to.equal(false);
        const reported = counter.count();
        expect(reported, `key ${key}`).to.be.at.least(n);
        expect(reported, `key ${key}`).to.be.at.most(Math.ceil(n * 1.08));
        expect(counter.sensitiveCount(), `key ${key}`).to.be.at.least(n);
      }
    });
  }

  it('never reports fewer than it counted exactly before switching', () => {
    const counter = createPersonCounter({ exactLimit: 50 });
    for (let i = 0; i < 51; i++) counter.add(...digestOf('floor', i), i < 10);
    expect(counter.exact).to.equal(false);
    expect(counter.count()).to.be.at.least(51);
    expect(counter.sensitiveCount()).to.be.at.least(10);
  });

  it('passes every record on once estimating, and only news while exact', () => {
    const counter = createPersonCounter({ exactLimit: 2 });
    const d = digestOf('x', 1);
    expect(counter.add(...d, false)).to.equal(NEW_PERSON);
    expect(counter.add(...d, false)).to.equal(0);
    counter.add(...digestOf('x', 2), false);
    counter.add(...digestOf('x', 3), false);
    expect(counter.add(...d, false)).to.equal(NEW_PERSON);
    expect(counter.add(...d, true)).to.equal(NEW_PERSON | NEW_SENSITIVE);
  });
});
