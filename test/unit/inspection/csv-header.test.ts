import { expect } from 'chai';
import { parseHeaderRow, rowHasValueIn } from '../../../inspection/csv-header.js';

function header(line: string): ReturnType<typeof parseHeaderRow> {
  const bytes = Buffer.from(line, 'utf8');
  return parseHeaderRow(bytes, 0, bytes.length);
}

function hasValue(line: string, columns: number[], delimiter = 0x2c): boolean {
  const bytes = Buffer.from(line, 'utf8');
  return rowHasValueIn(bytes, 0, bytes.length, delimiter, columns);
}

describe('inspection/csv-header', () => {
  it('reads names and picks the most frequent delimiter outside quotes', () => {
    expect(header('姓名,身份证号,"备注, 其他"')).to.deep.equal({
      delimiter: 0x2c,
      names: ['姓名', '身份证号', '备注, 其他'],
    });
    expect(header('name\tmobile\temail\r')).to.deep.equal({
      delimiter: 0x09,
      names: ['name', 'mobile', 'email'],
    });
    expect(header('a;b;c,d')?.delimiter).to.equal(0x3b);
    expect(header('"say ""hi""",x')?.names).to.deep.equal(['say "hi"', 'x']);
  });

  it('declines lines that look like data or are not delimited', () => {
    expect(header('just one field')).to.equal(undefined);
    expect(header('张三,45010319850612123X,13812345678')).to.equal(undefined);
    expect(header('name,a@b.cn')).to.equal(undefined);
    expect(header(`name,${'x'.repeat(101)}`)).to.equal(undefined);
  });

  it('finds values under the given columns, quote-aware', () => {
    expect(hasValue('1,"a, b",flu', [2])).to.equal(true);
    expect(hasValue('1,"a, b",', [2])).to.equal(false);
    expect(hasValue('1,,x', [1])).to.equal(false);
    expect(hasValue('1,,x', [1, 2])).to.equal(true);
    expect(hasValue('1,2', [5])).to.equal(false);
    expect(hasValue('1\t\tasthma', [2], 0x09)).to.equal(true);
  });

  it('treats blanks and null markers as empty', () => {
    for (const value of ['', '  ', '""', 'null', 'NULL', 'N/A', '-', '\\N']) {
      expect(hasValue(`1,${value},x`, [1]), JSON.stringify(value)).to.equal(false);
    }
    expect(hasValue('1,none,x', [1])).to.equal(true);
  });
});
