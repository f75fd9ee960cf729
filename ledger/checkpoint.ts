// ledger/checkpoint: C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) — "<origin>\n<size>\n<base64 root>\n"
// plus optional extension lines, carried in a C2SP signed note. Sign, parse and verify. Pure.
import { HASH_SIZE } from './merkle-hash.js';
import {
  decodeBase64,
  parseNote,
  signNote,
  verifyNote,
  type NoteIssue,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** tlog-checkpoint extension lines after the root hash (opaque, non-empty). */
  readonly extensions: readonly string[];
}

export type CheckpointIssueCode = NoteIssue['code'] | 'MALFORMED_CHECKPOINT' | 'ORIGIN_MISMATCH';

export interface CheckpointIssue {
  readonly code: CheckpointIssueCode;
  readonly message: string;
}

export type ParsedCheckpoint =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly signatures: readonly NoteSignature[] }
  | { readonly ok: false; readonly reasons: readonly CheckpointIssue[] };

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reasons: readonly CheckpointIssue[] };

export interface CheckpointVerifier extends NoteVerifier {
  /** When set, the checkpoint's origin line must equal it (tlog-checkpoint: the origin names the log). */
  readonly origin?: string;
}

/** The checkpoint note body. Throws TypeError for values no checkpoint can carry (a caller bug). */
export function formatCheckpoint(
  checkpoint: Omit<Checkpoint, 'extensions'> & { readonly extensions?: readonly string[] },
): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isLine(origin)) throw new TypeError('the origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('the size must be a non-negative integer');
  if (rootHash.length !== HASH_SIZE) throw new TypeError('the root hash must be 32 bytes');
  if (!extensions.every(isLine)) throw new TypeError('extension lines must be non-empty lines');
  return [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

/** The signed checkpoint note (Ed25519 per C2SP signed-note). */
export function signCheckpoint(
  checkpoint: {
    readonly origin: string;
    readonly size: number;
    readonly rootHash: Uint8Array;
    readonly extensions?: readonly string[];
  },
  signer: NoteSigner,
): string {
  return signNote(formatCheckpoint({ ...checkpoint, rootHash: Buffer.from(checkpoint.rootHash) }), [signer]);
}

/** Parses a signed checkpoint without verifying its signatures (use verifyCheckpoint before trusting it). */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const note = parseNote(text);
  if (!note.ok) return note;
  const body = parseCheckpointBody(note.text);
  return 'reason' in body
    ? { ok: false, reasons: [{ code: 'MALFORMED_CHECKPOINT', message: body.reason }] }
    : { ok: true, checkpoint: body, signatures: note.signatures };
}

/** Verifies the signature by `verifier` (and the origin when given), then parses the body. */
export function verifyCheckpoint(text: string, verifier: CheckpointVerifier): CheckpointVerification {
  const note = verifyNote(text, verifier);
  if (!note.ok) return note;
  const body = parseCheckpointBody(note.text);
  if ('reason' in body)
    return { ok: false, reasons: [{ code: 'MALFORMED_CHECKPOINT', message: body.reason }] };
  if (verifier.origin !== undefined && body.origin !== verifier.origin) {
    return {
      ok: false,
      reasons: [
        { code: 'ORIGIN_MISMATCH', message: `the checkpoint is for origin ${JSON.stringify(body.origin)}` },
      ],
    };
  }
  return { ok: true, checkpoint: body };
}

// tlog-checkpoint "Note text": origin, decimal size without leading zeroes, base64 root hash, extension lines.
function parseCheckpointBody(text: string): Checkpoint | { readonly reason: string } {
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined)
    return { reason: 'a checkpoint has origin, size and root hash lines' };
  if (origin === '') return { reason: 'the origin line is empty' };
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine))
    return { reason: 'the size is not a decimal number without leading zeroes' };
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) return { reason: 'the size is too large' };
  const rootHash = decodeBase64(rootLine);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE)
    return { reason: 'the root hash is not base64 of 32 bytes' };
  if (extensions.some((line) => line === '')) return { reason: 'an extension line is empty' };
  return { origin, size, rootHash, extensions };
}

function isLine(text: string): boolean {
  return text !== '' && !text.includes('\n');
}
