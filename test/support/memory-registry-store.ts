// test/support/memory-registry-store: a whole RegistryStore held in maps, for unit tests of code that reads the
// registry (no Redis in test/unit). Seeded with records as registry/registry-store.ts would hold them; it keeps
// the real store's contract (most recently written first, one exporter's self-assessments only) and judges
// nothing.
import type { RegistryStore } from '../../registry/registry-store.js';
import type {
  AttestationRecord,
  Endpoint,
  Exporter,
  Filing,
  Partner,
  Revocation,
  SelfAssessment,
} from '../../registry/records.js';

export interface RegistrySeed {
  readonly exporters?: readonly Exporter[];
  readonly partners?: readonly Partner[];
  readonly endpoints?: readonly Endpoint[];
  readonly filings?: readonly Filing[];
  readonly selfAssessments?: readonly SelfAssessment[];
  readonly attestations?: readonly AttestationRecord[];
}

export function createMemoryRegistryStore(seed: RegistrySeed = {}): RegistryStore {
  const table = <T extends { readonly id: string }>(records: readonly T[] = []) =>
    new Map(records.map((r) => [r.id, r]));
  const exporters = table(seed.exporters);
  const partners = table(seed.partners);
  const endpoints = table(seed.endpoints);
  const filings = table(seed.filings);
  const selfAssessments = table(seed.selfAssessments);
  const attestations = table(seed.attestations);
  const revocations = new Map<string, Revocation>();

  /** A Map iterates in insertion order; writing again moves a record to the end, so newest is last. */
  function put<T extends { readonly id: string }>(records: Map<string, T>, record: T): Promise<T> {
    records.delete(record.id);
    records.set(record.id, record);
    return Promise.resolve(record);
  }
  const get = <T>(records: Map<string, T>, id: string) => Promise.resolve(records.get(id) ?? null);
  const newestFirst = <T>(records: Map<string, T>) => [...records.values()].reverse();
  const stamp = <B>(id: string, body: B, now: Date) => ({ ...body, id, updatedAt: now.toISOString() });

  return {
    putExporter: (id, body, now) => put(exporters, stamp(id, body, now)),
    getExporter: (id) => get(exporters, id),
    putPartner: (id, body, now) => put(partners, stamp(id, body, now)),
    getPartner: (id) => get(partners, id),
    putEndpoint: (id, body, now) => put(endpoints, stamp(id, body, now)),
    getEndpoint: (id) => get(endpoints, id),
    putFiling: (id, body, now) => put(filings, stamp(id, body, now)),
    getFiling: (id) => get(filings, id),
    listFilings: () => Promise.resolve(newestFirst(filings)),
    putSelfAssessment: (id, body, now) => put(selfAssessments, stamp(id, body, now)),
    getSelfAssessment: (id) => get(selfAssessments, id),
    listSelfAssessments: (exporterId) =>
      Promise.resolve(newestFirst(selfAssessments).filter((r) => r.exporterId === exporterId)),
    putAttestation: (record) => put(attestations, record),
    getAttestation: (id) => get(attestations, id),
    listAttestations: () => Promise.resolve(newestFirst(attestations)),
    revokeCertificate(revocation) {
      revocations.set(revocation.certificateSha256, revocation);
      return Promise.resolve();
    },
    revokedCertificates: () => Promise.resolve(new Set(revocations.keys())),
  };
}
