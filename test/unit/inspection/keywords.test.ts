import { expect } from 'chai';
import {
  BANK_CARD,
  COORDINATES,
  EMAIL,
  MOBILE,
  PASSPORT,
  RESIDENT_ID,
  USCC,
} from '../../../inspection/detectors.js';
import { recordKeywords } from '../../../inspection/keywords.js';

function ends(text: string): Float64Array {
  const lastEnd = new Float64Array(9).fill(-1);
  recordKeywords(Buffer.from(text, 'utf8').toString('latin1'), 1000, lastEnd);
  return lastEnd;
}

describe('inspection/keywords', () => {
  it('records where Chinese keywords end, as absolute byte offsets of UTF-8', () => {
    const found = ends('身份证号：');
    expect(found[RESIDENT_ID]).to.equal(1000 + Buffer.byteLength('身份证'));
    expect(ends('手机 电话')[MOBILE]).to.equal(1000 + Buffer.byteLength('手机 电话'));
    expect(ends('银行卡号')[BANK_CARD]).to.be.greaterThan(1000);
    expect(ends('护照')[PASSPORT]).to.be.greaterThan(1000);
    expect(ends('经纬度')[COORDINATES]).to.be.greaterThan(1000);
    expect(ends('统一社会信用代码')[USCC]).to.be.greaterThan(1000);
  });

  it('matches English phrases in any case with space, underscore, hyphen or nothing between words', () => {
    for (const text of ['ID number', 'id_number', 'ID-NO', 'idcard', 'National ID']) {
      expect(ends(text)[RESIDENT_ID], text).to.be.greaterThan(0);
    }
    expect(ends('E-mail')[EMAIL]).to.be.greaterThan(0);
    expect(ends('Card No.')[BANK_CARD]).to.be.greaterThan(0);
    expect(ends('customer_mobile')[MOBILE]).to.be.greaterThan(0);
  });

  it('does not fire inside longer words', () => {
    expect(ends('automobile hotel smartphone')[MOBILE]).to.equal(-1);
    expect(ends('relationship plate')[COORDINATES]).to.equal(-1);
  });

  it('keeps the latest end per detector', () => {
    const lastEnd = new Float64Array(9).fill(-1);
    recordKeywords('phone ... phone', 0, lastEnd);
    expect(lastEnd[MOBILE]).to.equal(15);
  });
});
