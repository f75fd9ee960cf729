// registry/archive/build-audit-bundle: assembles an audit bundle (api.md §10) — the archived transfer records of a range,
// the ledger entries concerning them with inclusion proofs under the oldest signed checkpoint covering them all, a
// consistency proof to the latest checkpoint, and the seal. Reads the archive and the ledger; never writes either
// (except that the ledger signs a checkpoint when none covers the entries yet).
import { parseCheckpoint } from '../../ledger/checkpoint.js';
import {
  auditBundleFormat,
  recordDigest,
  sealAuditBundle,
  type AuditBundle,
  type AuditEntry,
  type AuditRecord,
} from '../../ledger/audit-bundle.js';
import type { JsonValue } from '../../ledger/leaf-encoding.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { NoteSigner } from '../../ledger/signed-note.js';
import type { Database } from '../../platform/database.js';
import type { ArchiveSearch, ArchivedTransfer } from './archive-search.js';

export interface AuditBundleQuery {
  readonly exporterId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

export interface AuditBundleSources {
  readonly db: Database;
  readonly search: ArchiveSearch;
  readonly ledger: Ledger;
  /** The ledger's signing key and name (it seals the bundle as it signs checkpoints). */
  readonly signer: NoteSigner;
  readonly origin: string;
  readonly now: () => Date;
}

export type AuditBundleResult =
  | { readonly ok: true; readonly bundle: AuditBundle }
  | { readonly ok: false; readonly reason: 'TOO_MANY_RECORDS'; readonly limit: number };

/** One bundle is one file held in memory on both sides: a bound keeps it to tens of megabytes. */
export const maxAuditRecords = 10_000;
const pageSize = 500;

export async function buildAuditBundle(
  sources: AuditBundleSources,
  query: AuditBundleQuery,
): Promise<AuditBundleResult> {
  const { db, search, ledger, signer, origin, now } = sources;
  const generatedAt = now().toISOString();
  const transfers: ArchivedTransfer[] = [];
  let cursor: string | undefined;
  do {
    const page = await search.list({
      ...query,
      order: 'oldest',
      limit: pageSize,
      ...(cursor === undefined ? {} : { cursor }),
    });
    transfers.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (transfers.length > maxAuditRecords)
      return { ok: false, reason: 'TOO_MANY_RECORDS', limit: maxAuditRecords };
  } while (cursor !== undefined);

  // The entries each transfer's record was projected from (the archive keeps their index per transfer).
  const ids = transfers.map((t) => t.id);
  const rows =
    ids.length === 0
      ? []
      : await db.query<{ transfer_id: string; ledger_index: string }>(
          `SELECT transfer_id, ledger_index FROM ledger_entries WHERE transfer_id = ANY($1::text[])
           ORDER BY ledger_index`,
          [ids],
        );
  const indexesOf = new Map<string, number[]>();
  for (const row of rows) {
    const list = indexesOf.get(row.transfer_id) ?? [];
    list.push(Number(row.ledger_index));
    indexesOf.set(row.transfer_id, list);
  }
  const allIndexes = rows.map((r) => Number(r.ledger_index));
  const needed = allIndexes.length === 0 ? 0 : Math.max(...allIndexes) + 1;

  const checkpoint = await oldestCovering(ledger, origin, needed);
  const size = sizeOf(checkpoint);
  const latest = (await ledger.latestCheckpoint()) ?? checkpoint;
  const latestSize = sizeOf(latest);

  // Leaves come from the ledger itself, so a damaged archive row shows up as a failing digest, not a silent change.
  const leaves = new Map<number, Buffer>();
  const entries: AuditEntry[] = [];
  for (const index of allIndexes) {
    const leaf = await ledger.entry(index);
    leaves.set(index, leaf);
    const proof = await ledger.proof(index, size);
    entries.push({ index, leaf: leaf.toString('base64'), proof: proof.hashes });
  }
  const records: AuditRecord[] = transfers.map((transfer) => {
    const record = JSON.parse(JSON.stringify(transfer)) as { [field: string]: JsonValue };
    const indexes = indexesOf.get(transfer.id) ?? [];
    const held = indexes.map((index) => ({ index, leaf: leaves.get(index) ?? Buffer.alloc(0) }));
    return {
      transferId: transfer.id,
      record,
      entries: indexes,
      digest: recordDigest(transfer.id, record, held),
    };
  });
  const consistency = await ledger.consistency(size, latestSize);
  return {
    ok: true,
    bundle: sealAuditBundle(
      {
        format: auditBundleFormat,
        origin,
        query: {
          exporterId: query.exporterId ?? null,
          from: query.from?.toISOString() ?? null,
          to: query.to?.toISOString() ?? null,
        },
        generatedAt,
        records,
        entries,
        checkpoint,
        latest: { checkpoint: latest, consistency: consistency.hashes },
      },
      signer,
    ),
  };
}

/** The oldest stored checkpoint of `origin` covering the first `needed` entries, or a newly signed one. */
async function oldestCovering(ledger: Ledger, origin: string, needed: number): Promise<string> {
  for (const note of await ledger.checkpoints()) {
    const parsed = parseCheckpoint(note);
    if (parsed.ok && parsed.checkpoint.origin === origin && parsed.checkpoint.size >= Math.max(needed, 1))
      return note;
  }
  return ledger.checkpoint();
}

function sizeOf(note: string): number {
  const parsed = parseCheckpoint(note);
  if (!parsed.ok) throw new Error('the ledger answered a checkpoint that does not parse');
  return parsed.checkpoint.size;
}
