import { expect } from 'chai';
import { checkUscc, computeUsccCheck } from '../../../inspection/uscc.js';
import { uscc } from './identifiers.js';

const check = (text: string): boolean => checkUscc(Buffer.from(text, 'latin1'), 0);
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('inspection/uscc (GB 32100-2015)', () => {
  it('accepts the standard example 91350100M000100Y43', () => {
    expect(check('91350100M000100Y43')).to.equal(true);
  });

  it('maps a computed check value of 31 to the character 0', () => {
    expect(computeUsccCheck(0)).to.equal(0);
    expect(computeUsccCheck(31)).to.equal(0);
    expect(computeUsccCheck(30)).to.equal(1);
  });

  it('accepts codes whose check character is 0, and only with 0', () => {
    let found = 0;
    for (let i = 0; i < 31 * 31 && found < 5; i++) {
      const body = `91450100${ALPHABET[i % 31]}${ALPHABET[Math.floor(i / 31) % 31]}MA5K000`;
      const code = uscc(body);
      if (code[17] !== '0') continue;
      found++;
      expect(check(code), code).to.equal(true);
      expect(check(`${body}1`)).to.equal(false);
      expect(check(`${body}Y`)).to.equal(false);
    }
    expect(found).to.equal(5);
  });

  it('accepts letters in the organisation code and as check character', () => {
    const withLetter = uscc('91450100MA5KXY12P');
    expect(check(withLetter)).to.equal(true);
  });

  it('rejects a changed character, a wrong check character and letters outside the alphabet', () => {
    const code = uscc('91450100MA5KXY12P');
    const wrongCheck = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
    expect(check(wrongCheck)).to.equal(false);
    expect(check(`${code.slice(0, 9)}${code[9] === 'B' ? 'C' : 'B'}${code.slice(10)}`)).to.equal(false);
    for (const letter of 'IOZSV')
      expect(check(uscc(`91450100MA5KXY12P`).replace('P', letter))).to.equal(false);
  });

  it('requires the six-digit administrative division code in positions 3-8', () => {
    expect(check(uscc('9145A100MA5KXY12P'))).to.equal(false);
  });

  it('rejects lower case and short input', () => {
    expect(check('91350100m000100y43')).to.equal(false);
    expect(check('91350100M000100Y4')).to.equal(false);
  });
});
