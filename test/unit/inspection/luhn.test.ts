import { expect } from 'chai';
import { checkLuhn } from '../../../inspection/luhn.js';
import { luhn } from './identifiers.js';

const check = (digits: string): boolean => checkLuhn(Buffer.from(digits), 0, digits.length);

describe('inspection/luhn (ISO/IEC 7812-1 Annex B)', () => {
  it('accepts the textbook example and test card numbers', () => {
    expect(check('79927398713')).to.equal(true);
    expect(check('4111111111111111')).to.equal(true);
    expect(check('6222021234567890128')).to.equal(true);
  });

  it('accepts generated numbers of 16 to 19 digits', () => {
    for (const prefix of ['622202123456789', '6222021234567890', '62220212345678901', '622202123456789012']) {
      expect(check(luhn(prefix))).to.equal(true);
    }
  });

  it('rejects a changed digit and a transposition of unequal neighbours', () => {
    expect(check('79927398710')).to.equal(false);
    expect(check('4111111111111112')).to.equal(false);
    expect(check('79927398731')).to.equal(false);
  });

  it('rejects non-digits and runs shorter than 2', () => {
    expect(check('4111-1111-1111-1111')).to.equal(false);
    expect(check('0')).to.equal(false);
  });
});
