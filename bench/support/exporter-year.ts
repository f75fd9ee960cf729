// bench/support/exporter-year: fills an empty archive read model (transfers, volume_commits) directly with COPY —
// a two-year timeline (2025–2026, Asia/Shanghai) of transfers from many exporters, one row in `share` belonging to
// the measured exporter (interleaved, as submissions arrive), about one in twenty never delivered, and a
// volume.committed row per delivered transfer whose year-to-date count rises to exactly `people` on the measured
// exporter's last delivery of 2026. Deterministic: the same rows in every run.
import type { Database } from '../../platform/database.js';
import { scriptedExporters, scriptedTransferId } from '../../test/support/scripted-ledger.js';

export interface ExporterYearShape {
  /** Transfers in all, every exporter. */
  readonly rows: number;
  /** One transfer in `share` is the measured exporter's. */
  readonly share: number;
  /** Distinct people of the measured exporter's 2026. */
  readonly people: number;
}

export interface FilledArchive {
  readonly exporter: string;
  readonly year: number;
  readonly transfers: number;
  readonly commits: number;
  /** COPY of both tables, CHECKPOINT and VACUUM ANALYZE. */
  readonly seconds: number;
  /** The smaller share of the two tables' pages that VACUUM marked all-visible (1 when all are). */
  readonly allVisible: number;
}

const exporter = scriptedExporters[0];
const year = 2026;
/** Asia/Shanghai has no daylight saving: UTC+8 all year. */
const shanghaiMs = 8 * 3600_000;
const timelineStart = Date.UTC(2025, 0, 1) - shanghaiMs;
const timelineMs = Date.UTC(2027, 0, 1) - shanghaiMs - timelineStart;
const countries = ['SG', 'MY', 'TH', 'VN', 'ID', 'PH'] as const;
const categories = ['contact', 'order', 'payment', 'location', 'health'] as const;
const tiers = ['standard_contract', 'exempt', 'security_assessment', 'free_flow'] as const;
const statuses = ['blocked', 'held', 'delivery_failed'] as const;

/** A well-mixed 32-bit hash of n (Murmur3's finaliser). */
function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ salt, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
const pick = <T>(list: readonly T[], h: number): T => list[h % list.length] as T;
const yearOf = (ms: number) => new Date(ms + shanghaiMs).getUTCFullYear();
const iso = (ms: number) => new Date(ms).toISOString();
/** People a delivered transfer adds to its exporter-year, relatively: one in eight adds none (people already counted). */
const weight = (n: number) => (mix(n, 4) % 8 === 0 ? 0 : mix(n, 5) % 64);

interface Row {
  readonly exporterId: string;
  readonly submitted: number;
  /** Delivery time (epoch ms), or null for a transfer that was never delivered. */
  readonly delivered: number | null;
}

export async function fillExporterYear(db: Database, shape: ExporterYearShape): Promise<FilledArchive> {
  const rowOf = (n: number): Row => {
    const exporterId =
      n % shape.share === 0 ? exporter : `914501MA5K${String(mix(n, 1) % 400).padStart(8, '0')}`;
    const submitted = timelineStart + Math.floor((n / shape.rows) * timelineMs);
    const delivered = mix(n, 2) % 20 === 0 ? null : submitted + 30_000 + (mix(n, 3) % 600_000);
    return { exporterId, submitted, delivered };
  };

  // Each exporter-year's total weight, so its year-to-date counts can be scaled to its people.
  const totals = new Map<string, { weight: number; count: number }>();
  for (let n = 0; n < shape.rows; n += 1) {
    const r = rowOf(n);
    if (r.delivered === null) continue;
    const key = `${r.exporterId}/${yearOf(r.delivered)}`;
    const t = totals.get(key) ?? { weight: 0, count: 0 };
    totals.set(key, { weight: t.weight + weight(n), count: t.count + 1 });
  }

  function* transferLines(): Generator<string> {
    let chunk = '';
    for (let n = 0; n < shape.rows; n += 1) {
      const r = rowOf(n);
      const country = pick(countries, mix(n, 6));
      const partner = `${country.toLowerCase()}-${mix(n, 9) % 12}`;
      const cats = categories.filter((_, i) => (mix(n, 7) >> i) % 3 === 0);
      const released = r.delivered === null ? null : r.delivered - 20_000;
      const cells = [
        scriptedTransferId(n + 1),
        r.exporterId,
        'cross_border_ecommerce',
        `partner-${partner}`,
        `endpoint-${partner}`,
        country,
        `{${(cats.length > 0 ? cats : ['order']).join(',')}}`,
        String(mix(n, 10) % 500),
        String(mix(n, 11) % 20),
        String(1024 + (mix(n, 12) % 50_000_000)),
        (mix(n, 13).toString(16) + mix(n, 14).toString(16)).padStart(64, '0'),
        pick(tiers, mix(n, 15)),
        mix(n, 16) % 7 === 0 ? 'important' : 'general',
        '2026.1',
        r.delivered === null ? pick(statuses, mix(n, 8)) : 'released',
        iso(r.submitted),
        iso(r.delivered ?? r.submitted + 5_000),
        released === null ? '\\N' : iso(released),
        released === null ? '\\N' : 'workers',
        r.delivered === null ? '\\N' : iso(r.delivered),
        String(10 * n),
        String(10 * n + 7),
      ];
      chunk += `${cells.join('\t')}\n`;
      if (chunk.length > 256_000) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }

  function* commitLines(): Generator<string> {
    const sums = new Map<string, number>();
    let chunk = '';
    for (let n = 0; n < shape.rows; n += 1) {
      const r = rowOf(n);
      if (r.delivered === null) continue;
      const y = yearOf(r.delivered);
      const key = `${r.exporterId}/${y}`;
      const total = totals.get(key) ?? { weight: 0, count: 0 };
      const sum = (sums.get(key) ?? 0) + weight(n);
      sums.set(key, sum);
      const people = key === `${exporter}/${year}` ? shape.people : total.count * 20;
      const individuals = total.weight === 0 ? 0 : Math.floor((people * sum) / total.weight);
      chunk += `${10 * n + 5}\t${scriptedTransferId(n + 1)}\t${r.exporterId}\t${y}\t${individuals}\t${Math.floor(individuals / 20)}\n`;
      if (chunk.length > 256_000) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }

  const started = process.hrtime.bigint();
  const transfers = await db.copyFrom(
    `COPY transfers (transfer_id, exporter_id, business_type, partner_id, endpoint_id, destination_country,
       data_categories, declared_individuals, declared_sensitive, bytes, payload_sha256, tier, grade,
       policy_version, status, submitted_at, status_at, released_at, released_by, delivered_at, submitted_index,
       last_index) FROM STDIN`,
    transferLines(),
  );
  const commits = await db.copyFrom(
    'COPY volume_commits (ledger_index, transfer_id, exporter_id, year, individuals_ytd, sensitive_ytd) FROM STDIN',
    commitLines(),
  );
  // As a long-running archive is after autovacuum: statistics, and pages marked all-visible so covering indexes
  // answer without the heap. VACUUM cannot mark a page whose commit is not yet flushed (the server commits
  // asynchronously, test settings: CHECKPOINT flushes), and right after the load it marked only part of the pages
  // or none in runs here (cause not pinned down); a later VACUUM marks them all, so it is repeated, at most 10 times.
  const allVisible = async (): Promise<number> => {
    const [row] = await db.query<{ share: number }>(
      `SELECT min(relallvisible::float8 / greatest(relpages, 1)) AS share FROM pg_class
       WHERE relname IN ('transfers', 'volume_commits')`,
    );
    return row?.share ?? 0;
  };
  let visible = 0;
  for (let round = 0; round < 10 && visible < 1; round += 1) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    await db.query('CHECKPOINT');
    await db.query(round === 0 ? 'VACUUM ANALYZE' : 'VACUUM');
    visible = await allVisible();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { exporter, year, transfers, commits, seconds, allVisible: visible };
}
