import { expect } from 'chai';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  computeKeyHash,
  formatVerifierKey,
  parseNote,
  parseVerifierKey,
  rawEd25519PublicKey,
  signNote,
  verifyNote,
} from '../../../ledger/signed-note.js';

// Known answer from golang.org/x/mod/sumdb/note's documentation: key, text and the exact signed note.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// The example from the C2SP signed-note specification ("Verifier keys").
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const codes = (result: { ok: boolean; reasons?: readonly { code: string }[] }): string[] =>
  (result.reasons ?? []).map((r) => r.code);

function goPrivateKey() {
  const seed = Buffer.from(GO_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  // PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410 §7).
  return createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

describe('ledger/signed-note (C2SP signed-note)', () => {
  it('reproduces the Go reference signature byte for byte', () => {
    const privateKey = goPrivateKey();
    expect(signNote(GO_TEXT, [{ keyName: 'PeterNeumann', privateKey }])).to.equal(GO_NOTE);
    expect(formatVerifierKey('PeterNeumann', createPublicKey(privateKey))).to.equal(GO_VKEY);
    expect(
      computeKeyHash('PeterNeumann', rawEd25519PublicKey(privateKey) as Buffer).toString('hex'),
    ).to.equal('c74f20a3');
  });

  it('verifies the Go and spec examples with their verifier keys', () => {
    for (const [vkey, note] of [
      [GO_VKEY, GO_NOTE],
      [SPEC_VKEY, SPEC_NOTE],
    ] as const) {
      const parsed = parseVerifierKey(vkey);
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(verifyNote(note, parsed.verifier).ok).to.equal(true);
    }
  });

  it('refuses a changed text, a forged signature and a note signed only by another key', () => {
    const parsed = parseVerifierKey(GO_VKEY);
    if (!parsed.ok) throw new Error(parsed.reason);
    const changed = GO_NOTE.replace('cryptography', 'cryptographY');
    expect(codes(verifyNote(changed, parsed.verifier))).to.deep.equal(['BAD_SIGNATURE']);
    const other = generateKeyPairSync('ed25519');
    const foreign = signNote(GO_TEXT, [{ keyName: 'PeterNeumann', privateKey: other.privateKey }]);
    // Same name, different key: the key ID differs, so the signature is not by this key at all.
    expect(codes(verifyNote(foreign, parsed.verifier))).to.deep.equal(['UNVERIFIED']);
  });

  it('ignores signatures by unknown keys beside a good one', () => {
    const a = generateKeyPairSync('ed25519');
    const b = generateKeyPairSync('ed25519');
    const note = signNote('hello\n', [
      { keyName: 'b.example', privateKey: b.privateKey },
      { keyName: 'a.example', privateKey: a.privateKey },
    ]);
    expect(verifyNote(note, { keyName: 'a.example', publicKey: a.publicKey }).ok).to.equal(true);
    expect(verifyNote(note, { keyName: 'b.example', publicKey: b.publicKey }).ok).to.equal(true);
  });

  it('rejects malformed notes', () => {
    for (const bad of [
      'no blank line\n\u2014 k AAAA\n',
      'text\n\n',
      'text\n\n- k AAAAAAA=\n',
      'text\n\n\u2014 k not-base64\n',
      'text\n\n\u2014 k AAAAAAAA',
    ]) {
      expect(parseNote(bad).ok, JSON.stringify(bad)).to.equal(false);
    }
    const key = generateKeyPairSync('ed25519').privateKey;
    expect(() => signNote('no newline', [{ keyName: 'k', privateKey: key }])).to.throw(TypeError);
    expect(() => signNote('ok\n', [{ keyName: 'has space', privateKey: key }])).to.throw(TypeError);
    expect(() =>
      signNote('ok\n', [
        { keyName: 'k', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey },
      ]),
    ).to.throw(TypeError);
  });
});
