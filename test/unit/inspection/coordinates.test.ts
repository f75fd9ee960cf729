import { expect } from 'chai';
import { matchCoordinates } from '../../../inspection/coordinates.js';

/** Runs the matcher on the fractional digits of the first decimal in `text`. */
function find(text: string, limitIsBoundary = true): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  const m = /\d\.(\d+)/.exec(text);
  if (m === null) return undefined;
  const fracStart = Buffer.byteLength(text.slice(0, m.index + 2));
  const fracEnd = fracStart + (m[1] as string).length;
  const out = new Int32Array(2);
  if (!matchCoordinates(bytes, fracStart, fracEnd, bytes.length, limitIsBoundary, out)) return undefined;
  return bytes.toString('utf8', out[0], out[1]);
}

describe('inspection/coordinates', () => {
  it('finds latitude, longitude pairs with 4+ decimals and common separators', () => {
    expect(find('位置 22.8170, 108.3665 南宁')).to.equal('22.8170, 108.3665');
    expect(find('"22.8170,108.3665"')).to.equal('22.8170,108.3665');
    expect(find('22.81701 108.36652')).to.equal('22.81701 108.36652');
    expect(find('-33.8688;151.2093')).to.equal('-33.8688;151.2093');
    expect(find('[108.3665,22.8170]')).to.equal('108.3665,22.8170');
  });

  it('ignores fewer than 4 decimals (coarse location)', () => {
    expect(find('22.817, 108.3665')).to.equal(undefined);
    expect(find('22.8170, 108.366')).to.equal(undefined);
  });

  it('checks ranges: one value within ±90, the other within ±180, not both zero', () => {
    expect(find('95.0000, 100.0000')).to.equal(undefined);
    expect(find('45.0000, 190.0000')).to.equal(undefined);
    expect(find('0.0000, 0.0000')).to.equal(undefined);
    expect(find('120.5000, 30.2500')).to.equal('120.5000, 30.2500');
  });

  it('does not take versions, longer numbers or letters-attached decimals', () => {
    expect(find('v1.2345, 2.3456')).to.equal(undefined);
    expect(find('1.2.3456, 7.8901')).to.equal(undefined);
    expect(find('1234.5678, 12.3456')).to.equal(undefined);
    expect(find('22.8170.1, 108.3665')).to.equal(undefined);
    expect(find('22.8170, 108.3665km')).to.equal(undefined);
  });

  it('counts a list of decimals once: a decimal after another is not a pair start', () => {
    const text = '1.2345, 2.3456, 3.4567';
    const bytes = Buffer.from(text);
    const out = new Int32Array(2);
    expect(matchCoordinates(bytes, 2, 6, bytes.length, true, out)).to.equal(true);
    expect(matchCoordinates(bytes, 10, 14, bytes.length, true, out)).to.equal(false);
    expect(matchCoordinates(bytes, 18, 22, bytes.length, true, out)).to.equal(false);
  });

  it('does not decide while the second number may continue past the known bytes', () => {
    expect(find('22.8170, 108.3665', false)).to.equal(undefined);
  });
});
