// ledger/verify-audit-bundle: checks an audit bundle file (api.md §10) offline with the gateway's public key alone —
// byte form, checkpoint signatures, every inclusion proof, the consistency proof to the latest checkpoint, each
// record's digest over its entries, and the seal over the whole — so that any edited byte is refused. Reports every
// problem found, each with a stable code. Pure; reuses the ledger's note, checkpoint and Merkle verifiers. Never throws.
import { auditBundleFormat, recordDigest, sealText, type AuditBundle } from './audit-bundle.js';
import { canonicalJson } from './canonical-json.js';
import { verifyCheckpoint, type Checkpoint, type CheckpointVerifier } from './checkpoint.js';
import { decodeLeaf } from './leaf-encoding.js';
import { hashLeaf } from './merkle-hash.js';
import { verifyConsistency, verifyInclusion } from './merkle-verify.js';
import { decodeBase64, verifyNote } from './signed-note.js';

export type AuditBundleIssueCode =
  /** Not JSON, or not the bundle's shape. */
  | 'MALFORMED_BUNDLE'
  /** The bytes are not the canonical form (RFC 8785 JSON and a newline): something outside the values changed. */
  | 'NOT_CANONICAL'
  /** The bundle's checkpoint or the latest one is not signed by the key, or is not this ledger's. */
  | 'CHECKPOINT_INVALID'
  /** The consistency proof does not show the latest checkpoint extends the bundle's. */
  | 'NOT_CONSISTENT'
  /** An entry's inclusion proof does not verify against the bundle's checkpoint. */
  | 'NOT_INCLUDED'
  /** A record names an entry the bundle does not hold. */
  | 'ENTRY_MISSING'
  /** An entry no record names, an entry held twice, or an entry of another transfer than its record's. */
  | 'ENTRY_MISMATCH'
  /** A record's digest is not the one of its content and its entries. */
  | 'RECORD_DIGEST_MISMATCH'
  /** The seal is not signed by the key, or does not match the bundle's content. */
  | 'SEAL_INVALID';

export interface AuditBundleIssue {
  readonly code: AuditBundleIssueCode;
  readonly message: string;
}

export type AuditBundleVerification =
  | {
      readonly ok: true;
      readonly records: number;
      readonly entries: number;
      readonly checkpoint: Checkpoint;
      readonly latest: Checkpoint;
    }
  | { readonly ok: false; readonly reasons: readonly AuditBundleIssue[] };

/** Verifies the text of an audit bundle file against the ledger's key (and origin when the verifier names it). */
export function verifyAuditBundle(text: string, verifier: CheckpointVerifier): AuditBundleVerification {
  const reasons: AuditBundleIssue[] = [];
  const issue = (code: AuditBundleIssueCode, message: string): void => {
    reasons.push({ code, message });
  };
  const bundle = parseBundle(text);
  if (typeof bundle === 'string')
    return { ok: false, reasons: [{ code: 'MALFORMED_BUNDLE', message: bundle }] };
  if (`${canonicalJson(bundle)}\n` !== text)
    issue('NOT_CANONICAL', 'the file is not the RFC 8785 canonical JSON of the bundle and a newline');
  const origin = verifier.origin ?? bundle.origin;
  const checkpointVerifier = { ...verifier, origin };

  const signed = verifyCheckpoint(bundle.checkpoint, checkpointVerifier);
  const latest = verifyCheckpoint(bundle.latest.checkpoint, checkpointVerifier);
  if (!signed.ok)
    issue('CHECKPOINT_INVALID', `the bundle's checkpoint: ${signed.reasons.map((r) => r.code).join(', ')}`);
  if (!latest.ok)
    issue('CHECKPOINT_INVALID', `the latest checkpoint: ${latest.reasons.map((r) => r.code).join(', ')}`);
  if (bundle.origin !== origin)
    issue('CHECKPOINT_INVALID', `the bundle is for origin ${JSON.stringify(bundle.origin)}`);

  const consistency = decodeHashes(bundle.latest.consistency);
  if (signed.ok && latest.ok) {
    const from = signed.checkpoint;
    const to = latest.checkpoint;
    const check =
      consistency === undefined
        ? ({ ok: false, reason: 'NOT_BASE64' } as const)
        : verifyConsistency(from.size, to.size, from.rootHash, to.rootHash, consistency);
    if (!check.ok)
      issue('NOT_CONSISTENT', `size ${to.size} does not extend size ${from.size} (${check.reason})`);
  }

  // Entries: each included under the bundle's checkpoint; keyed by index for the records.
  const leaves = new Map<number, Buffer>();
  for (const entry of bundle.entries) {
    const leaf = decodeBase64(entry.leaf);
    const proof = decodeHashes(entry.proof);
    if (leaves.has(entry.index)) issue('ENTRY_MISMATCH', `entry ${entry.index} is held twice`);
    if (leaf === undefined || proof === undefined) {
      issue('NOT_INCLUDED', `entry ${entry.index}: the leaf or a proof hash is not base64`);
      continue;
    }
    leaves.set(entry.index, leaf);
    if (!signed.ok) continue;
    const included = verifyInclusion(
      hashLeaf(leaf),
      entry.index,
      signed.checkpoint.size,
      proof,
      signed.checkpoint.rootHash,
    );
    if (!included.ok) issue('NOT_INCLUDED', `entry ${entry.index} (${included.reason})`);
  }

  // Records: every named entry present and about this transfer, the digest over record and entries.
  const named = new Set<number>();
  for (const { transferId, record, entries, digest } of bundle.records) {
    const held: { index: number; leaf: Buffer }[] = [];
    for (const index of entries) {
      named.add(index);
      const leaf = leaves.get(index);
      if (leaf === undefined) {
        issue('ENTRY_MISSING', `transfer ${transferId} names entry ${index}, which the bundle does not hold`);
        continue;
      }
      held.push({ index, leaf });
      if (decodeLeaf(leaf)?.['transferId'] !== transferId)
        issue('ENTRY_MISMATCH', `entry ${index} is not transfer ${transferId}'s`);
    }
    if (held.length < entries.length) continue;
    if (recordDigest(transferId, record, held) !== digest)
      issue(
        'RECORD_DIGEST_MISMATCH',
        `transfer ${transferId}: the digest does not match the record and its entries`,
      );
  }
  for (const index of leaves.keys())
    if (!named.has(index)) issue('ENTRY_MISMATCH', `entry ${index} concerns no record of the bundle`);

  // The seal: signed by the same key, over everything else.
  const { seal, ...unsealed } = bundle;
  const sealNote = verifyNote(seal, verifier);
  if (!sealNote.ok) issue('SEAL_INVALID', `the seal: ${sealNote.reasons.map((r) => r.code).join(', ')}`);
  else if (sealNote.text !== sealText(unsealed))
    issue('SEAL_INVALID', 'the seal does not match the bundle content (something was edited after sealing)');

  if (reasons.length > 0 || !signed.ok || !latest.ok) return { ok: false, reasons };
  return {
    ok: true,
    records: bundle.records.length,
    entries: bundle.entries.length,
    checkpoint: signed.checkpoint,
    latest: latest.checkpoint,
  };
}

function decodeHashes(hashes: readonly string[]): Buffer[] | undefined {
  const out: Buffer[] = [];
  for (const h of hashes) {
    const bytes = decodeBase64(h);
    if (bytes === undefined) return undefined;
    out.push(bytes);
  }
  return out;
}

// The bundle's shape, or what is wrong with it. Values stay as parsed so the canonical check sees them all.
function parseBundle(text: string): AuditBundle | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the file is not JSON';
  }
  if (!isObject(value)) return 'a bundle is a JSON object';
  const { format, origin, query, generatedAt, records, entries, checkpoint, latest, seal } = value;
  if (format !== auditBundleFormat) return `the format is not ${auditBundleFormat}`;
  if (
    typeof origin !== 'string' ||
    typeof generatedAt !== 'string' ||
    typeof checkpoint !== 'string' ||
    typeof seal !== 'string'
  )
    return 'origin, generatedAt, checkpoint and seal are strings';
  if (
    !isObject(query) ||
    !['exporterId', 'from', 'to'].every((k) => query[k] === null || typeof query[k] === 'string')
  )
    return 'query is { exporterId, from, to } (strings or null)';
  if (!isObject(latest) || typeof latest['checkpoint'] !== 'string' || !isStrings(latest['consistency']))
    return 'latest is { checkpoint, consistency: base64[] }';
  if (
    !Array.isArray(entries) ||
    !entries.every(
      (e) => isObject(e) && isIndex(e['index']) && typeof e['leaf'] === 'string' && isStrings(e['proof']),
    )
  )
    return 'entries are [{ index, leaf, proof: base64[] }]';
  if (
    !Array.isArray(records) ||
    !records.every(
      (r) =>
        isObject(r) &&
        typeof r['transferId'] === 'string' &&
        isObject(r['record']) &&
        Array.isArray(r['entries']) &&
        r['entries'].every(isIndex) &&
        typeof r['digest'] === 'string',
    )
  )
    return 'records are [{ transferId, record, entries: index[], digest }]';
  return value as unknown as AuditBundle;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
