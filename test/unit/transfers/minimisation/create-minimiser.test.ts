import { expect } from 'chai';
import {
  createMinimiser,
  type MinimisationOutcome,
} from '../../../../transfers/minimisation/create-minimiser.js';
import { MinimiseError } from '../../../../transfers/minimisation/minimise-error.js';
import type { MinimisePlan } from '../../../../policies/minimise-plan.js';
import { residentIds } from '../../../support/identifiers.js';

const key = Buffer.alloc(32, 7);
const quasi = (name: string) => /birth|gender|postcode/i.test(name);

function run(
  plan: MinimisePlan,
  input: string | Buffer,
  chunk = 7,
): { out: string; outcome: MinimisationOutcome } {
  const m = createMinimiser({ plan, pseudonymKey: key, isQuasiIdentifier: quasi });
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) m.write(bytes.subarray(i, i + chunk), (b) => parts.push(b));
  const outcome = m.end((b) => parts.push(b));
  return { out: Buffer.concat(parts).toString('utf8'), outcome };
}

function failure(fn: () => unknown): MinimiseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MinimiseError) return err;
    throw err;
  }
  throw new Error('expected a MinimiseError');
}

const [id1, id2] = residentIds(2);

describe('minimisation/create-minimiser', () => {
  const csv = `order_id,resident_id,mobile,amount\r\nA1,${id1},13812345678,10.5\r\nA2,"${id2}",13912345678,"1,000"\r\n`;

  it('drops CSV columns, header included, keeping every other byte as it was', () => {
    const { out, outcome } = run(
      { format: 'csv', columns: { resident_id: { op: 'drop' }, mobile: { op: 'drop' } } },
      csv,
    );
    expect(out).to.equal('order_id,amount\r\nA1,10.5\r\nA2,"1,000"\r\n');
    expect(outcome.records).to.equal(2);
    expect(outcome.columns).to.deep.equal([
      { name: 'resident_id', op: 'drop', values: 2 },
      { name: 'mobile', op: 'drop', values: 2 },
    ]);
    expect(outcome.deidentified).to.equal(false);
  });

  it('masks keeping the last four, pseudonymises with a stable keyed token', () => {
    const plan: MinimisePlan = {
      format: 'csv',
      columns: { mobile: { op: 'mask' }, resident_id: { op: 'pseudonymise' } },
    };
    const a = run(plan, csv);
    const b = run(plan, csv, 1000);
    expect(a.out).to.equal(b.out);
    expect(a.out).to.include('*******5678');
    expect(a.out).not.to.include(id1);
    expect(a.out).to.match(/A1,ps_[A-Za-z0-9_-]{22},/);
    expect(a.outcome.deidentified).to.equal(true);
    const other = createMinimiser({ plan, pseudonymKey: Buffer.alloc(32, 8), isQuasiIdentifier: quasi });
    const parts: Uint8Array[] = [];
    other.write(Buffer.from(csv), (p) => parts.push(p));
    other.end((p) => parts.push(p));
    expect(Buffer.concat(parts).toString()).not.to.equal(a.out); // another exporter, other tokens
  });

  it('generalises dates, ages and coordinates', () => {
    const input = 'birth,age,loc\n1990-05-17,37,"22.81712,108.36654"\n1991年3月2日,8,22.8\n';
    const { out } = run(
      {
        format: 'csv',
        columns: {
          birth: { op: 'generalise', to: 'month' },
          age: { op: 'generalise', to: 'band', size: 5 },
          loc: { op: 'generalise', to: 'grid', size: 0.1 },
        },
      },
      input,
    );
    expect(out).to.equal('birth,age,loc\n1990-05,35-39,"22.8,108.3"\n1991-03,5-9,22.8\n');
  });

  it('refuses a plan naming a column the header lacks, before emitting anything', () => {
    const m = createMinimiser({
      plan: { format: 'csv', columns: { 'id/no': { op: 'drop' } } },
      pseudonymKey: key,
      isQuasiIdentifier: quasi,
    });
    const emitted: Uint8Array[] = [];
    const err = failure(() => m.write(Buffer.from(csv), (b) => emitted.push(b)));
    expect(err.path).to.equal('/minimise/columns/id~1no');
    expect(err.inPlan).to.equal(true);
    expect(emitted).to.have.length(0);
  });

  it('fails closed on malformed quoting, ragged rows and non-UTF-8 values', () => {
    const plan: MinimisePlan = { format: 'csv', columns: { b: { op: 'mask' } } };
    expect(failure(() => run(plan, 'a,b\n1,"x"y\n')).message).to.match(/after a closing quote/);
    expect(failure(() => run(plan, 'a,b\n1,x"y"\n')).message).to.match(/quote inside/);
    expect(failure(() => run(plan, 'a,b\n1,2,3\n')).message).to.match(/3 fields/);
    expect(failure(() => run(plan, 'a,b\n1,"open\n')).message).to.match(/quoted field/);
    expect(
      failure(() => run(plan, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]))).message,
    ).to.match(/UTF-8/);
    expect(
      failure(() => run({ format: 'csv', columns: { b: { op: 'generalise', to: 'year' } } }, 'a,b\n1,soon\n'))
        .path,
    ).to.equal('/minimise/columns/b');
  });

  it('keeps quoted newlines inside a field and TSV tabs apart', () => {
    const { out } = run(
      { format: 'tsv', columns: { secret: { op: 'drop' } } },
      'note\tsecret\n"two\nlines"\t13812345678\n',
      3,
    );
    expect(out).to.equal('note\n"two\nlines"\n');
  });

  it('applies categories inside free text, leaving Luhn-invalid order numbers alone', () => {
    const { out, outcome } = run(
      { format: 'csv', categories: { mobile: { op: 'mask', keepLast: 4 }, resident_id: { op: 'drop' } } },
      `note,order\n"call 13812345678, id ${id1}",1234567812345678\n`,
    );
    expect(out).to.equal('note,order\n"call *******5678, id ",1234567812345678\n');
    expect(outcome.categories).to.deep.equal({ resident_id: 1, mobile: 1 });
  });

  it('minimises JSON Lines by key, keeping other members byte for byte', () => {
    const input = `{"order":12345678901234567890, "id":"${id1}","m":"13812345678"}\n{"order":2}\r\n\n`;
    const { out, outcome } = run(
      { format: 'jsonl', columns: { id: { op: 'drop' }, m: { op: 'mask', keepLast: 2 } } },
      input,
    );
    expect(out).to.equal('{"order":12345678901234567890,"m":"*********78"}\n{"order":2}\r\n\n');
    expect(outcome.records).to.equal(2);
    const missing = failure(() => run({ format: 'jsonl', columns: { nope: { op: 'drop' } } }, input));
    expect(missing.path).to.equal('/minimise/columns/nope');
  });

  it('computes k over the quasi-identifiers that leave, and generalising raises it', () => {
    const rows = ['birth,gender,item'];
    const births = ['1990-01-03', '1990-02-11', '1990-03-21', '1991-04-01', '1991-05-09', '1991-06-30'];
    births.forEach((b, i) => rows.push(`${b},${i % 2 === 0 ? 'F' : 'M'},x${i}`));
    const input = `${rows.join('\n')}\n`;
    const raw = run({ format: 'csv', columns: { item: { op: 'drop' } } }, input).outcome.kAnonymity;
    expect(raw.k).to.equal(1);
    expect(raw.quasiIdentifiers).to.deep.equal(['birth', 'gender']);
    const byYear = run({ format: 'csv', columns: { birth: { op: 'generalise', to: 'year' } } }, input).outcome
      .kAnonymity;
    expect(byYear.k).to.equal(1); // 1990 F, 1990 M(1), … gender still splits the years 2/1
    const yearOnly = run(
      { format: 'csv', columns: { birth: { op: 'generalise', to: 'year' }, gender: { op: 'drop' } } },
      input,
    ).outcome.kAnonymity;
    expect(yearOnly.k).to.equal(3);
    expect(yearOnly.classes).to.equal(2);
  });

  it('reports k as unknown past its bound (fail closed)', () => {
    const m = createMinimiser({
      plan: { format: 'csv', columns: { birth: { op: 'generalise', to: 'month' } } },
      pseudonymKey: key,
      isQuasiIdentifier: quasi,
      maxClasses: 2,
    });
    m.write(Buffer.from('birth\n1990-01-01\n1990-02-01\n1990-03-01\n'), () => undefined);
    const { kAnonymity } = m.end(() => undefined);
    expect(kAnonymity.bounded).to.equal(true);
    expect(kAnonymity.k).to.equal(null);
  });
});
