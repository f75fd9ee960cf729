// ledger/signed-note: C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys — text, a blank line,
// then "— <key name> <base64(key hash ‖ signature)>" lines. Crypto from node:crypto only. Pure.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface NoteSigner {
  readonly keyName: string;
  readonly privateKey: KeyObject;
}

export interface NoteVerifier {
  readonly keyName: string;
  readonly publicKey: KeyObject;
}

export interface NoteSignature {
  readonly keyName: string;
  /** The 4-byte key ID that opens the signature blob. */
  readonly keyHash: Buffer;
  readonly signature: Buffer;
}

export type NoteIssueCode = 'MALFORMED_NOTE' | 'BAD_KEY' | 'UNVERIFIED' | 'BAD_SIGNATURE';

export interface NoteIssue {
  readonly code: NoteIssueCode;
  readonly message: string;
}

export type ParsedNote =
  | { readonly ok: true; readonly text: string; readonly signatures: readonly NoteSignature[] }
  | { readonly ok: false; readonly reasons: readonly NoteIssue[] };

export type NoteVerification =
  | { readonly ok: true; readonly text: string; readonly signatures: readonly NoteSignature[] }
  | { readonly ok: false; readonly reasons: readonly NoteIssue[] };

// signed-note: signature lines start with U+2014 EM DASH and a space.
const SIGNATURE_PREFIX = '\u2014 ';
// signed-note: the signature type byte of Ed25519 in key hashes and verifier keys.
const ED25519_TYPE = 0x01;
// golang.org/x/mod/sumdb/note refuses notes with more than 100 signatures; the spec lets verifiers set a limit.
const MAX_SIGNATURES = 100;
const ED25519_SIGNATURE_SIZE = 64;

/** signed-note "Key names": non-empty, well-formed, no Unicode spaces and no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isWellFormed(name) && !/[\s+]/u.test(name);
}

/** The 32-byte Ed25519 public key of a key object (private or public), or undefined when not Ed25519. */
export function rawEd25519PublicKey(key: KeyObject): Buffer | undefined {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') return undefined;
  const jwk = publicKey.export({ format: 'jwk' });
  return typeof jwk.x === 'string' ? Buffer.from(jwk.x, 'base64url') : undefined;
}

/** signed-note Ed25519 key ID: the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). */
export function computeKeyHash(keyName: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(keyName, 'utf8')
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key string `<name>+<hex key ID>+<base64(0x01 ‖ public key)>` (signed-note "Verifier keys"). */
export function formatVerifierKey(keyName: string, publicKey: KeyObject): string {
  const raw = rawEd25519PublicKey(publicKey);
  if (raw === undefined || !isValidKeyName(keyName))
    throw new TypeError('an Ed25519 key and a valid key name are required');
  return `${keyName}+${computeKeyHash(keyName, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), raw]).toString('base64')}`;
}

/** A NoteVerifier from a verifier key string, or the reason it is not one. */
export function parseVerifierKey(
  vkey: string,
): { readonly ok: true; readonly verifier: NoteVerifier } | { readonly ok: false; readonly reason: string } {
  const [name, hashHex, keyB64, ...rest] = vkey.split('+');
  if (
    name === undefined ||
    hashHex === undefined ||
    keyB64 === undefined ||
    rest.length > 0 ||
    !isValidKeyName(name)
  ) {
    return { ok: false, reason: 'a verifier key is <name>+<hash>+<key>' };
  }
  const key = decodeBase64(keyB64);
  if (key === undefined || key.length !== 33 || key[0] !== ED25519_TYPE)
    return { ok: false, reason: 'only Ed25519 verifier keys are supported' };
  const raw = key.subarray(1);
  if (!/^[0-9a-f]{8}$/.test(hashHex) || computeKeyHash(name, raw).toString('hex') !== hashHex) {
    return { ok: false, reason: 'the key hash does not match the name and key' };
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  return { ok: true, verifier: { keyName: name, publicKey } };
}

/** The signed note: `text` (ending in a newline), a blank line and one Ed25519 signature line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  const textIssue = checkText(text);
  if (textIssue !== undefined) throw new TypeError(`cannot sign: ${textIssue}`);
  if (signers.length === 0) throw new TypeError('cannot sign: no signer');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map(({ keyName, privateKey }) => {
    const raw = rawEd25519PublicKey(privateKey);
    if (raw === undefined || privateKey.type !== 'private')
      throw new TypeError('cannot sign: the key is not an Ed25519 private key');
    if (!isValidKeyName(keyName))
      throw new TypeError(`cannot sign: invalid key name ${JSON.stringify(keyName)}`);
    // Ed25519 signs the note text bytes exactly (signed-note "Signatures").
    const blob = Buffer.concat([computeKeyHash(keyName, raw), sign(null, message, privateKey)]);
    return `${SIGNATURE_PREFIX}${keyName} ${blob.toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** Splits a signed note into text and signatures without verifying anything. */
export function parseNote(note: string): ParsedNote {
  const malformed = (message: string): ParsedNote => ({
    ok: false,
    reasons: [{ code: 'MALFORMED_NOTE', message }],
  });
  if (!isWellFormed(note)) return malformed('the note is not well-formed UTF-8 text');
  // The text ends with a newline and is followed by one blank line; signatures come after the last "\n\n".
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return malformed('there is no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const textIssue = checkText(text);
  if (textIssue !== undefined) return malformed(textIssue);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) return malformed('the signature block does not end with a newline');
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return malformed('a signature line does not start with "— "');
    const [keyName, blobB64, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (keyName === undefined || blobB64 === undefined || rest.length > 0 || !isValidKeyName(keyName)) {
      return malformed('a signature line is not "— <key name> <signature>"');
    }
    const blob = decodeBase64(blobB64);
    if (blob === undefined || blob.length < 5)
      return malformed('a signature is not base64 of a key ID and a signature');
    signatures.push({ keyName, keyHash: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  if (signatures.length === 0) return malformed('the note has no signature');
  if (signatures.length > MAX_SIGNATURES)
    return malformed(`the note has more than ${MAX_SIGNATURES} signatures`);
  return { ok: true, text, signatures };
}

/**
 * Verifies a signed note against one known key. Signatures by other keys are ignored (signed-note: unknown keys
 * are skipped); a signature that names this key and key ID but does not verify fails the note.
 */
export function verifyNote(note: string, verifier: NoteVerifier): NoteVerification {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const raw = rawEd25519PublicKey(verifier.publicKey);
  if (raw === undefined || !isValidKeyName(verifier.keyName)) {
    return {
      ok: false,
      reasons: [
        { code: 'BAD_KEY', message: 'the verifier needs a valid key name and an Ed25519 public key' },
      ],
    };
  }
  const keyHash = computeKeyHash(verifier.keyName, raw);
  const mine = parsed.signatures.filter((s) => s.keyName === verifier.keyName && s.keyHash.equals(keyHash));
  if (mine.length === 0) {
    return {
      ok: false,
      reasons: [
        {
          code: 'UNVERIFIED',
          message: `the note has no signature by ${verifier.keyName}+${keyHash.toString('hex')}`,
        },
      ],
    };
  }
  const message = Buffer.from(parsed.text, 'utf8');
  for (const s of mine) {
    if (
      s.signature.length !== ED25519_SIGNATURE_SIZE ||
      !verify(null, message, verifier.publicKey, s.signature)
    ) {
      return {
        ok: false,
        reasons: [{ code: 'BAD_SIGNATURE', message: `the signature by ${verifier.keyName} does not verify` }],
      };
    }
  }
  return { ok: true, text: parsed.text, signatures: parsed.signatures };
}

// signed-note "Text": non-empty, ends with a newline, no control characters other than newline.
function checkText(text: string): string | undefined {
  if (text === '' || !text.endsWith('\n')) return 'the text must be non-empty and end with a newline';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) return 'the text contains a control character';
  if (!isWellFormed(text)) return 'the text is not well-formed UTF-8';
  return undefined;
}

// No lone UTF-16 surrogates, so the string has a UTF-8 encoding (String.prototype.isWellFormed is ES2024).
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Strict RFC 4648 §4 base64 (with padding): undefined unless it round-trips. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
