import { expect } from 'chai';
import fc from 'fast-check';
import { createMinimiser } from '../../../../transfers/minimisation/create-minimiser.js';
import { MinimiseError } from '../../../../transfers/minimisation/minimise-error.js';
import type { MinimiseFormat } from '../../../../policies/minimise-plan.js';
import { residentId } from '../../../support/identifiers.js';

// Issue #20 "Show": after `drop`, no identifier of that column appears anywhere in the delivered bytes, whatever the
// quoting, line ends, BOM, chunking and the text around it. A plan that cannot be applied delivers nothing.

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const identifier = fc.oneof(
  fc
    .tuple(fc.integer({ min: 110000, max: 659999 }), fc.integer({ min: 0, max: 36000 }), digits(3))
    .map(([r, d, s]) => {
      const birth = new Date(Date.UTC(1930, 0, 1) + d * 86_400_000)
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, '');
      return residentId(`${r}${birth}${s}`);
    }),
  fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([s, rest]) => `1${s}${rest}`),
  fc.tuple(fc.constantFrom('E', 'G'), digits(8)).map(([p, n]) => p + n),
);
/** Text that may surround or sit next to the identifier: quotes, delimiters, newlines, CJK, full-width forms. */
const text = fc
  .array(
    fc.constantFrom('a', 'Z', ' ', ',', '\t', '"', '\n', '\r', '订单', '号', '１', '\\', '{', '}', ':', 'x'),
    {
      maxLength: 12,
    },
  )
  .map((a) => a.join(''));

interface Row {
  readonly id: string;
  readonly before: string;
  readonly after: string;
}

function csvField(value: string, delimiter: string, forceQuote: boolean): string {
  return forceQuote || value.includes(delimiter) || /["\r\n]/.test(value)
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

function build(
  format: MinimiseFormat,
  rows: readonly Row[],
  eol: string,
  bom: boolean,
  quoteAll: boolean,
): Buffer {
  let body: string;
  if (format === 'jsonl') {
    body = rows.map((r) => JSON.stringify({ before: r.before, id: r.id, after: r.after }) + eol).join('');
  } else {
    const d = format === 'tsv' ? '\t' : ',';
    body = ['before', 'id', 'after'].map((h) => csvField(h, d, quoteAll)).join(d) + eol;
    for (const r of rows)
      body += [r.before, r.id, r.after].map((v) => csvField(v, d, quoteAll)).join(d) + eol;
  }
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'utf8')]);
}

describe('minimisation: drop leaves nothing of the column (property)', () => {
  it('no dropped identifier appears in the output, whatever the quoting, line ends, BOM and chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<MinimiseFormat>('csv', 'tsv', 'jsonl'),
        fc.array(fc.record({ id: identifier, before: text, after: text }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        (format, rows, eol, bom, quoteAll, chunk) => {
          // The property is about the dropped column: identifiers elsewhere are another column's business.
          fc.pre(rows.every((r) => !rows.some((o) => (o.before + o.after).includes(r.id))));
          const input = build(format, rows, format === 'jsonl' && eol === '\r' ? '\n' : eol, bom, quoteAll);
          const m = createMinimiser({
            plan: { format, columns: { id: { op: 'drop' } } },
            pseudonymKey: Buffer.alloc(32, 1),
            isQuasiIdentifier: () => false,
          });
          const out: Uint8Array[] = [];
          try {
            for (let i = 0; i < input.length; i += chunk)
              m.write(input.subarray(i, i + chunk), (b) => out.push(b));
            m.end((b) => out.push(b));
          } catch (err) {
            // Fail closed is allowed (nothing is delivered then), but only as a MinimiseError.
            expect(err).to.be.instanceOf(MinimiseError);
            return;
          }
          const delivered = Buffer.concat(out);
          for (const r of rows) {
            expect(delivered.includes(Buffer.from(r.id, 'utf8'))).to.equal(false);
            expect(delivered.includes(Buffer.from(r.id, 'utf16le'))).to.equal(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('CSV with these generators parses (fail closed is not the common case)', () => {
    const rows = [{ id: '13812345678', before: 'a,"b"\r\n', after: '订单\t１' }];
    const m = createMinimiser({
      plan: { format: 'csv', columns: { id: { op: 'drop' } } },
      pseudonymKey: Buffer.alloc(32, 1),
      isQuasiIdentifier: () => false,
    });
    const out: Uint8Array[] = [];
    m.write(build('csv', rows, '\r\n', true, false), (b) => out.push(b));
    m.end((b) => out.push(b));
    expect(Buffer.concat(out).toString('utf8')).to.equal('\ufeffbefore,after\r\n"a,""b""\r\n",订单\t１\r\n');
  });
});
