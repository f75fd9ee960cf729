// registry/archive/schema-migrations: the archive's PostgreSQL schema as numbered SQL migrations, applied in order by
// migrateArchive. A released migration is never edited: a change is a new, higher version. Holds no personal data
// (api.md §8: the ledger has none, and the archive is built from the ledger).

export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const schemaMigrations: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'read model',
    sql: `
-- How far the archive has read the ledger: entries [0, next_index) are in. One row, updated in the same
-- transaction as the rows an entry produced, so a crash loses or repeats nothing.
CREATE TABLE archive_position (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  next_index bigint NOT NULL CHECK (next_index >= 0),
  updated_at timestamptz NOT NULL
);
INSERT INTO archive_position (singleton, next_index, updated_at) VALUES (true, 0, now());

-- Every ledger entry, byte for byte (audit bundles re-serve them; replays start from them).
CREATE TABLE ledger_entries (
  ledger_index bigint PRIMARY KEY,
  type text NOT NULL,
  at timestamptz NOT NULL,
  transfer_id text,
  leaf bytea NOT NULL
);
CREATE INDEX ledger_entries_transfer ON ledger_entries (transfer_id, ledger_index) WHERE transfer_id IS NOT NULL;

CREATE TABLE transfers (
  transfer_id text PRIMARY KEY,
  exporter_id text NOT NULL,
  business_type text NOT NULL,
  partner_id text,
  endpoint_id text,
  destination_country text,
  data_categories text[] NOT NULL DEFAULT '{}',
  declared_individuals bigint,
  declared_sensitive bigint,
  bytes bigint NOT NULL,
  payload_sha256 text NOT NULL,
  tier text,
  grade text,
  policy_version text,
  status text NOT NULL,
  submitted_at timestamptz NOT NULL,
  status_at timestamptz NOT NULL,
  released_at timestamptz,
  released_by text,
  delivered_at timestamptz,
  submitted_index bigint NOT NULL UNIQUE,
  last_index bigint NOT NULL
);
CREATE INDEX transfers_newest ON transfers (submitted_at DESC, transfer_id DESC);
CREATE INDEX transfers_exporter_newest ON transfers (exporter_id, submitted_at DESC, transfer_id DESC);
CREATE INDEX transfers_delivered ON transfers (exporter_id, delivered_at) WHERE delivered_at IS NOT NULL;

-- Reason codes by the event that gave them: classification, hold, block (stage says which).
CREATE TABLE transfer_reasons (
  ledger_index bigint NOT NULL,
  code text NOT NULL,
  transfer_id text NOT NULL,
  stage text NOT NULL,
  PRIMARY KEY (ledger_index, code)
);
CREATE INDEX transfer_reasons_code ON transfer_reasons (code, transfer_id);

CREATE TABLE checks (
  ledger_index bigint PRIMARY KEY,
  transfer_id text NOT NULL,
  check_name text NOT NULL,
  ok boolean NOT NULL,
  reasons text[] NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX checks_transfer ON checks (transfer_id);

CREATE TABLE decisions (
  ledger_index bigint PRIMARY KEY,
  transfer_id text NOT NULL,
  reviewer_hash text,
  decision text NOT NULL,
  status text,
  at timestamptz NOT NULL
);
CREATE INDEX decisions_transfer ON decisions (transfer_id);

-- Delivery events: failed attempts, receipts, the final failure, retries asked by ops.
CREATE TABLE deliveries (
  ledger_index bigint PRIMARY KEY,
  transfer_id text NOT NULL,
  event text NOT NULL,
  attempt integer,
  outcome text,
  at timestamptz NOT NULL
);
CREATE INDEX deliveries_transfer ON deliveries (transfer_id);

CREATE TABLE registry_changes (
  ledger_index bigint PRIMARY KEY,
  kind text NOT NULL,
  record_id text,
  exporter_id text,
  body jsonb NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX registry_changes_record ON registry_changes (kind, record_id);

-- Each exporter's year (Asia/Shanghai calendar year, Provisions 2024 art. 7): transfers and bytes delivered,
-- and distinct people as the gateway's exact volume count recorded them (volume.committed events).
CREATE TABLE exporter_years (
  exporter_id text NOT NULL,
  year integer NOT NULL,
  transfers bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  individuals bigint NOT NULL DEFAULT 0,
  sensitive bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (exporter_id, year)
);
`,
  },
  {
    version: 2,
    name: 'volume commits per transfer',
    sql: `
-- Each delivered transfer's volume.committed event: the exporter's exact year-to-date counts after it. Reports
-- attribute to a transfer the people it added to its exporter's year (the rise over the largest count before it),
-- so the sum over any grouping equals the exporters' distinct counts.
CREATE TABLE volume_commits (
  ledger_index bigint PRIMARY KEY,
  transfer_id text NOT NULL,
  exporter_id text NOT NULL,
  year integer NOT NULL,
  individuals_ytd bigint NOT NULL,
  sensitive_ytd bigint NOT NULL
);
CREATE INDEX volume_commits_exporter_year ON volume_commits (exporter_id, year, ledger_index);
CREATE INDEX volume_commits_transfer ON volume_commits (transfer_id);
`,
  },
  {
    version: 3,
    name: 'export report covering indexes',
    sql: `
-- The export report reads one exporter-year: its delivered transfers in a range of delivered_at, and its volume
-- commits in ledger order. Both indexes carry every column the report reads, so it is answered from the index
-- alone (an index-only scan once vacuum has marked the pages all-visible) instead of one heap page per transfer,
-- and the commits come in the window's order without a sort (bench/report-query.ts). They replace the key-only
-- indexes on the same columns. Built first, dropped last: CREATE INDEX lets readers on, DROP INDEX locks them out
-- until the migration commits.
CREATE INDEX transfers_delivered_report ON transfers (exporter_id, delivered_at)
  INCLUDE (transfer_id, bytes, partner_id, destination_country, tier, data_categories)
  WHERE delivered_at IS NOT NULL;
CREATE INDEX volume_commits_exporter_year_counts ON volume_commits (exporter_id, year, ledger_index)
  INCLUDE (transfer_id, individuals_ytd, sensitive_ytd);
DROP INDEX transfers_delivered;
DROP INDEX volume_commits_exporter_year;
`,
  },
  {
    version: 4,
    name: 'archive retention decisions',
    sql: `
-- Each retention decision (one archive.retention ledger event): the sweep writes it before appending the event,
-- so a crash between the two leaves it pending (ledger_index NULL) and the next sweep appends it again under the
-- same event id; the archiver writes it too when it meets the event (a replay from scratch has the same rows) and
-- deletes the transfers' rows then. Ids and counts only, like the event.
CREATE TABLE archive_retentions (
  event_id text PRIMARY KEY,
  cutoff timestamptz NOT NULL,
  years integer NOT NULL,
  transfer_ids text[] NOT NULL,
  rows jsonb NOT NULL,
  ledger_index bigint
);
-- A transfer named by a decision is not decided again while its rows wait for the archiver.
CREATE INDEX archive_retentions_transfers ON archive_retentions USING gin (transfer_ids);
CREATE INDEX archive_retentions_pending ON archive_retentions (event_id) WHERE ledger_index IS NULL;
-- The sweep looks for transfers whose last event is before the cutoff: an index, not a scan of every transfer.
CREATE INDEX transfers_status_at ON transfers (status_at);
`,
  },
  {
    version: 5,
    name: 'archive position anchor',
    sql: `
-- The checkpoint the archiver last trusted: the ledger's first checkpoint_size entries have root hash checkpoint_root
-- (RFC 6962). Moved in the same transaction as next_index, so the two never disagree; at start the archiver hands
-- it to the object-store ledger source, which then refuses a checkpoint of another history (a forked store) and
-- serves no fewer entries than it (a rolled-back one). NULL until the archiver first reads a verified checkpoint:
-- a file ledger has none, and an archive from version 4 trusts the first checkpoint it reads once.
ALTER TABLE archive_position
  ADD COLUMN checkpoint_size bigint CHECK (checkpoint_size >= 0),
  ADD COLUMN checkpoint_root bytea CHECK (octet_length(checkpoint_root) = 32),
  ADD CONSTRAINT archive_position_checkpoint_whole CHECK ((checkpoint_size IS NULL) = (checkpoint_root IS NULL));
`,
  },
];
