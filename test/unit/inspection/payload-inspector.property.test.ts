// Property: whatever bytes come in whatever wrapping, inspection never throws, never shows an identifier whole
// and finishes within a time bound.
import { expect } from 'chai';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { createPayloadInspector } from '../../../inspection/payload-inspector.js';
import { docx, gbk, people, utf16be, xlsx, zip } from '../../support/hostile-payloads.js';
import { testKey } from './identifiers.js';

const rows = people(8);
const identifiers = rows.flatMap((r) => [r.id, r.mobile, r.card]);

type Wrap = (data: Buffer) => Buffer;
const wrappings: Record<string, Wrap> = {
  none: (d) => d,
  gzip: (d) => gzipSync(d),
  zip: (d) => zip([{ name: 'a', data: d }]),
  'zip-stored-descriptor': (d) => zip([{ name: 'a', data: d, method: 'stored', descriptor: true }]),
  'zip-in-gzip': (d) => gzipSync(zip([{ name: 'a', data: d, descriptor: true }])),
  base64: (d) => Buffer.from(d.toString('base64')),
  'utf-16le': (d) => Buffer.from(d.toString('latin1'), 'utf16le'),
  'utf-16be': (d) => utf16be(d.toString('latin1')),
  gbk: (d) => Buffer.concat([gbk('客户'), d]),
  xlsx: (d) => xlsx([[d.toString('latin1'), d.toString('hex').slice(0, 40)]]),
  docx: (d) => docx([d.toString('latin1')]),
};

/** Random bytes with identifiers mixed in, sometimes. */
const content = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.constantFrom(...identifiers).map((s) => Buffer.from(`,${s},`)),
      fc
        .constantFrom('\n', ' ', '-', 'PK\x03\x04', '\x1f\x8b\x08', '<?xml ', '&#49;', '=')
        .map((s) => Buffer.from(s, 'latin1')),
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.concat(parts));

/** Mangles a wrapped payload: truncation, a flipped byte, or nothing. */
const mangle = fc.oneof(
  fc.constant((b: Buffer) => b),
  fc.nat().map((n) => (b: Buffer) => b.subarray(0, b.length === 0 ? 0 : n % b.length)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => (b: Buffer) => {
    const copy = Buffer.from(b);
    if (copy.length > 0) copy[n % copy.length] = (copy[n % copy.length] as number) ^ x;
    return copy;
  }),
);

describe('inspection/payload-inspector (property)', function () {
  this.timeout(120_000);

  it('never throws, never shows an identifier whole, finishes within a bound', () => {
    fc.assert(
      fc.property(
        content,
        fc.array(fc.constantFrom(...Object.keys(wrappings)), { minLength: 1, maxLength: 3 }),
        mangle,
        fc.integer({ min: 1, max: 5000 }),
        (data, chain, damage, chunk) => {
          let payload: Buffer = data;
          for (const name of chain) payload = (wrappings[name] as Wrap)(payload);
          payload = damage(payload);
          const started = Date.now();
          const inspector = createPayloadInspector({ personKey: testKey });
          for (let at = 0; at < payload.length; at += chunk)
            inspector.write(payload.subarray(at, at + chunk));
          const report = inspector.finish();
          expect(Date.now() - started).to.be.below(2000);
          const json = JSON.stringify(report);
          for (const id of identifiers) expect(json).not.to.include(id);
          expect(report.bytes).to.equal(payload.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
