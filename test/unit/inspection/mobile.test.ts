import { expect } from 'chai';
import { matchMobile } from '../../../inspection/mobile.js';

const match = (digits: string): number => matchMobile(Buffer.from(digits), 0, digits.length);

describe('inspection/mobile', () => {
  it('accepts 11 digits 1[3-9]xxxxxxxxx', () => {
    for (const second of '3456789') expect(match(`1${second}812345678`)).to.equal(0);
  });

  it('rejects 10 and 12 prefixes, wrong first digit and wrong lengths', () => {
    expect(match('12812345678')).to.equal(-1);
    expect(match('10812345678')).to.equal(-1);
    expect(match('23812345678')).to.equal(-1);
    expect(match('1381234567')).to.equal(-1);
    expect(match('138123456789')).to.equal(-1);
  });

  it('finds the number after a country code written without separator (86, 0086)', () => {
    expect(match('8613812345678')).to.equal(2);
    expect(match('008613812345678')).to.equal(4);
    expect(match('8512345678901')).to.equal(-1);
    expect(match('008612812345678')).to.equal(-1);
  });
});
