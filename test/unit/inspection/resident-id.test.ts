import { expect } from 'chai';
import { checkResidentId } from '../../../inspection/resident-id.js';
import { residentId } from './identifiers.js';

const check = (text: string, at = 0): boolean => checkResidentId(Buffer.from(text, 'latin1'), at);

describe('inspection/resident-id (GB 11643-1999)', () => {
  it('accepts the standard example with check character X, in either case', () => {
    expect(check('11010519491231002X')).to.equal(true);
    expect(check('11010519491231002x')).to.equal(true);
  });

  it('accepts valid numbers with every check character 0-9 and X', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200 && seen.size < 11; seq++) {
      const id = residentId('450103', '19850612', String(seq).padStart(3, '0'));
      seen.add(id[17] as string);
      expect(check(id), id).to.equal(true);
    }
    expect(seen.size).to.equal(11);
  });

  it('rejects a wrong check character', () => {
    const id = residentId();
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(check(wrong)).to.equal(false);
  });

  it('rejects a single changed digit (MOD 11-2 catches every single substitution)', () => {
    const id = residentId();
    for (let i = 0; i < 17; i++) {
      const d = (Number(id[i]) + 1) % 10;
      const changed = id.slice(0, i) + String(d) + id.slice(i + 1);
      expect(check(changed), changed).to.equal(false);
    }
  });

  it('requires a real calendar birth date', () => {
    expect(check(residentId('450103', '20000229'))).to.equal(true); // 2000 is a leap year
    expect(check(residentId('450103', '19000229'))).to.equal(false); // 1900 is not
    expect(check(residentId('450103', '19840229'))).to.equal(true);
    expect(check(residentId('450103', '19850229'))).to.equal(false);
    expect(check(residentId('450103', '19850431'))).to.equal(false);
    expect(check(residentId('450103', '19851301'))).to.equal(false);
    expect(check(residentId('450103', '19850100'))).to.equal(false);
    expect(check(residentId('450103', '19851231'))).to.equal(true);
  });

  it('accepts birth years 1900-2099 only (no clock: a pure bound)', () => {
    expect(check(residentId('450103', '19000101'))).to.equal(true);
    expect(check(residentId('450103', '20991231'))).to.equal(true);
    expect(check(residentId('450103', '18991231'))).to.equal(false);
    expect(check(residentId('450103', '21000101'))).to.equal(false);
  });

  it('rejects a region code starting with 0, non-digits and short input', () => {
    expect(check(residentId('050103'))).to.equal(false);
    expect(check('4501031985061A123X')).to.equal(false);
    expect(check('45010319850612123')).to.equal(false);
  });

  it('checks in place at an offset', () => {
    const text = `id: ${residentId()} end`;
    expect(check(text, 4)).to.equal(true);
    expect(check(text, 3)).to.equal(false);
  });
});
