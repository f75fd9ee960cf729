import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import {
  createPayloadInspector,
  inspectPayloadBuffer,
  partName,
  type PayloadInspectorOptions,
} from '../../../inspection/payload-inspector.js';
import type { InspectionReport } from '../../../inspection/inspector.js';
import {
  docx,
  encryptedZip,
  hostileForms,
  people,
  randomBinary,
  zip,
  zipBomb,
} from '../../support/hostile-payloads.js';
import { testKey } from './identifiers.js';

const options: PayloadInspectorOptions = { personKey: testKey };
const counts = (report: InspectionReport): Record<string, number> =>
  Object.fromEntries(Object.entries(report.findings).map(([k, v]) => [k, v?.count ?? 0]));

function inspectInChunks(payload: Buffer, size: number, opts = options): InspectionReport {
  const inspector = createPayloadInspector(opts);
  for (let at = 0; at < payload.length; at += size) inspector.write(payload.subarray(at, at + size));
  return inspector.finish();
}

describe('inspection/payload-inspector: every wrapping (issue #12)', () => {
  const rows = people(40);
  const forms = hostileForms(rows);
  const plain = inspectPayloadBuffer(forms['plain'] as Buffer, options);

  it('finds the plain CSV as a baseline: 40 IDs, 40 mobiles, 40 cards, 40 people', () => {
    expect(counts(plain)).to.deep.equal({ resident_id: 40, mobile: 40, bank_card: 40 });
    expect(plain.individualsDetected).to.equal(40);
    expect(plain.containers).to.deep.equal([]);
    expect(plain.opaque).to.deep.equal([]);
  });

  for (const name of Object.keys(forms)) {
    it(`${name}: the same counts as plain, nothing opaque, in any chunk size`, () => {
      const payload = forms[name] as Buffer;
      for (const size of [payload.length, 4096, 997, 13]) {
        const report = inspectInChunks(payload, size);
        expect(counts(report), `${name} in chunks of ${size}`).to.deep.equal(counts(plain));
        expect(report.opaque, name).to.deep.equal([]);
        expect(report.bytes).to.equal(payload.length);
        // An XLSX keeps each cell as its own shared string: every identifier is its own record (over-counts).
        if (name === 'xlsx') expect(report.individualsDetected).to.be.at.least(plain.individualsDetected);
        else expect(report.individualsDetected, name).to.equal(plain.individualsDetected);
        expect(report.containsSpi).to.equal(true);
      }
    });
  }

  it('lists the wrappings it read', () => {
    const formats = (name: string) =>
      inspectPayloadBuffer(forms[name] as Buffer, options).containers.map((c) => `${c.path} ${c.format}`);
    expect(formats('gzip')).to.deep.equal(['payload gzip']);
    expect(formats('zip-deflate')).to.deep.equal(['payload zip']);
    expect(formats('xlsx')).to.deep.equal(['payload xlsx']);
    expect(formats('docx')).to.deep.equal(['payload docx']);
    expect(formats('zip-in-gzip')).to.deep.equal(['payload gzip', 'payload!gunzip zip']);
    expect(formats('utf-16le')).to.deep.equal(['payload utf-16le']);
    expect(formats('utf-16be-bom')).to.deep.equal(['payload utf-16be']);
    expect(formats('gbk')).to.deep.equal(['payload gb18030']);
    expect(formats('base64')).to.deep.equal(['payload#base64@0 base64']);
    expect(formats('base64-gzip-in-json')).to.deep.equal([
      'payload#base64@9 base64',
      'payload#base64@9 gzip',
    ]);
  });

  it('joins grouped identifiers only where the check characters accept them', () => {
    const text = 'a 450102 19800108 3071 b 138-1234-5678 c 1 2 3 4 5 6 7 8 9 10 11 d 2024-01-15 10:30\n';
    expect(counts(inspectPayloadBuffer(Buffer.from(text), options))).to.deep.equal({ mobile: 1 });
    // Two mobiles separated by one space stay two mobiles.
    const two = inspectPayloadBuffer(Buffer.from('13912345678 13812345678\n'), options);
    expect(counts(two)).to.deep.equal({ mobile: 2 });
  });

  it('decodes XML entities and CDATA in XML text', () => {
    const id = rows[0]?.id as string;
    const encoded = [...id].map((ch) => `&#${ch.charCodeAt(0)};`).join('');
    const xml = `<?xml version="1.0"?><r><a>${encoded}</a><b><![CDATA[${rows[1]?.id}]]></b><!-- ${rows[2]?.id} --></r>`;
    expect(counts(inspectPayloadBuffer(Buffer.from(xml), options))).to.deep.equal({ resident_id: 2 });
  });

  it('separates the values of neighbouring XML elements', () => {
    const xml = `<?xml version="1.0"?><rows><id>${rows[0]?.id}</id><id>${rows[1]?.id}</id></rows>`;
    expect(counts(inspectPayloadBuffer(Buffer.from(xml), options))).to.deep.equal({ resident_id: 2 });
  });
});

describe('inspection/payload-inspector: what cannot be read is opaque', () => {
  const rows = people(10);

  it('an encrypted zip entry', () => {
    const report = inspectPayloadBuffer(encryptedZip(rows), options);
    expect(report.opaque).to.deep.equal([{ path: 'payload!/customers.csv', reason: 'encrypted' }]);
  });

  it('random binary, and PDF or images by their magic numbers', () => {
    expect(inspectPayloadBuffer(randomBinary(), options).opaque).to.deep.equal([
      { path: 'payload', reason: 'unknown_binary' },
    ]);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBinary(1000)]);
    expect(inspectPayloadBuffer(pdf, options).opaque).to.deep.equal([
      { path: 'payload', reason: 'unsupported_format', format: 'pdf' },
    ]);
    const png = zip([
      {
        name: 'word/media/image1.png',
        data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBinary(100)]),
      },
    ]);
    expect(inspectPayloadBuffer(png, options).opaque[0]).to.include({
      reason: 'unsupported_format',
      format: 'png',
    });
  });

  it('random bytes between zeros are not taken for UTF-16 text', () => {
    const noise = randomBinary(8192);
    const spaced = Buffer.alloc(noise.length * 2);
    noise.forEach((b, i) => (spaced[2 * i] = b | 0x01));
    expect(inspectPayloadBuffer(spaced, options).opaque).to.deep.equal([
      { path: 'payload', reason: 'unknown_binary' },
    ]);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), spaced]);
    expect(inspectPayloadBuffer(bom, options).opaque.map((o) => o.reason)).to.deep.equal(['unknown_binary']);
  });

  it('a zip bomb stops at the expansion ratio, quickly and in bounded memory', () => {
    const bomb = zipBomb(64);
    expect(bomb.length).to.be.below(100 * 1024);
    const started = Date.now();
    const report = inspectInChunks(bomb, 64 * 1024);
    expect(Date.now() - started).to.be.below(5000);
    expect(report.opaque).to.deep.equal([{ path: 'payload!/zeros.csv', reason: 'ratio_limit' }]);
  });

  it('a bound on total expanded bytes, entries and nesting', () => {
    const csv = Buffer.from(`${rows.map((r) => `${r.id},${Math.random()}`).join('\n')}\n`);
    const small = { ...options, limits: { maxExpandedBytes: 100 } };
    expect(inspectPayloadBuffer(gzipSync(csv), small).opaque).to.deep.equal([
      { path: 'payload', reason: 'size_limit' },
    ]);
    const many = zip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.csv`, data: csv })));
    const report = inspectPayloadBuffer(many, { ...options, limits: { maxEntries: 3 } });
    expect(report.opaque).to.deep.equal([{ path: 'payload', reason: 'entry_limit' }]);
    expect(counts(report)).to.deep.equal({ resident_id: 30 });
    let nested: Buffer = csv;
    for (let i = 0; i < 6; i++) nested = i % 2 === 0 ? gzipSync(nested) : zip([{ name: 'n', data: nested }]);
    const deep = inspectPayloadBuffer(nested, options);
    expect(deep.opaque.map((o) => o.reason)).to.deep.equal(['nesting_limit']);
    expect(deep.containers).to.have.length(4);
  });

  it('corrupt and truncated archives', () => {
    const archive = zip([{ name: 'a.csv', data: Buffer.from(rows.map((r) => r.id).join('\n')) }]);
    const cut = archive.subarray(0, 60);
    expect(inspectPayloadBuffer(cut, options).opaque.map((o) => o.reason)).to.include('truncated');
    const broken = Buffer.from(archive);
    broken.fill(0xff, 45, 60);
    expect(inspectPayloadBuffer(broken, options).opaque).to.have.length.greaterThan(0);
    const gz = gzipSync(Buffer.from(`hello world, nothing here ${Math.random()}\n`));
    expect(inspectPayloadBuffer(gz.subarray(0, gz.length >> 1), options).opaque).to.deep.equal([
      { path: 'payload', reason: 'truncated' },
    ]);
  });

  it('masks identifiers in entry names and never shows one whole', () => {
    const r = rows[0] as (typeof rows)[number];
    const archive = zip([
      { name: `${r.id}-${r.mobile}.csv`, data: Buffer.from('x\n') },
      { name: `${r.id}.bin`, data: randomBinary(200) },
    ]);
    const report = inspectPayloadBuffer(archive, options);
    const json = JSON.stringify(report);
    expect(json).not.to.include(r.id.slice(0, 17));
    expect(json).not.to.include(r.mobile);
    expect(partName(`${r.id}.csv`)).to.equal(`45${'*'.repeat(16)}.csv`);
  });

  it('a DOCX is read through its XML', () => {
    const doc = docx([`身份证 ${rows[0]?.id}`]);
    const report = inspectPayloadBuffer(doc, options);
    expect(counts(report)).to.deep.equal({ resident_id: 1 });
  });
});
