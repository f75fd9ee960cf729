// registry/registry-store: Redis-backed registry records of api.md §5. Every PUT is an idempotent upsert.
// It stores what the parsers in records.ts accepted; it makes no judgement about evidence.
import type { Redis } from '../platform/redis.js';
import { keys as defaultKeys, type Keys, type RecordKind } from './keys.js';
import type {
  AttestationRecord,
  Endpoint,
  EndpointBody,
  Exporter,
  ExporterBody,
  Filing,
  FilingBody,
  Partner,
  PartnerBody,
  Revocation,
  SelfAssessment,
  SelfAssessmentBody,
} from './records.js';

export interface RegistryStore {
  putExporter(id: string, body: ExporterBody, now: Date): Promise<Exporter>;
  getExporter(id: string): Promise<Exporter | null>;
  putPartner(id: string, body: PartnerBody, now: Date): Promise<Partner>;
  getPartner(id: string): Promise<Partner | null>;
  putEndpoint(id: string, body: EndpointBody, now: Date): Promise<Endpoint>;
  getEndpoint(id: string): Promise<Endpoint | null>;
  putFiling(id: string, body: FilingBody, now: Date): Promise<Filing>;
  getFiling(id: string): Promise<Filing | null>;
  listFilings(): Promise<Filing[]>;
  putSelfAssessment(id: string, body: SelfAssessmentBody, now: Date): Promise<SelfAssessment>;
  getSelfAssessment(id: string): Promise<SelfAssessment | null>;
  /** One exporter's self-assessments, most recently updated first. */
  listSelfAssessments(exporterId: string): Promise<SelfAssessment[]>;
  putAttestation(record: AttestationRecord): Promise<AttestationRecord>;
  getAttestation(id: string): Promise<AttestationRecord | null>;
  /** Every registered attestation, most recently registered first (expiry reminders, incidents). */
  listAttestations(): Promise<AttestationRecord[]>;
  revokeCertificate(revocation: Revocation): Promise<void>;
  revokedCertificates(): Promise<Set<string>>;
}

/** Records are written only by this store after parsing, so reading them back needs no re-validation. */
function decode<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function createRegistryStore(redis: Redis, keys: Keys = defaultKeys): RegistryStore {
  async function put<T extends { readonly id: string }>(kind: RecordKind, record: T, now: Date): Promise<T> {
    await redis
      .multi()
      .set(keys.record(kind, record.id), JSON.stringify(record))
      .zadd(keys.recordIndex(kind), now.getTime(), record.id)
      .exec();
    return record;
  }
  async function get<T>(kind: RecordKind, id: string): Promise<T | null> {
    return decode<T>(await redis.get(keys.record(kind, id)));
  }
  async function list<T>(kind: RecordKind): Promise<T[]> {
    const ids = await redis.zrevrange(keys.recordIndex(kind), 0, -1);
    if (ids.length === 0) return [];
    const texts = await redis.mget(ids.map((id) => keys.record(kind, id)));
    return texts.flatMap((text) => {
      const record = decode<T>(text);
      return record === null ? [] : [record];
    });
  }
  const stamp = <B>(id: string, body: B, now: Date) => ({ ...body, id, updatedAt: now.toISOString() });

  return {
    putExporter: (id, body, now) => put<Exporter>('exporter', stamp(id, body, now), now),
    getExporter: (id) => get<Exporter>('exporter', id),
    putPartner: (id, body, now) => put<Partner>('partner', stamp(id, body, now), now),
    getPartner: (id) => get<Partner>('partner', id),
    putEndpoint: (id, body, now) => put<Endpoint>('endpoint', stamp(id, body, now), now),
    getEndpoint: (id) => get<Endpoint>('endpoint', id),
    putFiling: (id, body, now) => put<Filing>('filing', stamp(id, body, now), now),
    getFiling: (id) => get<Filing>('filing', id),
    listFilings: () => list<Filing>('filing'),
    async putSelfAssessment(id, body, now) {
      const record: SelfAssessment = stamp(id, body, now);
      // One transaction with the per-exporter index; the route refuses moving an id to another exporter.
      await redis
        .multi()
        .set(keys.record('self-assessment', id), JSON.stringify(record))
        .zadd(keys.recordIndex('self-assessment'), now.getTime(), id)
        .zadd(keys.selfAssessmentsByExporter(body.exporterId), now.getTime(), id)
        .exec();
      return record;
    },
    getSelfAssessment: (id) => get<SelfAssessment>('self-assessment', id),
    async listSelfAssessments(exporterId) {
      const ids = await redis.zrevrange(keys.selfAssessmentsByExporter(exporterId), 0, -1);
      if (ids.length === 0) return [];
      const texts = await redis.mget(ids.map((id) => keys.record('self-assessment', id)));
      return texts.flatMap((text) => {
        const record = decode<SelfAssessment>(text);
        return record === null || record.exporterId !== exporterId ? [] : [record];
      });
    },
    putAttestation: (record) => put<AttestationRecord>('attestation', record, new Date(record.registeredAt)),
    getAttestation: (id) => get<AttestationRecord>('attestation', id),
    listAttestations: () => list<AttestationRecord>('attestation'),
    async revokeCertificate(revocation) {
      await redis.hset(keys.revokedCertificates(), revocation.certificateSha256, JSON.stringify(revocation));
    },
    async revokedCertificates() {
      return new Set(await redis.hkeys(keys.revokedCertificates()));
    },
  };
}
