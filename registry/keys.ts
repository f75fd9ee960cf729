// registry/keys: every Redis key the registry uses, in one place, so nothing else builds key strings.
export const prefix = 'xb';

export type RecordKind = 'exporter' | 'partner' | 'endpoint' | 'filing' | 'self-assessment' | 'attestation';

export const keys = {
  record: (kind: RecordKind, id: string) => `${prefix}:${kind}:${id}`,
  /** ZSET of ids by last update time (ms), for listing a kind. */
  recordIndex: (kind: RecordKind) => `${prefix}:index:${kind}`,
  /** ZSET of one exporter's self-assessment ids by last update time (the PIPIA looked up beside a risk SA). */
  selfAssessmentsByExporter: (exporterId: string) => `${prefix}:index:self-assessment:exporter:${exporterId}`,
  revokedCertificates: () => `${prefix}:revoked-certificates`,
  transfer: (id: string) => `${prefix}:transfer:${id}`,
  transfersAll: () => `${prefix}:transfers`,
  /** The common prefix of the per-exporter/status/tier/hold-reason indexes below, for Lua that derives them. */
  transferIndexPrefix: () => `${prefix}:transfers:`,
  transfersByExporter: (exporterId: string) => `${prefix}:transfers:exporter:${exporterId}`,
  transfersByStatus: (status: string) => `${prefix}:transfers:status:${status}`,
  /** Lex-sorted ids by classification tier (fixed at intake) and by current hold-reason code (console search). */
  transfersByTier: (tier: string) => `${prefix}:transfers:tier:${tier}`,
  transfersByHoldReason: (code: string) => `${prefix}:transfers:hold-reason:${code}`,
  /** SETs of person keys (HMAC) found in one transfer's payload: all people, and those with sensitive PI (exact;
   * transfers recorded before exact counting have HyperLogLogs here, which the volume store still reads). */
  transferPeople: (id: string) => `${prefix}:transfer:${id}:people`,
  transferSensitivePeople: (id: string) => `${prefix}:transfer:${id}:people-s`,
  /** The exporter's yearly volume (Asia/Shanghai calendar year): HLLs of person keys (kept past the top threshold),
   * exact SETs of them until then, and a hash of the declared-only surplus and the counting mode (volume-store). */
  volumeExactPeople: (exporterId: string, year: number) => `${prefix}:volume:${exporterId}:${year}:set`,
  volumeExactSensitivePeople: (exporterId: string, year: number) =>
    `${prefix}:volume:${exporterId}:${year}:set-s`,
  volumePeople: (exporterId: string, year: number) => `${prefix}:volume:${exporterId}:${year}:people`,
  volumeSensitivePeople: (exporterId: string, year: number) =>
    `${prefix}:volume:${exporterId}:${year}:people-s`,
  volumeSurplus: (exporterId: string, year: number) => `${prefix}:volume:${exporterId}:${year}:surplus`,
  idempotency: (exporterId: string, key: string) => `${prefix}:idem:${exporterId}:${key}`,
  /** SET of the transfer ids still in Redis whose payload has this digest (content addressing shares files). */
  payloadRefs: (sha256: string) => `${prefix}:payload-refs:${sha256}`,
  /** Held by the one process that sweeps finished transfers at a time. */
  retentionLock: () => `${prefix}:retention-lock`,
};
