import { expect } from 'chai';
import { detectorNames } from '../../../inspection/detectors.js';
import { scanDigits } from '../../../inspection/scan-digits.js';
import { createTokenList } from '../../../inspection/token-list.js';
import { luhn, residentId, uscc } from './identifiers.js';

interface Found {
  readonly kind: string;
  readonly value: string;
  readonly start: number;
}

function scan(text: string, from = 0, to?: number, final = true): Found[] {
  const bytes = Buffer.from(text, 'utf8');
  const out = createTokenList(4);
  scanDigits(bytes, from, to ?? bytes.length, bytes.length, final, out, new Int32Array(2));
  const found: Found[] = [];
  for (let i = 0; i < out.count; i++) {
    found.push({
      kind: detectorNames[out.kind[i] as number] as string,
      value: bytes.toString('latin1', out.valueStart[i], out.valueEnd[i]),
      start: out.start[i] as number,
    });
  }
  return found;
}

const kinds = (text: string): string[] => scan(text).map((f) => `${f.kind}:${f.value}`);

describe('inspection/scan-digits', () => {
  const id = residentId();
  const card = luhn('622202123456789012');

  it('finds each identifier kind between CSV separators', () => {
    expect(kinds(`${id},13812345678,${card},E12345678,H1234567801,C12345678`)).to.deep.equal([
      `resident_id:${id}`,
      'mobile:13812345678',
      `bank_card:${card}`,
      'passport:E12345678',
      'hk_macao_permit:H1234567801',
      'hk_macao_permit:C12345678',
    ]);
  });

  it('finds every identifier among short numbers, at every offset of the 4-digit window', () => {
    // The loop skips ahead by up to 4 bytes past short numbers: whatever the alignment of the prefix, each
    // identifier after it, and a coordinate pair with exactly 4 decimals, is found exactly once.
    const prefix = '1,22 333.4-5 6/7,89,';
    for (let cut = 0; cut <= prefix.length; cut++) {
      const head = prefix.slice(0, cut);
      expect(kinds(`${head};${id},12,${card},3 13812345678`), `prefix "${head}"`).to.deep.equal([
        `resident_id:${id}`,
        `bank_card:${card}`,
        'mobile:13812345678',
      ]);
      expect(kinds(`${head} at 22.8170,108.3665;`), `prefix "${head}"`).to.deep.equal([
        'coordinates:22.8170,108.3665',
      ]);
    }
  });

  it('finds an ID ending in X (either case) and normalises nothing in place', () => {
    expect(kinds('身份证11010519491231002x。')).to.deep.equal(['resident_id:11010519491231002x']);
  });

  it('ignores digits inside a longer digit run', () => {
    expect(kinds(`9${id}`)).to.deep.equal([]);
    expect(kinds('138123456789')).to.deep.equal([]);
    expect(kinds(`${card}7`)).to.deep.equal([]);
  });

  it('finds digit identifiers glued to letters (a digit boundary is enough)', () => {
    expect(kinds(`ID${id}`)).to.deep.equal([`resident_id:${id}`]);
    expect(kinds('tel13812345678')).to.deep.equal(['mobile:13812345678']);
  });

  it('does not take the digits of a decimal number', () => {
    expect(kinds('0.13812345678')).to.deep.equal([]);
    expect(kinds('13812345678.5')).to.deep.equal([]);
    expect(kinds(`${card}.00`)).to.deep.equal([]);
  });

  it('prefers a resident ID over a card or USCC of the same digits', () => {
    const both = residentId('622202', '19900101', '123');
    expect(kinds(both)).to.deep.equal([`resident_id:${both}`]);
  });

  it('reads +86 / 0086 / 86 prefixes of a mobile number', () => {
    expect(kinds('+86 13812345678')).to.deep.equal(['mobile:13812345678']);
    expect(kinds('+86-13812345678')).to.deep.equal(['mobile:13812345678']);
    expect(kinds('+8613812345678')).to.deep.equal(['mobile:13812345678']);
    expect(kinds('008613812345678')).to.deep.equal(['mobile:13812345678']);
  });

  it('finds USCCs with letters as whole tokens and does not rescan their digits', () => {
    // The body's first 16 characters are digits that pass Luhn: they must not be reported as a card.
    const code = uscc(`${luhn('914503001234567')}A`);
    expect(code.slice(0, 16)).to.match(/^\d{16}$/);
    expect(kinds(`${code},`)).to.deep.equal([`uscc:${code}`]);
    expect(kinds('91350100M000100Y43')).to.deep.equal(['uscc:91350100M000100Y43']);
  });

  it('finds an all-digit USCC only standing alone', () => {
    for (let i = 0; i < 100; i++) {
      const code = uscc(`9145010012345${String(i).padStart(4, '0')}`);
      if (!/^\d{18}$/.test(code)) continue;
      const found = kinds(` ${code} `);
      if (found[0]?.startsWith('uscc')) {
        expect(kinds(`x${code}`)).not.to.deep.include(`uscc:${code}`);
        return;
      }
    }
    expect.fail('no all-digit USCC that is neither an ID nor a card found');
  });

  it('ignores letter-led shapes inside longer alphanumeric tokens', () => {
    expect(kinds('XE12345678')).to.deep.equal([]);
    expect(kinds('E12345678Z')).to.deep.equal([]);
  });

  it('finds coordinate pairs by their decimals', () => {
    expect(kinds('at 22.8170, 108.3665 now')).to.deep.equal(['coordinates:22.8170, 108.3665']);
  });

  it('reports only findings that start in [from, to), using the bytes around as context', () => {
    const text = `${id},13812345678`;
    expect(scan(text, 0, 5).map((f) => f.kind)).to.deep.equal(['resident_id']);
    expect(scan(text, 5).map((f) => f.kind)).to.deep.equal(['mobile']);
    expect(scan(text, 19).map((f) => f.kind)).to.deep.equal(['mobile']);
    expect(scan(text, 20).map((f) => f.kind)).to.deep.equal([]);
  });

  it('leaves a run touching the end undecided unless the stream ended', () => {
    expect(scan('x 13812345678', 0, undefined, false)).to.deep.equal([]);
    expect(scan('x 13812345678', 0, undefined, true).map((f) => f.kind)).to.deep.equal(['mobile']);
  });
});
