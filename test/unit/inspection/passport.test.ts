import { expect } from 'chai';
import { checkPassport } from '../../../inspection/passport.js';

const check = (text: string): boolean => checkPassport(Buffer.from(text), 0, text.length);

describe('inspection/passport (PRC passport numbers)', () => {
  it('accepts G and E + 8 digits, E + letter + 7 digits, and DE/SE/PE + 7 digits', () => {
    for (const n of [
      'G12345678',
      'E12345678',
      'EA1234567',
      'EH7654321',
      'DE1234567',
      'SE1234567',
      'PE1234567',
    ]) {
      expect(check(n), n).to.equal(true);
    }
  });

  it('accepts lower case (normalised by the caller)', () => {
    expect(check('e12345678')).to.equal(true);
  });

  it('rejects other letters, I and O in the E series, and wrong lengths', () => {
    for (const n of [
      'A12345678',
      'EI1234567',
      'EO1234567',
      'E1234567',
      'E123456789',
      'GA1234567',
      'XE1234567',
    ]) {
      expect(check(n), n).to.equal(false);
    }
  });
});
