// registry/archive/archive-search: reads transfers back from the archive for search beyond Redis retention (api.md §10) —
// the same filters as the hot list plus partnerId, newest or oldest first, paged by transfer id (ULIDs sort by
// time). Answers what the ledger recorded: ids, codes, counts, times; never the manifest's free text. Read-only:
// the schema must be the one this code knows (checked once, then trusted until a query fails).
import type { Database } from '../../platform/database.js';
import { checkArchiveSchema } from './migrate-archive.js';

export interface ArchiveQuery {
  readonly status?: string;
  readonly exporterId?: string;
  readonly tier?: string;
  /** A reason code the transfer got at classification, hold or block. */
  readonly reason?: string;
  readonly partnerId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly order?: 'newest' | 'oldest';
  readonly cursor?: string;
  readonly limit: number;
}

export interface ArchivedTransfer {
  readonly id: string;
  readonly exporterId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly statusSince: string;
  /** Marks a record read from the archive (what the ledger recorded), not the full hot record. */
  readonly archived: true;
  readonly manifest: {
    readonly businessType: string;
    readonly partnerId: string | null;
    readonly endpointId: string | null;
    readonly destinationCountry: string | null;
    readonly dataCategories: readonly string[];
    readonly personalInfo: {
      readonly individuals: number | null;
      readonly sensitiveIndividuals: number | null;
    };
  };
  readonly classification: {
    readonly tier: string | null;
    readonly grade: string | null;
    readonly policyVersion: string | null;
    readonly reasons: readonly { readonly code: string; readonly stage: string }[];
  };
  readonly inspection: { readonly bytes: number; readonly sha256: string };
  readonly release: { readonly at: string; readonly by: string | null } | null;
  readonly deliveredAt: string | null;
}

export interface ArchivePage {
  readonly items: ArchivedTransfer[];
  readonly nextCursor: string | null;
}

export interface ArchiveSearch {
  list(query: ArchiveQuery): Promise<ArchivePage>;
  /** One transfer; with `exporterId`, only if it is that exporter's (a tenant's read). */
  get(id: string, exporterId?: string): Promise<ArchivedTransfer | null>;
}

type TransferRow = {
  transfer_id: string;
  exporter_id: string;
  status: string;
  submitted_at: string;
  status_at: string;
  business_type: string;
  partner_id: string | null;
  endpoint_id: string | null;
  destination_country: string | null;
  data_categories: string[];
  declared_individuals: number | null;
  declared_sensitive: number | null;
  tier: string | null;
  grade: string | null;
  policy_version: string | null;
  bytes: number;
  payload_sha256: string;
  released_at: string | null;
  released_by: string | null;
  delivered_at: string | null;
  reasons: { code: string; stage: string }[] | null;
};

const select = `
  SELECT t.*, (SELECT json_agg(json_build_object('code', r.code, 'stage', r.stage) ORDER BY r.ledger_index, r.code)
               FROM transfer_reasons r WHERE r.transfer_id = t.transfer_id) AS reasons
  FROM transfers t`;

function toView(row: TransferRow): ArchivedTransfer {
  return {
    id: row.transfer_id,
    exporterId: row.exporter_id,
    status: row.status,
    createdAt: row.submitted_at,
    statusSince: row.status_at,
    archived: true,
    manifest: {
      businessType: row.business_type,
      partnerId: row.partner_id,
      endpointId: row.endpoint_id,
      destinationCountry: row.destination_country,
      dataCategories: row.data_categories,
      personalInfo: { individuals: row.declared_individuals, sensitiveIndividuals: row.declared_sensitive },
    },
    classification: {
      tier: row.tier,
      grade: row.grade,
      policyVersion: row.policy_version,
      reasons: row.reasons ?? [],
    },
    inspection: { bytes: row.bytes, sha256: row.payload_sha256 },
    release: row.released_at === null ? null : { at: row.released_at, by: row.released_by },
    deliveredAt: row.delivered_at,
  };
}

export function createArchiveSearch(db: Database): ArchiveSearch {
  let checked: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    checked ??= checkArchiveSchema(db).catch((err: unknown) => {
      checked = undefined;
      throw err;
    });
    return checked;
  };

  return {
    async list(query) {
      await ready();
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (sql: string, value: string | number) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (query.status !== undefined) add('t.status = ?', query.status);
      if (query.exporterId !== undefined) add('t.exporter_id = ?', query.exporterId);
      if (query.tier !== undefined) add('t.tier = ?', query.tier);
      if (query.partnerId !== undefined) add('t.partner_id = ?', query.partnerId);
      if (query.reason !== undefined)
        add(
          'EXISTS (SELECT 1 FROM transfer_reasons r WHERE r.transfer_id = t.transfer_id AND r.code = ?)',
          query.reason,
        );
      if (query.from !== undefined) add('t.submitted_at >= ?', query.from.toISOString());
      if (query.to !== undefined) add('t.submitted_at < ?', query.to.toISOString());
      const oldest = query.order === 'oldest';
      if (query.cursor !== undefined) add(oldest ? 't.transfer_id > ?' : 't.transfer_id < ?', query.cursor);
      params.push(query.limit + 1);
      const rows = await db.query<TransferRow>(
        `${select} ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
         ORDER BY t.transfer_id ${oldest ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, query.limit).map(toView);
      return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },

    async get(id, exporterId) {
      await ready();
      const rows = await db.query<TransferRow>(
        `${select} WHERE t.transfer_id = $1 ${exporterId === undefined ? '' : 'AND t.exporter_id = $2'}`,
        exporterId === undefined ? [id] : [id, exporterId],
      );
      const row = rows[0];
      return row === undefined ? null : toView(row);
    },
  };
}
