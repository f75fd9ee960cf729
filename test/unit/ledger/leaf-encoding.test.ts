import { expect } from 'chai';
import {
  checkLedgerEvent,
  encodeLeaf,
  readEventId,
  type LedgerEvent,
} from '../../../ledger/leaf-encoding.js';
import { keyedHash } from '../../../ledger/keyed-hash.js';

describe('ledger/leaf-encoding', () => {
  it('encodes an event as RFC 8785 canonical JSON (sorted keys, no whitespace, ES number form)', () => {
    const event: LedgerEvent = {
      type: 'transfer.released',
      at: '2025-03-01T08:00:00.000Z',
      z: 1e21,
      a: [true, null, 'é'],
      n: { b: 2.5, a: -0 },
    };
    expect(encodeLeaf(event).toString('utf8')).to.equal(
      '{"a":[true,null,"é"],"at":"2025-03-01T08:00:00.000Z","n":{"a":0,"b":2.5},"type":"transfer.released","z":1e+21}',
    );
  });

  it('gives the same bytes for the same event whatever the key order', () => {
    const a = encodeLeaf({ type: 't', at: '2025-03-01T08:00:00Z', x: 1, y: 2 });
    const b = encodeLeaf({ y: 2, x: 1, at: '2025-03-01T08:00:00Z', type: 't' });
    expect(a.equals(b)).to.equal(true);
  });

  it('refuses values that are not JSON data and events without type or time', () => {
    expect(checkLedgerEvent({ type: 't', at: '2025-03-01T08:00:00Z', bad: Number.NaN })).to.deep.equal([
      '/bad: numbers must be finite',
    ]);
    expect(checkLedgerEvent({ type: 't', at: '2025-03-01T08:00:00Z', d: new Date(0) })).to.deep.equal([
      '/d: only plain objects, arrays and JSON primitives are allowed',
    ]);
    expect(checkLedgerEvent({ type: 't', at: '2025-03-01T08:00:00Z', u: undefined })).to.deep.equal([
      '/u: undefined is not JSON',
    ]);
    expect(checkLedgerEvent({ type: '', at: 'yesterday' })).to.deep.equal([
      '/type: a non-empty string is required',
      '/at: an RFC 3339 date-time is required',
    ]);
    expect(() => encodeLeaf({ type: 't', at: '2025-13-45T99:00:00Z' })).to.throw(TypeError);
  });

  it('reads the event id back from the leaf', () => {
    expect(
      readEventId(encodeLeaf({ type: 't', at: '2025-03-01T08:00:00Z', id: 'record-7', eventId: 'e-1' })),
    ).to.equal('e-1');
    expect(readEventId(Buffer.from('not json'))).to.equal(undefined);
  });

  it('keys identifiers with HMAC-SHA256 (RFC 4231 test case 1)', () => {
    expect(keyedHash(Buffer.alloc(20, 0x0b), 'Hi There')).to.equal(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    const key = Buffer.alloc(32, 7);
    const h = keyedHash(key, '450000199001011234');
    expect(h).to.match(/^[0-9a-f]{64}$/);
    expect(keyedHash(key, '450000199001011234')).to.equal(h);
    expect(keyedHash(Buffer.alloc(32, 8), '450000199001011234')).to.not.equal(h);
    expect(() => keyedHash(Buffer.alloc(4), 'x')).to.throw(RangeError);
  });
});
