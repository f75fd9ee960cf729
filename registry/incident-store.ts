// registry/incident-store: incident records in Redis (issue #19 item 4) — one per exporter and revoked piece
// of evidence that released transfers relied on, created once (SET NX: reopening answers the first record),
// indexed by time overall and per exporter. It never judges which transfers are affected: the service does.
import type { Redis } from '../platform/redis.js';
import { defaultRedisPrefix, segment, tail } from './keys.js';

export type EvidenceKind = 'certificate' | 'filing';

export interface Incident {
  readonly id: string;
  readonly exporterId: string;
  readonly evidence: {
    readonly kind: EvidenceKind;
    /** The certificate's SHA-256 (hex of the DER) or the filing id. */
    readonly ref: string;
    /** For a certificate: the attestations whose leaf it is. */
    readonly attestationIds: readonly string[];
  };
  /** Released transfers delivered under the evidence (ids only). */
  readonly transferIds: readonly string[];
  readonly revokedAt: string;
  readonly openedAt: string;
  /** When the report to the provincial CAC is due, and under what (api.md §11; Provisions 2024 art. 11). */
  readonly reportingClock: {
    readonly startedAt: string;
    readonly reportBy: string;
    readonly hours: number;
    readonly basis: readonly string[];
  };
  /** Ledger index of the `incident.opened` event, once written. */
  readonly ledgerIndex: number | null;
}

/** Key names under XBORDER_REDIS_PREFIX. */
const keysUnder = (prefix: string) => ({
  incident: (id: string) => `${prefix}:incident:${tail(id)}`,
  all: () => `${prefix}:index:incident`,
  byExporter: (exporterId: string) => `${prefix}:index:incident:exporter:${segment(exporterId)}`,
});

export interface IncidentStore {
  /** Stores the incident unless one with its id exists; answers the stored one either way. */
  open(incident: Incident): Promise<Incident>;
  setLedgerIndex(id: string, index: number): Promise<void>;
  get(id: string): Promise<Incident | null>;
  /** Newest first; one exporter's when `exporterId` is given. */
  list(exporterId: string | undefined, limit: number): Promise<Incident[]>;
}

export function createIncidentStore(redis: Redis, prefix: string = defaultRedisPrefix): IncidentStore {
  const k = keysUnder(prefix);
  async function get(id: string): Promise<Incident | null> {
    const text = await redis.get(k.incident(id));
    return text === null ? null : (JSON.parse(text) as Incident);
  }
  return {
    async open(incident) {
      // One transaction: the record only if new, the index entries only if absent (ZADD NX keeps the first time).
      const at = Date.parse(incident.openedAt);
      const results = await redis
        .multi()
        .set(k.incident(incident.id), JSON.stringify(incident), 'NX')
        .zadd(k.all(), 'NX', at, incident.id)
        .zadd(k.byExporter(incident.exporterId), 'NX', at, incident.id)
        .exec();
      if (results?.[0]?.[1] === 'OK') return incident;
      return (await get(incident.id)) ?? incident;
    },
    async setLedgerIndex(id, index) {
      const current = await get(id);
      if (current !== null)
        await redis.set(k.incident(id), JSON.stringify({ ...current, ledgerIndex: index }));
    },
    get,
    async list(exporterId, limit) {
      const index = exporterId === undefined ? k.all() : k.byExporter(exporterId);
      const ids = await redis.zrevrange(index, 0, limit - 1);
      if (ids.length === 0) return [];
      const texts = await redis.mget(ids.map(k.incident));
      return texts.flatMap((t) => (t === null ? [] : [JSON.parse(t) as Incident]));
    },
  };
}
