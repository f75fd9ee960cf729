import { expect } from 'chai';
import {
  BANK_CARD,
  COORDINATES,
  EMAIL,
  HK_MACAO_PERMIT,
  MOBILE,
  PASSPORT,
  RESIDENT_ID,
  USCC,
} from '../../../inspection/detectors.js';
import { maskSample, sanitizeColumnName } from '../../../inspection/mask.js';

describe('inspection/mask', () => {
  it('keeps the first 4 and last 4 characters of a resident ID or card', () => {
    expect(maskSample(RESIDENT_ID, '45010319850612123X')).to.equal('4501**********123X');
    expect(maskSample(BANK_CARD, '6222021234567890128')).to.equal('6222***********0128');
    expect(maskSample(BANK_CARD, '4111111111111111')).to.equal('4111********1111');
  });

  it('stars at least half of shorter identifiers', () => {
    expect(maskSample(MOBILE, '13812345678')).to.equal('138******78');
    expect(maskSample(PASSPORT, 'E12345678')).to.equal('E1*****78');
    expect(maskSample(HK_MACAO_PERMIT, 'H1234567801')).to.equal('H1*******01');
    expect(maskSample(USCC, '91350100M000100Y43')).to.equal('9135************43');
  });

  it('keeps the first character of an address and its domain', () => {
    expect(maskSample(EMAIL, 'zhang.san@example.com')).to.equal('z***@example.com');
    expect(maskSample(EMAIL, 'a@b.cn')).to.equal('a***@b.cn');
  });

  it('keeps one decimal of coordinates', () => {
    expect(maskSample(COORDINATES, '22.8170, 108.3665')).to.equal('22.8***, 108.3***');
  });

  it('never returns the value it was given', () => {
    for (const [kind, value] of [
      [RESIDENT_ID, '45010319850612123X'],
      [MOBILE, '13812345678'],
      [EMAIL, 'a@b.cn'],
      [PASSPORT, 'E12345678'],
      [COORDINATES, '22.8170, 108.3665'],
      [USCC, '91350100M000100Y43'],
    ] as const) {
      expect(maskSample(kind, value)).not.to.include(value);
    }
  });

  it('reports column names as found unless they hold identifier-like text', () => {
    expect(sanitizeColumnName('身份证号')).to.equal('身份证号');
    expect(sanitizeColumnName('address2')).to.equal('address2');
    expect(sanitizeColumnName('id 45010319850612123X')).to.equal('id #################X');
    expect(sanitizeColumnName('contact a@b.cn')).to.equal('contact ***@***');
  });
});
