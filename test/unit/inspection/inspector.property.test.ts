import { expect } from 'chai';
import fc from 'fast-check';
import { createInspector, inspectBuffer, type InspectionReport } from '../../../inspection/inspector.js';
import { luhn, residentId, testKey, uscc } from './identifiers.js';

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const letters = (min: number, max: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[a-z]{${min},${max}}$`));

const identifier: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 110000, max: 829999 }),
      fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      digits(3, 3),
    )
    .map(([region, birth, sequence]) =>
      residentId(String(region), birth.toISOString().slice(0, 10).replace(/-/g, ''), sequence),
    ),
  fc
    .tuple(fc.constantFrom('622202', '4', '51', '35'), digits(15, 18))
    .map(([bin, rest]) => luhn((bin + rest).slice(0, 15 + (rest.length % 4)))),
  fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9, 9)).map(([second, rest]) => `1${second}${rest}`),
  fc
    .tuple(letters(1, 8), digits(0, 3), letters(1, 8), fc.constantFrom('cn', 'com', 'org', 'hk'))
    .map(([a, n, d, tld]) => `${a}${n}@${d}.${tld}`),
  fc.tuple(fc.constantFrom('E', 'G'), digits(8, 8)).map(([p, n]) => p + n),
  digits(7, 7).map((n) => `EA${n}`),
  fc.tuple(fc.constantFrom('C', 'H', 'M'), digits(8, 8)).map(([p, n]) => p + n),
  fc.tuple(digits(6, 6), digits(9, 9)).map(([region, org]) => uscc(`91${region}${org}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 89 }), digits(4, 6), fc.integer({ min: 1, max: 179 }), digits(4, 6))
    .map(([a, fa, b, fb]) => `${a}.${fa}, ${b}.${fb}`),
);

/** What may stand around identifiers: text, binary, invalid UTF-8, quoting and JSON punctuation, keywords, digits. */
const filler: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 40 }),
  fc
    .constantFrom(
      '"',
      '""',
      '\\"',
      ',',
      ';',
      '\t',
      '\n',
      '\r\n',
      '{"',
      '":',
      '": "',
      '"}',
      '[',
      ']',
      ' ',
      '@',
      '.',
      '-',
      '+86 ',
      '0086',
      '身份证号',
      '手机',
      '护照',
      'mobile',
      'ID',
      'X',
      'x',
      '\u0000',
      '姓名,身份证号,健康\n',
      '{"diagnosis":"a"}\n',
    )
    .map((s) => Buffer.from(s, 'utf8')),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xe8, 0xba]),
    Buffer.from([0xc0, 0x80]),
    Buffer.from([0xef, 0xbb, 0xbf]),
  ),
  digits(1, 25).map((s) => Buffer.from(s)),
);

interface Payload {
  readonly bytes: Buffer;
  readonly identifiers: readonly string[];
}

function payloadOf(longLine: boolean): fc.Arbitrary<Payload> {
  return fc
    .array(
      fc.oneof({ arbitrary: filler, weight: 3 }, { arbitrary: identifier.map((id) => ({ id })), weight: 2 }),
      {
        minLength: longLine ? 40 : 0,
        maxLength: 60,
      },
    )
    .map((parts) => {
      const identifiers: string[] = [];
      const buffers: Uint8Array[] = [];
      for (const part of parts) {
        if (part instanceof Uint8Array) buffers.push(part);
        else {
          identifiers.push(part.id);
          buffers.push(Buffer.from(part.id));
          if (longLine) buffers.push(Buffer.alloc(30_000, 0x61));
        }
      }
      // A line of more than 1 MiB forces the inspector to cut it between findings.
      if (longLine) buffers.splice(buffers.length >> 1, 0, Buffer.alloc(1_100_000, 0x62));
      return { bytes: Buffer.concat(buffers), identifiers };
    });
}

function inspectInPieces(bytes: Buffer, cuts: readonly number[]): InspectionReport {
  const inspector = createInspector({ personKey: testKey });
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b)) {
    inspector.write(bytes.subarray(at, cut));
    at = cut;
  }
  inspector.write(bytes.subarray(at));
  return inspector.finish();
}

function expectNoIdentifier(report: InspectionReport, identifiers: readonly string[]): void {
  const json = JSON.stringify(report);
  for (const id of identifiers) {
    expect(json.includes(id), `report contains ${id}`).to.equal(false);
    expect(json.toLowerCase().includes(id.toLowerCase()), `report contains ${id} in another case`).to.equal(
      false,
    );
  }
}

describe('inspection/inspector (properties)', () => {
  it('never crashes and never shows a whole identifier, whatever surrounds it', () => {
    fc.assert(
      fc.property(payloadOf(false), ({ bytes, identifiers }) => {
        expectNoIdentifier(inspectBuffer(bytes, { personKey: testKey }), identifiers);
      }),
      { numRuns: 400 },
    );
  });

  it('reports the same whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(payloadOf(false), fc.array(fc.nat(), { maxLength: 8 }), ({ bytes }, cuts) => {
        const whole = inspectBuffer(bytes, { personKey: testKey });
        expect(
          inspectInPieces(
            bytes,
            cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)),
          ),
        ).to.deep.equal(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('finds an identifier split at every possible boundary exactly once', () => {
    fc.assert(
      fc.property(identifier, fc.constantFrom(' ', ',', '"', '\n', '：'), (id, separator) => {
        const bytes = Buffer.from(`\nx${separator}${id}${separator}y\n`);
        const whole = inspectBuffer(bytes, { personKey: testKey });
        const total = Object.values(whole.findings).reduce((sum, f) => sum + f.count, 0);
        expect(total, id).to.equal(1);
        for (let cut = 1; cut < bytes.length; cut++)
          expect(inspectInPieces(bytes, [cut])).to.deep.equal(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('stays whole-identifier free and boundary-independent on lines longer than 1 MiB', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(payloadOf(true), fc.array(fc.nat(), { maxLength: 4 }), ({ bytes, identifiers }, cuts) => {
        const whole = inspectBuffer(bytes, { personKey: testKey });
        expectNoIdentifier(whole, identifiers);
        expect(
          inspectInPieces(
            bytes,
            cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)),
          ),
        ).to.deep.equal(whole);
      }),
      { numRuns: 12 },
    );
  });
});
