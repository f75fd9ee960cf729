import { expect } from 'chai';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import {
  createMinimiser,
  type MinimisationOutcome,
} from '../../../../transfers/minimisation/create-minimiser.js';
import { MinimiseError } from '../../../../transfers/minimisation/minimise-error.js';
import type { MinimisePlan } from '../../../../policies/minimise-plan.js';
import { zip, zipBomb } from '../../../support/hostile-payloads.js';
import { residentIds } from '../../../support/identifiers.js';

const key = Buffer.alloc(32, 7);
const quasi = (name: string) => /birth|gender|postcode/i.test(name);
const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const ids = residentIds(3);
const [id1, id2, id3] = ids as [string, string, string];
const mobiles = ['13812345678', '13912345678', '13712345678'];

/**
 * A two-sheet workbook as Excel writes one: "Orders" with shared-string IDs (the shared string of id1 is used
 * twice), numeric mobiles, date serials and a formula copying the ID; "Customers" with inline-string IDs.
 */
function workbook(extra: Record<string, string> = {}): Uint8Array {
  const sst = ['order_id', 'resident_id', 'mobile', 'birth_date', 'copy', 'A1', 'A2', 'A3', id1, id2];
  const s = (v: string) => sst.indexOf(v);
  const orders = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${ns}" xmlns:r="${rns}"><dimension ref="A1:E4"/><sheetData>
<row r="1" spans="1:5"><c r="A1" t="s"><v>${s('order_id')}</v></c><c r="B1" t="s"><v>${s('resident_id')}</v></c><c r="C1" t="s"><v>${s('mobile')}</v></c><c r="D1" t="s"><v>${s('birth_date')}</v></c><c r="E1" t="s"><v>${s('copy')}</v></c></row>
<row r="2" spans="1:5"><c r="A2" t="s"><v>${s('A1')}</v></c><c r="B2" t="s"><v>${s(id1)}</v></c><c r="C2"><v>${mobiles[0]}</v></c><c r="D2" s="1"><v>31929</v></c><c r="E2" t="str"><f>B2</f><v>${id1}</v></c></row>
<row r="3" spans="1:5"><c r="A3" t="s"><v>${s('A2')}</v></c><c r="B3" t="s"><v>${s(id2)}</v></c><c r="C3"><v>${mobiles[1]}</v></c><c r="D3" s="1"><v>31960</v></c><c r="E3" t="str"><f>B3</f><v>${id2}</v></c></row>
<row r="4" spans="1:5"><c r="A4" t="s"><v>${s('A3')}</v></c><c r="B4" t="s"><v>${s(id1)}</v></c><c r="C4"><v>${mobiles[2]}</v></c><c r="D4" s="1"><v>33000</v></c><c r="E4" t="str"><f>B4</f><v>${id1}</v></c></row>
</sheetData></worksheet>`;
  const customers = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="${ns}"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>resident_id</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>Li</t></is></c><c r="B2" t="inlineStr"><is><r><t>${id3.slice(0, 6)}</t></r><r><t>${id3.slice(6)}</t></r></is></c></row>
</sheetData></worksheet>`;
  const files: Zippable = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
    '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships/>'),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><workbook xmlns="${ns}" xmlns:r="${rns}"><workbookPr/><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/><sheet name="Customers" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rns}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rns}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${rns}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': strToU8(orders),
    'xl/worksheets/sheet2.xml': strToU8(customers),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0"?><sst xmlns="${ns}" count="16" uniqueCount="${sst.length}">${sst.map((v) => `<si><t>${v}</t></si>`).join('')}</sst>`,
    ),
  };
  for (const [name, body] of Object.entries(extra)) files[name] = strToU8(body);
  return zipSync(files);
}

function run(
  plan: MinimisePlan,
  input: Uint8Array,
  maxXlsxBytes?: number,
): { parts: Record<string, string>; bytes: Uint8Array; outcome: MinimisationOutcome } {
  const m = createMinimiser({
    plan,
    pseudonymKey: key,
    isQuasiIdentifier: quasi,
    ...(maxXlsxBytes === undefined ? {} : { maxXlsxBytes }),
  });
  const out: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += 100) m.write(input.subarray(i, i + 100), (b) => out.push(b));
  const outcome = m.end((b) => out.push(b));
  const bytes = Buffer.concat(out);
  const parts = Object.fromEntries(
    Object.entries(unzipSync(bytes)).map(([name, data]) => [name, Buffer.from(data).toString('utf8')]),
  );
  return { parts, bytes, outcome };
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

describe('minimisation/xlsx-minimiser', () => {
  it('drops columns in every sheet: no identifier survives in any entry (shared strings, formulas, inline)', () => {
    const { parts, outcome } = run(
      { format: 'xlsx', columns: { resident_id: { op: 'drop' }, mobile: { op: 'drop' } } },
      workbook(),
    );
    expect(Object.keys(parts)).to.include.members(['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']);
    const all = Object.values(parts).join('\n');
    for (const v of [...ids, id3.slice(6), ...mobiles, 'resident_id', '>mobile<'])
      expect(all).not.to.include(v);
    // Kept cells are still there, the shared string table holds only what kept cells use.
    expect(parts['xl/sharedStrings.xml']).to.include('count="6" uniqueCount="6"');
    expect(parts['xl/worksheets/sheet1.xml']).to.include('<f>B2</f>');
    expect(parts['xl/workbook.xml']).to.include('fullCalcOnLoad="1"');
    expect(parts['xl/worksheets/sheet2.xml']).to.include('<t>Li</t>');
    expect(outcome.format).to.equal('xlsx');
    expect(outcome.records).to.equal(4);
    expect(outcome.columns).to.deep.equal([
      { name: 'resident_id', op: 'drop', values: 4 },
      { name: 'mobile', op: 'drop', values: 3 },
    ]);
    expect(outcome.deidentified).to.equal(false);
  });

  it('keeps shared-string indexes consistent: every kept cell still reads its own text', () => {
    const { parts } = run({ format: 'xlsx', columns: { resident_id: { op: 'drop' } } }, workbook());
    const sst = [...(parts['xl/sharedStrings.xml'] ?? '').matchAll(/<si><t>([^<]*)<\/t><\/si>/g)].map(
      (m) => m[1],
    );
    const sheet = parts['xl/worksheets/sheet1.xml'] ?? '';
    const read = (ref: string) =>
      sst[Number(new RegExp(`<c r="${ref}" t="s"><v>(\\d+)</v>`).exec(sheet)?.[1])];
    expect([read('A1'), read('C1'), read('A2'), read('A4'), read('E1')]).to.deep.equal([
      'order_id',
      'mobile',
      'A1',
      'A3',
      'copy',
    ]);
  });

  it('masks, generalises date serials to years and counts k over the quasi-identifiers', () => {
    const { parts, outcome } = run(
      {
        format: 'xlsx',
        columns: {
          'Orders!mobile': { op: 'mask' },
          birth_date: { op: 'generalise', to: 'year' },
          resident_id: { op: 'pseudonymise' },
        },
      },
      workbook(),
    );
    const sheet = parts['xl/worksheets/sheet1.xml'] ?? '';
    expect(sheet).to.include('<c r="C2" t="inlineStr"><is><t xml:space="preserve">*******5678</t></is></c>');
    // 31929 and 31960 are in 1987, 33000 in 1990 (Excel's 1900 date system).
    expect(sheet).to.include('<c r="D2" s="1" t="inlineStr"><is><t xml:space="preserve">1987</t></is></c>');
    expect(sheet).to.include('>1990<');
    expect(sheet).to.match(/<c r="B2" t="inlineStr"><is><t xml:space="preserve">ps_[\w-]{22}<\/t>/);
    const all = Object.values(parts).join('\n');
    for (const v of [...ids, ...mobiles]) expect(all).not.to.include(v);
    expect(outcome.deidentified).to.equal(true);
    // Orders: birth_date (generalised) and mobile (masked, so a QI); masked mobiles are distinct → k = 1.
    expect(outcome.kAnonymity.quasiIdentifiers).to.have.members(['mobile', 'birth_date']);
    expect(outcome.kAnonymity.k).to.equal(1);
    const years = run(
      { format: 'xlsx', columns: { birth_date: { op: 'generalise', to: 'year' } } },
      workbook(),
    );
    expect(years.outcome.kAnonymity.quasiIdentifiers).to.deep.equal(['birth_date']);
    expect(years.outcome.kAnonymity.k).to.equal(1); // 1987 ×2, 1990 ×1
  });

  it('names a sheet-qualified column only in that sheet', () => {
    const { parts } = run(
      { format: 'xlsx', columns: { 'Customers!resident_id': { op: 'drop' } } },
      workbook(),
    );
    expect(parts['xl/worksheets/sheet2.xml']).not.to.include(id3.slice(6));
    expect(parts['xl/sharedStrings.xml']).to.include(id1); // Orders keeps its IDs
  });

  it('refuses a column no sheet has, with the path of the plan', () => {
    for (const name of ['nope', 'Customers!mobile']) {
      const err = failure(() => run({ format: 'xlsx', columns: { [name]: { op: 'drop' } } }, workbook()));
      expect(err.path).to.equal(`/minimise/columns/${name}`);
      expect(err.inPlan).to.equal(true);
    }
    const qi = failure(() =>
      run({ format: 'xlsx', columns: { mobile: { op: 'drop' } }, quasiIdentifiers: ['zip'] }, workbook()),
    );
    expect(qi.path).to.equal('/minimise/quasiIdentifiers/0');
  });

  it('fails closed: not a zip, past the size bound, a bomb, a part that may copy cells, a date it cannot read', () => {
    const plan: MinimisePlan = { format: 'xlsx', columns: { mobile: { op: 'drop' } } };
    expect(failure(() => run(plan, Buffer.from('order_id,mobile\n1,2\n'))).inPlan).to.equal(false);
    expect(failure(() => run(plan, workbook(), 1000)).message).to.match(/larger than 1000 bytes/);
    expect(failure(() => run(plan, zipBomb(4), 1 << 20)).message).to.match(/expands past/);
    const pivot = failure(() => run(plan, workbook({ 'xl/pivotCache/pivotCacheRecords1.xml': '<x/>' })));
    expect(pivot.message).to.match(/pivotCache/);
    const text = failure(() =>
      run({ format: 'xlsx', columns: { order_id: { op: 'generalise', to: 'year' } } }, workbook()),
    );
    expect(text.path).to.equal('/minimise/columns/order_id');
    expect(text.inPlan).to.equal(false);
  });

  it('reads archives written with data descriptors (streaming writers)', () => {
    const entries = Object.entries(unzipSync(workbook())).map(([name, data]) => ({
      name,
      data,
      descriptor: true,
    }));
    const { parts } = run({ format: 'xlsx', columns: { resident_id: { op: 'drop' } } }, zip(entries));
    expect(Object.values(parts).join('')).not.to.include(id1);
  });
});
