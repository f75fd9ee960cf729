import { expect } from 'chai';
import { checkHkMacaoPermit } from '../../../inspection/hk-macao-permit.js';

const check = (text: string): boolean => checkHkMacaoPermit(Buffer.from(text), 0, text.length);

describe('inspection/hk-macao-permit', () => {
  it('accepts the mainland resident permit: C + letter or digit + 7 digits', () => {
    expect(check('C12345678')).to.equal(true);
    expect(check('CA1234567')).to.equal(true);
  });

  it('accepts home-return permits: H or M + 8 to 10 digits', () => {
    expect(check('H12345678')).to.equal(true);
    expect(check('M1234567801')).to.equal(true);
    expect(check('H123456789')).to.equal(true);
  });

  it('rejects wrong letters and lengths', () => {
    for (const n of [
      'C1234567',
      'C123456789',
      'CI1234567',
      'CAB123456',
      'H1234567',
      'H12345678901',
      'K12345678',
    ]) {
      expect(check(n), n).to.equal(false);
    }
  });
});
