import { expect } from 'chai';
import { matchEmail } from '../../../inspection/email.js';

function find(text: string, limitIsBoundary = true): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  const out = new Int32Array(2);
  const at = bytes.indexOf(0x40);
  if (!matchEmail(bytes, at, bytes.length, limitIsBoundary, out)) return undefined;
  return bytes.toString('utf8', out[0], out[1]);
}

describe('inspection/email', () => {
  it('finds an address delimited by CSV, JSON and prose punctuation', () => {
    expect(find('a,zhang.san@example.com,b')).to.equal('zhang.san@example.com');
    expect(find('{"email":"li+tag@mail.example.cn"}')).to.equal('li+tag@mail.example.cn');
    expect(find('联系邮箱：wang_wu@163.com。')).to.equal('wang_wu@163.com');
    expect(find('mailto:x@y.co')).to.equal('x@y.co');
  });

  it('drops a sentence-ending dot and leading dots of the local part', () => {
    expect(find('write to a@b.example.')).to.equal('a@b.example');
    expect(find('..a@b.cn')).to.equal('a@b.cn');
  });

  it('rejects addresses without a dotted domain or alphabetic top-level label', () => {
    expect(find('user@localhost')).to.equal(undefined);
    expect(find('user@example.c')).to.equal(undefined);
    expect(find('user@example.123')).to.equal(undefined);
    expect(find('user@-bad.com')).to.equal(undefined);
    expect(find('user@bad-.com')).to.equal(undefined);
    expect(find('user@a..com')).to.equal(undefined);
  });

  it('rejects an empty, dot-ended, double-dotted or over-long local part', () => {
    expect(find('@example.com')).to.equal(undefined);
    expect(find('a.@example.com')).to.equal(undefined);
    expect(find('a..b@example.com')).to.equal(undefined);
    expect(find(`${'a'.repeat(65)}@example.com`)).to.equal(undefined);
    expect(find(`${'a'.repeat(64)}@example.com`)).to.equal(`${'a'.repeat(64)}@example.com`);
  });

  it('does not decide while the domain may continue past the known bytes', () => {
    expect(find('a@example.com', false)).to.equal(undefined);
    expect(find('a@example.com ', false)).to.equal('a@example.com');
  });
});
