import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { createHmacSha256, wordsToBytes } from '../../../inspection/hmac-sha256.js';

function hmacHex(key: Uint8Array, message: Uint8Array): string {
  const out = new Int32Array(8);
  createHmacSha256(key).compute(message, 0, message.length, out);
  return Buffer.from(wordsToBytes(out)).toString('hex');
}

describe('inspection/hmac-sha256', () => {
  // RFC 4231 §4: HMAC-SHA-256 test cases 1, 2, 6 and 7.
  it('matches the RFC 4231 test vectors', () => {
    expect(hmacHex(Buffer.alloc(20, 0x0b), Buffer.from('Hi There'))).to.equal(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hmacHex(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'))).to.equal(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(
      hmacHex(Buffer.alloc(131, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')),
    ).to.equal('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
    expect(
      hmacHex(
        Buffer.alloc(131, 0xaa),
        Buffer.from(
          'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
        ),
      ),
    ).to.equal('9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2');
  });

  it('agrees with node:crypto at every message length around the block boundaries', () => {
    const key = randomBytes(32);
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      expect(hmacHex(key, message), `length ${length}`).to.equal(
        createHmac('sha256', key).update(message).digest('hex'),
      );
    }
  });

  it('agrees with node:crypto for random keys and messages, reusing one instance', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 5 }),
        (key, messages) => {
          const hmac = createHmacSha256(key);
          const out = new Int32Array(8);
          for (const message of messages) {
            hmac.compute(message, 0, message.length, out);
            expect(Buffer.from(wordsToBytes(out)).toString('hex')).to.equal(
              createHmac('sha256', key).update(message).digest('hex'),
            );
          }
        },
      ),
    );
  });

  it('hashes only message[start..start+length) of a larger buffer', () => {
    const key = randomBytes(32);
    const buffer = Buffer.from(`leading I:45010319850612123X${'trailing '.repeat(20)}`);
    const out = new Int32Array(8);
    for (const [start, length] of [
      [8, 20],
      [0, 100],
      [3, 64],
      [1, 57],
    ] as const) {
      createHmacSha256(key).compute(buffer, start, length, out);
      expect(Buffer.from(wordsToBytes(out)).toString('hex')).to.equal(
        createHmac('sha256', key)
          .update(buffer.subarray(start, start + length))
          .digest('hex'),
      );
    }
  });
});
